-- What each first delivery attempt was triggered with (event name, published arguments, store),
-- by delivery uuid, so a replay can re-resolve the payload from Magento ("resolve": "fresh").
CREATE TABLE IF NOT EXISTS async_event_sidecar_trigger (
  uuid varchar(64) NOT NULL,
  event_name varchar(255) NOT NULL,
  arguments text NOT NULL,
  store_id smallint unsigned NOT NULL DEFAULT 0,
  created datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (uuid),
  KEY ASYNC_EVENT_SIDECAR_TRIGGER_CREATED (created)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Deliveries held for a subscription that could not take them when their event came (its
-- destination's circuit open, its in-flight or rate limit reached). Instead of one retry message
-- and one log row per delivery, a group commit writes one row per subscription holding all of its
-- deliveries of that commit; the backlog drainer sends them, oldest first, once the subscription
-- takes deliveries again, resolving each payload from Magento at that time.
CREATE TABLE IF NOT EXISTS async_event_sidecar_backlog (
  backlog_id bigint unsigned NOT NULL AUTO_INCREMENT,
  subscription_id int unsigned NOT NULL,
  -- SHA-1 of the held uuids: a group commit retried after a lost acknowledgement inserts nothing twice.
  batch_key char(40) NOT NULL,
  -- JSON array of [uuid, event_name, arguments (JSON text), store_id], in arrival order.
  deliveries mediumtext NOT NULL,
  delivery_count int unsigned NOT NULL,
  -- Deliveries of this row already made (their outcomes are durable); a drain resumes after them.
  done int unsigned NOT NULL DEFAULT 0,
  reason varchar(1024) NOT NULL,
  created datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  -- A drainer's claim: until lease_until passes, no other drainer takes the row.
  lease_owner varchar(64) NULL,
  lease_until datetime(3) NULL,
  PRIMARY KEY (backlog_id),
  UNIQUE KEY ASYNC_EVENT_SIDECAR_BACKLOG_BATCH (subscription_id, batch_key),
  KEY ASYNC_EVENT_SIDECAR_BACKLOG_LEASE (lease_owner),
  CONSTRAINT ASYNC_EVENT_SIDECAR_BACKLOG_SUBSCRIPTION_ID FOREIGN KEY (subscription_id)
    REFERENCES async_event_subscriber (subscription_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

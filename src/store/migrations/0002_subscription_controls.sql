-- Delivery controls per subscription (issue 7), beside Magento's async_event_subscriber. A NULL
-- control means "the global default" (SUBSCRIPTION_* environment keys), so changing a default
-- reaches every subscription that did not set its own value.
CREATE TABLE IF NOT EXISTS async_event_sidecar_subscription_controls (
  subscription_id int unsigned NOT NULL,
  max_in_flight int unsigned NULL,
  rate_limit_per_second decimal(12,3) NULL,
  standard_webhooks tinyint(1) NULL,
  cloudevents_mode varchar(16) NULL,
  retry_schedule varchar(16) NULL,
  auto_disable_after_s int unsigned NULL,
  -- Start of the current run of failed attempts (NULL after a success); UTC like Magento's datetimes.
  failing_since datetime NULL,
  -- Why and when the sidecar disabled the subscription (410 Gone, or failing too long).
  disabled_at datetime NULL,
  disabled_reason varchar(1024) NULL,
  updated_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (subscription_id),
  CONSTRAINT ASYNC_EVENT_SIDECAR_CONTROLS_SUBSCRIPTION_ID FOREIGN KEY (subscription_id)
    REFERENCES async_event_subscriber (subscription_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where the search-engine indexer stands in async_event_subscriber_log: every log_id up to
-- last_log_id is indexed (or was given up on as an id that never committed). One row per engine
-- and index prefix, so switching engines or prefixes starts a fresh backfill. ASCII keys keep the
-- primary key short on every InnoDB row format.
CREATE TABLE IF NOT EXISTS async_event_sidecar_search_index (
  engine varchar(32) CHARACTER SET ascii NOT NULL,
  index_prefix varchar(255) CHARACTER SET ascii NOT NULL,
  last_log_id int unsigned NOT NULL DEFAULT 0,
  updated_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (engine, index_prefix)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

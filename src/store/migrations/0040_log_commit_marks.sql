-- One row per delivery-log writer (one per sidecar process): the number of its last committed
-- group commit, written in the same transaction as the log rows. When the connection breaks while
-- a COMMIT is on its way, the writer cannot tell from the error whether the rows are in; it reads
-- its row back before writing the batch again, so a lost acknowledgement does not log a delivery
-- twice. A process deletes its row when it stops; a killed one's row is deleted by the log
-- cleanup once it is older than the cleanup period (retentionJob.ts).
CREATE TABLE IF NOT EXISTS async_event_sidecar_log_commit (
  writer_id char(36) NOT NULL,
  batch_seq bigint unsigned NOT NULL,
  updated datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (writer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

export {
  type BacklogBatch,
  type BacklogStore,
  type HeldDelivery,
  insertHeldDeliveries,
  makeBacklogStore,
} from './backlog.js';
export {
  CONTROL_COLUMNS,
  type ControlOverrides,
  effectiveControls,
  makeControlsResolver,
  overridesOf,
} from './controlOverrides.js';
export {
  clearDisabled,
  clearFailing,
  type ControlsRecord,
  disableSubscription,
  findControls,
  markFailing,
  saveControls,
} from './controlsRepository.js';
export { DEFAULT_MAX_DEATHS, MAX_DEATHS_PATH, readMaxDeaths } from './coreConfig.js';
export { isRetryableDbError, makeDbPool, type Pool, RETRYABLE_DB_ERROR_CODES, withDbRetry } from './db.js';
export {
  type AppendResult,
  type BatchObserver,
  type DeliveryLogWriter,
  makeDeliveryLogWriter,
} from './deliveryLog.js';
export {
  type CheckpointKey,
  ensureCheckpoint,
  moveCheckpoint,
  readCheckpoint,
  resetCheckpoint,
} from './indexCheckpoint.js';
export {
  findLogItems,
  findReplaySources,
  findTrace,
  LOG_FROM,
  LOG_ITEM_COLUMNS,
  type LogItem,
  type ReplaySource,
  toLogItem,
} from './logQueries.js';
export { type DeliveryLogRow, fitLogRow, type TriggerRecord, truncateUtf8 } from './logRow.js';
export {
  countLogRows,
  findLogIdsInRanges,
  type LogIdRange,
  readLogRowsAfter,
  readLogRowsById,
  readTailLag,
  type TailLag,
  type TailRow,
} from './logTail.js';
export { type Migration, readMigrations, runMigrations, splitStatements } from './migrate.js';
export { makeNamedLock, type NamedLock } from './namedLock.js';
export {
  CLEANUP_DAYS_PATH,
  CLEANUP_ENABLED_PATH,
  deleteExpiredTriggerRecords,
  deleteLogIds,
  deleteStaleCommitMarks,
  findExpiredLogIds,
  readCleanupSettings,
} from './retentionQueries.js';
export { checkMagentoSchema, type LogColumnLimits } from './schemaCheck.js';
export {
  detectFlavor,
  isStatementTimeout,
  makeBoundedSelect,
  type SqlFlavor,
  withStatementTimeout,
} from './statementTimeout.js';
export {
  findRecipient,
  findSubscriptionView,
  insertSubscription,
  listSubscriptionHealth,
  listSubscriptionViews,
  type NewSubscriptionRow,
  type SubscriptionHealth,
  type SubscriptionView,
  updateSubscription,
} from './subscriptionRepository.js';
export {
  makeSubscriptionCache,
  selectForStore,
  type Subscription,
  type SubscriptionCache,
} from './subscriptions.js';
export { findTriggerRecords } from './triggerRecords.js';

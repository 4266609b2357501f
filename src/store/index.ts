export {
  CONTROL_COLUMNS,
  type ControlOverrides,
  effectiveControls,
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
export { type DeliveryLogRow, fitLogRow, truncateUtf8 } from './logRow.js';
export { type Migration, readMigrations, runMigrations, splitStatements } from './migrate.js';
export { checkMagentoSchema, type LogColumnLimits } from './schemaCheck.js';
export {
  findRecipient,
  findSubscriptionView,
  insertSubscription,
  listSubscriptionViews,
  type NewSubscriptionRow,
  type SubscriptionView,
  updateSubscription,
} from './subscriptionRepository.js';
export {
  makeSubscriptionCache,
  selectForStore,
  type Subscription,
  type SubscriptionCache,
} from './subscriptions.js';

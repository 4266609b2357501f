export { renderConfigTable, replaceConfigTable } from './configTable.js';
export { type ConfigCommand, ENV_KEYS, type EnvKey, type EnvKeySpec } from './env.js';
export {
  type CloudEventsMode,
  type Config,
  type DeliveryControls,
  loadConfig,
  type PayloadFormat,
  type ResolveStrategy,
  type RetrySchedule,
  type StoreScope,
} from './load.js';
export { redactUrl } from './schema.js';

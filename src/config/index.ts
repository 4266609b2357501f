export { renderConfigTable, replaceConfigTable } from './configTable.js';
export { type ConfigCommand, ENV_KEYS, type EnvKey, type EnvKeySpec } from './env.js';
export {
  type Config,
  loadConfig,
  type PayloadFormat,
  type ResolveStrategy,
  type StoreScope,
} from './load.js';
export { redactUrl } from './schema.js';

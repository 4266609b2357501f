export { closeMatches, editDistance } from './closeMatches.js';
export {
  ApiError,
  coerceError,
  ERROR_CODES,
  type ErrorCode,
  errorCodeOf,
  isNonRetryableError,
  NonRetryableError,
  SidecarError,
} from './errors.js';
export {
  exchange,
  type ExchangeRequest,
  type ExchangeResponse,
  ExchangeTimeoutError,
} from './httpExchange.js';
export { type Logger, makeLogger, makeProcessLogger, REDACTED_PATHS } from './logger.js';
export { phpJsonEncode, phpJsonString } from './phpJson.js';
export { makeSemaphore, type Semaphore } from './semaphore.js';
export { sleep, untilAborted } from './sleep.js';
export { makeWeightedBudget, type WeightedBudget } from './weightedBudget.js';

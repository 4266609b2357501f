export {
  type ApiAuthenticator,
  type ApiAuthenticatorOptions,
  type MagentoTokenChecker,
  makeApiAuthenticator,
  type Principal,
} from './apiAuth.js';
export {
  BLOCKED_RANGES,
  type DestinationGuard,
  makeDestinationGuard,
  parseCidrs,
} from './destinationGuard.js';
export { type FailureLimiter, makeFailureLimiter } from './failureLimiter.js';

export { type AttemptRecorder, type DeferredDelivery, makeAttemptRecorder } from './attemptRecorder.js';
export {
  type DeferralReason,
  type DeliveryRequest,
  type DeliveryRunner,
  makeDeliveryRunner,
  type RunResult,
} from './deliveryRunner.js';
export { peekEventType } from './eventType.js';
export { makeMaxDeathsSource, type MaxDeathsSource } from './maxDeaths.js';
export { makeRetryHandler } from './retryHandler.js';
export { makeTriggerHandler } from './triggerHandler.js';

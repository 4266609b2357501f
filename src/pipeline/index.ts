export { type AttemptRecorder, type DeferredDelivery, makeAttemptRecorder } from './attemptRecorder.js';
export { type BacklogDrainer, type BacklogDrainerOptions, makeBacklogDrainer } from './backlogDrainer.js';
export {
  type DeferralReason,
  type DeliveryRequest,
  type DeliveryRunner,
  makeDeliveryRunner,
  type RunResult,
} from './deliveryRunner.js';
export { peekEventType } from './eventType.js';
export { makeMaxDeathsSource, type MaxDeathsSource } from './maxDeaths.js';
export { type RecordedResolution, resolveRecordedTrigger } from './recordedTrigger.js';
export { makeRetryHandler } from './retryHandler.js';
export { makeTriggerHandler } from './triggerHandler.js';

export { type AttemptRecorder, makeAttemptRecorder } from './attemptRecorder.js';
export { peekEventType } from './eventType.js';
export { makeMaxDeathsSource, type MaxDeathsSource } from './maxDeaths.js';
export { makeRetryHandler } from './retryHandler.js';
export { makeTriggerHandler } from './triggerHandler.js';

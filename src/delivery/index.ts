export { type DeliveryBodyInput, encodeDeliveryBody } from './deliveryBody.js';
export { type DeliveryAttempt, type Dispatcher, makeDispatcher } from './dispatcher.js';
export { type AttemptOutcome, isRetryableStatus, parseRetryAfterSeconds } from './outcome.js';
export { signMagento, verifyMagento } from './signing.js';
export {
  makeHttpSink,
  makeSinkRegistry,
  type Sink,
  type SinkDelivery,
  type SinkRegistry,
} from './sinks/index.js';
export { makeTokenVault, type TokenVault } from './tokenVault.js';

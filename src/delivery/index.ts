export { type CloudEventFallback, type CloudEventParts, readCloudEvent } from './cloudEvent.js';
export { type DeliveryBodyInput, encodeDeliveryBody } from './deliveryBody.js';
export { type DeliveryAttempt, type Dispatcher, makeDispatcher } from './dispatcher.js';
export { type AttemptOutcome, isRetryableStatus, parseRetryAfterSeconds } from './outcome.js';
export {
  signMagento,
  signStandardWebhook,
  standardWebhookHeaders,
  standardWebhooksKey,
  type StandardWebhookVerification,
  verifyMagento,
  verifyStandardWebhook,
} from './signing.js';
export {
  type AmqpSinkOptions,
  type AwsSinkOptions,
  makeAmqpSink,
  makeEventBridgeSink,
  makeHttpSink,
  makeSinkRegistry,
  makeSqsSink,
  type RecipientProblem,
  type Sink,
  type SinkDelivery,
  type SinkFormat,
  type SinkRegistry,
} from './sinks/index.js';
export { makeTokenVault, type TokenVault } from './tokenVault.js';

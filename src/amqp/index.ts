export { nextRetryDelaySeconds, retryDelaySeconds } from './backoff.js';
export { type AmqpConnection, type AmqpState, makeAmqpConnection } from './connection.js';
export { type Consumer, makeConsumer, type MessageContext, type MessageHandler } from './consumer.js';
export { type DelayQueuePublisher, makeDelayQueuePublisher } from './delayQueues.js';
export { copyableHeaders } from './headers.js';
export { makeParker, PARKED_HEADERS, type Parker } from './parking.js';
export { type ConfirmPublisher, makeConfirmPublisher, newMessageId } from './publisher.js';
export {
  DEFERRALS_HEADER,
  type ExtraHeaders,
  makeRetryScheduler,
  type RetryScheduler,
} from './retryScheduler.js';
export {
  EXTENDED_SCHEDULE_S,
  extendedRetryDelaySeconds,
  JITTER_FACTORS,
  planRetry,
  type RetryPlan,
  type RetryPlanInput,
} from './retrySchedules.js';
export {
  assertTopology,
  EXCHANGES,
  EXPECTED_TOPOLOGY,
  QUEUES,
  retryDelayQueueName,
  retryDelayRoutingKey,
  ROUTING_KEYS,
  triggerDelayQueueName,
} from './topology.js';
export { checkTopology, fixTopology, type TopologyFinding, type TopologyStatus } from './topologyCheck.js';
export {
  makeTriggerRetryScheduler,
  RESOLVE_ATTEMPT_HEADER,
  resolveAttemptOf,
  type TriggerRetryScheduler,
} from './triggerRetry.js';

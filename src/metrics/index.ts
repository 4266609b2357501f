export { type DeliveryOutcome, type EventOutcome, makeMetrics, type Metrics } from './metrics.js';

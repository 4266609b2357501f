export {
  CIRCUIT_STATE_VALUES,
  type CircuitStateValue,
  type DeliveryOutcome,
  type EventOutcome,
  makeMetrics,
  type Metrics,
} from './metrics.js';

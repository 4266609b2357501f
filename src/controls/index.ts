export {
  type AdmissionGate,
  type AdmissionLimits,
  type AdmissionRefusal,
  makeAdmissionGate,
  type Permit,
} from './admissionGate.js';
export {
  type CircuitBreakers,
  type CircuitCheck,
  type CircuitState,
  type CircuitTransition,
  makeCircuitBreakers,
} from './circuitBreakers.js';
export {
  DEFERRAL_LADDER_S,
  deferralDelaySeconds,
  type DeferralPlanner,
  makeDeferralPlanner,
} from './deferral.js';
export { type AttemptResult, type HealthTracker, makeHealthTracker } from './healthTracker.js';

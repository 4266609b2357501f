/**
 * One circuit breaker per destination (a webhook endpoint, an AMQP broker, an SQS queue or an
 * EventBridge bus), shared by every subscription that delivers there.
 *
 *   closed ──(threshold consecutive retryable failures)──▶ open
 *   open ──(cool-down passed: the next delivery is the probe)──▶ half_open
 *   half_open ──(probe answered)──▶ closed      half_open ──(probe failed)──▶ open (cool-down again)
 *
 * While open (and while a probe runs) deliveries are refused and go to the retry path. A
 * destination that answers with a final status (a 4xx other than 408/429) is up: that counts as
 * success. Results that arrive for a state they no longer belong to (stragglers) are ignored.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export type CircuitCheck = { ok: true; probe: boolean } | { ok: false; retryInMs: number };

export interface CircuitTransition {
  from: CircuitState;
  to: CircuitState;
}

export interface CircuitBreakers {
  /** May a delivery go to `destination` now? Taking the probe makes the caller report its result. */
  check(destination: string): CircuitCheck;
  /**
   * The ms until `destination` takes a delivery again when its circuit refuses one now (open, or
   * its probe out), without taking anything; undefined when `check` would let one through.
   */
  refusingFor(destination: string): number | undefined;
  /** Gives back a probe that was not used (the delivery was refused for another reason). */
  cancelProbe(destination: string): void;
  /** Reports an attempt; answers the transition it caused, if any. */
  record(destination: string, healthy: boolean, probe: boolean): CircuitTransition | undefined;
  state(destination: string): CircuitState;
}

export interface CircuitBreakerOptions {
  /** Consecutive retryable failures that open the circuit; 0 turns breaking off. @default 5 */
  failureThreshold: number;
  /** How long the circuit stays open before a probe. @default 30000 ms */
  cooldownMs: number;
  now?: () => number;
}

interface Circuit {
  state: CircuitState;
  failures: number;
  openedAt: number;
}

export function makeCircuitBreakers(options: CircuitBreakerOptions): CircuitBreakers {
  const now = options.now ?? (() => performance.now());
  const circuits = new Map<string, Circuit>();
  const circuitOf = (destination: string): Circuit => {
    let circuit = circuits.get(destination);
    if (circuit === undefined) {
      circuit = { state: 'closed', failures: 0, openedAt: 0 };
      circuits.set(destination, circuit);
    }
    return circuit;
  };

  /** The circuit of `destination` unless it is closed (or breaking is off). */
  const breaking = (destination: string): Circuit | undefined => {
    const circuit = circuits.get(destination);
    return options.failureThreshold === 0 || circuit === undefined || circuit.state === 'closed'
      ? undefined
      : circuit;
  };
  /** How long a circuit that is not closed refuses deliveries yet: 0 once it is due for its probe. */
  const refusalMs = (circuit: Circuit): number => {
    const waited = now() - circuit.openedAt;
    if (circuit.state === 'open' && waited >= options.cooldownMs) {
      return 0;
    }
    // Open, or half-open with its probe out: try again after (the rest of) a cool-down.
    return Math.max(1000, options.cooldownMs - waited);
  };

  return {
    check(destination) {
      const circuit = breaking(destination);
      if (circuit === undefined) {
        return { ok: true, probe: false };
      }
      const retryInMs = refusalMs(circuit);
      if (retryInMs === 0) {
        circuit.state = 'half_open';
        return { ok: true, probe: true };
      }
      return { ok: false, retryInMs };
    },
    refusingFor(destination) {
      const circuit = breaking(destination);
      const retryInMs = circuit === undefined ? 0 : refusalMs(circuit);
      return retryInMs === 0 ? undefined : retryInMs;
    },
    cancelProbe(destination) {
      const circuit = circuits.get(destination);
      if (circuit?.state === 'half_open') {
        circuit.state = 'open';
        circuit.openedAt = now() - options.cooldownMs; // due again at once
      }
    },
    record(destination, healthy, probe) {
      if (options.failureThreshold === 0) {
        return undefined;
      }
      const circuit = circuitOf(destination);
      const from = circuit.state;
      if (probe && from === 'half_open') {
        circuit.state = healthy ? 'closed' : 'open';
        circuit.failures = healthy ? 0 : circuit.failures;
        circuit.openedAt = now();
      } else if (from === 'closed') {
        circuit.failures = healthy ? 0 : circuit.failures + 1;
        if (circuit.failures >= options.failureThreshold) {
          circuit.state = 'open';
          circuit.openedAt = now();
        }
      }
      if (circuit.state === 'closed' && circuit.failures === 0) {
        circuits.delete(destination); // healthy destinations cost no memory
      }
      return circuit.state === from ? undefined : { from, to: circuit.state };
    },
    state: (destination) => circuits.get(destination)?.state ?? 'closed',
  };
}

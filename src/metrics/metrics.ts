import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { FastCounter } from './fastCounter.js';
import { FastHistogram } from './fastHistogram.js';

/**
 * The sidecar's Prometheus metrics, on a registry of its own (several sidecars can live in one test
 * process). What is counted or timed per event or per delivery uses FastCounter / FastHistogram
 * (same exposition, a fraction of prom-client's cost per observation); the rest is prom-client's.
 * Labels stay bounded: event names come from async_events.xml, subscription ids from the
 * subscriber table, outcomes from fixed lists; never uuids or URLs.
 */
export interface Metrics {
  registry: Registry;
  eventsConsumed: FastCounter<'outcome'>;
  deliveries: FastCounter<'event' | 'subscription' | 'outcome'>;
  attemptDuration: FastHistogram<'outcome'>;
  consumeToDelivery: FastHistogram;
  resolveDuration: FastHistogram<'route' | 'outcome'>;
  logBatchRows: Histogram;
  logCommitDuration: Histogram;
  logWriteRetries: Counter;
  /** Search indexer: log ids written but not indexed yet (newest log_id minus the last indexed). */
  searchIndexLagRows: Gauge;
  /** Search indexer: age of the oldest log row not indexed yet. */
  searchIndexLagSeconds: Gauge;
  searchDocumentsIndexed: Counter;
  searchDocumentsDropped: Counter;
  searchIndexFailures: Counter;
  searchIndexerActive: Gauge;
  retriesScheduled: Counter<'kind'>;
  parked: Counter<'queue'>;
  inFlight: Gauge<'consumer'>;
  logRowsDeleted: Counter;
  /** Consumers register how to read their in-flight count; the gauge reads them at scrape time. */
  inFlightSources: Map<string, () => number>;
  /** Deliveries not admitted (concurrency, rate or circuit): held in the backlog, or a retry put back. */
  deferred: FastCounter<'subscription' | 'reason'>;
  /** First deliveries committed to the backlog. */
  held: FastCounter<'subscription'>;
  /** First deliveries handed to the backlog drainer while still being made (backlogDrainer.ts adopt). */
  adopted: Counter<'subscription'>;
  /** Held deliveries not made yet, per subscription (as of the drainer's last count). */
  backlog: Gauge<'subscription'>;
  /** Set by the wiring: the drainer's last count of held deliveries per subscription id, read at scrape time. */
  backlogSource: { read: () => Iterable<readonly [number, number]> };
  /** Subscriptions the sidecar disabled: gone (410) or failing (too long). */
  disabled: Counter<'reason'>;
  /** Circuit of each active subscription's destination: 0 closed, 1 half-open, 2 open. */
  circuitState: Gauge<'subscription'>;
  /** Set by the wiring: per subscription id, the state of its destination's circuit, read at scrape time. */
  circuitSource: { read: () => Iterable<readonly [number, CircuitStateValue]> };
}

/** `sidecar_circuit_state` values. */
export const CIRCUIT_STATE_VALUES = { closed: 0, half_open: 1, open: 2 } as const;
export type CircuitStateValue = (typeof CIRCUIT_STATE_VALUES)[keyof typeof CIRCUIT_STATE_VALUES];

export type EventOutcome =
  | 'dispatched'
  | 'no_subscribers'
  | 'invalid'
  | 'unknown_event'
  | 'resolve_final'
  | 'resolve_retry'
  | 'resolve_parked';

export type DeliveryOutcome = 'success' | 'failed_retryable' | 'failed_final';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

export function makeMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: 'sidecar_process_' });
  }
  const registers = [registry];
  const inFlightSources = new Map<string, () => number>();
  const circuitSource: Metrics['circuitSource'] = { read: () => [] };
  const backlogSource: Metrics['backlogSource'] = { read: () => [] };
  return {
    inFlightSources,
    circuitSource,
    backlogSource,
    deferred: new FastCounter({
      name: 'sidecar_deliveries_deferred_total',
      help: 'Deliveries not admitted, by subscription and reason (concurrency, rate, circuit): first deliveries are held in the backlog, retries put back on the retry path.',
      labelNames: ['subscription', 'reason'],
      registers,
    }),
    adopted: new Counter({
      name: 'sidecar_deliveries_adopted_total',
      help: 'First deliveries still being made when their message was acked: kept as leased backlog rows until their outcome is durable (a slow subscriber).',
      labelNames: ['subscription'],
      registers,
    }),
    held: new FastCounter({
      name: 'sidecar_deliveries_held_total',
      help: 'First deliveries held in the backlog because their subscription could not take them then.',
      labelNames: ['subscription'],
      registers,
    }),
    backlog: perSubscriptionGauge(
      'sidecar_backlog_deliveries',
      'Held deliveries not made yet, per subscription (counted by the backlog drainer every few seconds).',
      backlogSource,
      registers,
    ),
    disabled: new Counter({
      name: 'sidecar_subscriptions_disabled_total',
      help: 'Subscriptions disabled by the sidecar: gone (the receiver answered 410) or failing (for the auto-disable period).',
      labelNames: ['reason'],
      registers,
    }),
    circuitState: perSubscriptionGauge(
      'sidecar_circuit_state',
      "State of the circuit of each active subscription's destination: 0 closed, 1 half-open, 2 open.",
      circuitSource,
      registers,
    ),
    registry,
    eventsConsumed: new FastCounter({
      name: 'sidecar_events_consumed_total',
      help: 'Trigger messages consumed, by what became of them.',
      labelNames: ['outcome'],
      registers,
    }),
    deliveries: new FastCounter({
      name: 'sidecar_deliveries_total',
      help: 'Delivery attempts by event, subscription and outcome.',
      labelNames: ['event', 'subscription', 'outcome'],
      registers,
    }),
    attemptDuration: new FastHistogram({
      name: 'sidecar_delivery_attempt_duration_seconds',
      help: 'Duration of one delivery attempt (request to answer).',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    consumeToDelivery: new FastHistogram({
      name: 'sidecar_consume_to_delivery_seconds',
      help: 'From receiving a trigger message to a delivery attempt answered.',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    resolveDuration: new FastHistogram({
      name: 'sidecar_magento_resolve_duration_seconds',
      help: 'Magento payload resolution, by route (direct GET or module batch route) and outcome.',
      labelNames: ['route', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    logBatchRows: new Histogram({
      name: 'sidecar_delivery_log_batch_rows',
      help: 'Rows per delivery-log INSERT.',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    }),
    logCommitDuration: new Histogram({
      name: 'sidecar_delivery_log_commit_seconds',
      help: 'Duration of one delivery-log INSERT.',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    logWriteRetries: new Counter({
      name: 'sidecar_delivery_log_retries_total',
      help: 'Delivery-log batches retried because the database was unavailable.',
      registers,
    }),
    searchIndexLagRows: new Gauge({
      name: 'sidecar_search_index_lag_rows',
      help: 'Delivery-log rows not in the search engine yet: newest log_id minus the last indexed one (id gaps count). Reported by the replica that indexes.',
      registers,
    }),
    searchIndexLagSeconds: new Gauge({
      name: 'sidecar_search_index_lag_seconds',
      help: 'Age of the oldest delivery-log row not in the search engine yet (0 when caught up). Reported by the replica that indexes.',
      registers,
    }),
    searchDocumentsIndexed: new Counter({
      name: 'sidecar_search_documents_indexed_total',
      help: 'Delivery-log documents the search engine accepted.',
      registers,
    }),
    searchDocumentsDropped: new Counter({
      name: 'sidecar_search_documents_dropped_total',
      help: 'Delivery-log documents the search engine refused for good (logged with the reason).',
      registers,
    }),
    searchIndexFailures: new Counter({
      name: 'sidecar_search_index_failures_total',
      help: 'Indexing steps that failed (engine or database unavailable) and were retried with back-off.',
      registers,
    }),
    searchIndexerActive: new Gauge({
      name: 'sidecar_search_indexer_active',
      help: '1 on the replica that holds the indexer lock and indexes, 0 elsewhere.',
      registers,
    }),
    retriesScheduled: new Counter({
      name: 'sidecar_retries_scheduled_total',
      help: 'Retry messages published: init (first retry), place (later retries), kill (dead-lettered), trigger (payload resolution).',
      labelNames: ['kind'],
      registers,
    }),
    parked: new Counter({
      name: 'sidecar_parked_messages_total',
      help: 'Messages parked with a reason, by queue.',
      labelNames: ['queue'],
      registers,
    }),
    logRowsDeleted: new Counter({
      name: 'sidecar_delivery_log_rows_deleted_total',
      help: 'Delivery-log rows deleted by the retention job (upstream log cleanup settings).',
      registers,
    }),
    inFlight: new Gauge({
      name: 'sidecar_in_flight_messages',
      help: 'Messages being handled now, by consumer.',
      labelNames: ['consumer'],
      registers,
      collect() {
        for (const [consumer, read] of inFlightSources) {
          this.set({ consumer }, read());
        }
      },
    }),
  };
}

/** A gauge labelled by subscription id whose values are read from `source` at scrape time. */
function perSubscriptionGauge(
  name: string,
  help: string,
  source: { read: () => Iterable<readonly [number, number]> },
  registers: Registry[],
): Gauge<'subscription'> {
  return new Gauge({
    name,
    help,
    labelNames: ['subscription'],
    registers,
    collect() {
      this.reset();
      for (const [subscription, value] of source.read()) {
        this.set({ subscription: String(subscription) }, value);
      }
    },
  });
}

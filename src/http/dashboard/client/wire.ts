/**
 * The shapes of the API answers the dashboard reads, as they travel (see src/http/routes and
 * src/stats for the server side). Only the fields the views use.
 */

export interface SeriesPoint {
  minute: string;
  total: number;
  failed: number;
}

export interface QueueDepth {
  queue: string;
  messages: number;
  consumers: number;
}

export interface DeliveryStats {
  window: { from: string; to: string; minutes: number; bucket_minutes: number };
  series: SeriesPoint[];
  totals: { total: number; failed: number };
  by_event: Array<{ event_name: string | null; total: number; failed: number; subscriptions: number }>;
  by_subscription: Array<{
    subscription_id: number;
    event_name: string | null;
    store_id: number | null;
    total: number;
    failed: number;
    last_created: string;
  }>;
  by_subscription_truncated: boolean;
  queues:
    | { available: true; backlog: QueueDepth[]; dead_letters: QueueDepth[] }
    | { available: false; reason: string };
  resolution: {
    count: number;
    p50_seconds: number | null;
    p95_seconds: number | null;
    p99_seconds: number | null;
    by_outcome: Record<string, number>;
  };
  retries_scheduled: Record<string, number>;
  parked: Record<string, number>;
  indexing_lag_seconds: number | null;
}

export interface Subscription {
  subscription_id: number;
  event_name: string;
  recipient_url: string;
  status: boolean;
  subscribed_at: string | null;
  store_id: number;
}

export interface SubscriptionPage {
  items: Subscription[];
  total_count: number;
}

export interface LogItem {
  log_id: number;
  uuid: string | null;
  subscription_id: number;
  event_name: string | null;
  store_id: number | null;
  success: boolean;
  created: string;
  response_data: string;
  body?: string | null;
}

export interface LogPage {
  items: LogItem[];
  total_count: number;
}

export interface Trace {
  uuid: string;
  items: LogItem[];
}

export interface ReplayedOne {
  replayed: Array<{ log_id: number; uuid: string | null; subscription_id: number }>;
}

export interface ReplayDryRun {
  dry_run: true;
  count: number;
  limited: boolean;
  sample: Array<{ log_id: number; uuid: string | null; subscription_id: number; event_name?: string | null }>;
}

export interface ReplayDone {
  dry_run: false;
  count: number;
  limited: boolean;
  replayed: unknown[];
  skipped: Array<{ uuid: string | null; reason: string }>;
}

export interface DeadLetter {
  queue: string;
  message_id: string | null;
  reason: string | null;
  parked_at: string | null;
  subscription_id: number | null;
  uuid: string | null;
  event_name: string | null;
  size: number;
  body_preview: string;
}

export interface DeadLetterQueue {
  queue: string;
  total: number;
  messages: DeadLetter[];
}

export interface Redriven {
  queue: string;
  redriven: string[];
  not_found: string[];
}

/** GET/PUT /V1/async_event/:id/controls: the effective controls, which ones are the subscription's own, and its health. */
export interface SubscriptionControls {
  subscription_id: number;
  status: boolean;
  max_in_flight: number;
  rate_limit_per_second: number;
  standard_webhooks: boolean;
  cloudevents_mode: 'structured' | 'binary';
  retry_schedule: 'upstream' | 'extended';
  auto_disable_after_s: number;
  overridden: string[];
  failing_since: string | null;
  disabled_at: string | null;
  disabled_reason: string | null;
  circuit: 'closed' | 'half-open' | 'open';
}

import type { SQSClientConfig } from '@aws-sdk/client-sqs';

import type { AttemptOutcome } from '../outcome.js';

/** What the eventbridge and sqs sinks share. Credentials come from the AWS SDK's standard chain. */
export interface AwsSinkOptions {
  /** Region when the recipient names none (AWS_REGION); the SDK's own chain when undefined. */
  region: string | undefined;
  /** Endpoint instead of the regional AWS one (AWS_ENDPOINT_URL_EVENTBRIDGE / AWS_ENDPOINT_URL_SQS). */
  endpoint: string | undefined;
  /** Whole-request timeout. @default 15000 ms (DELIVERY_TIMEOUT_MS) */
  timeoutMs: number;
  /** Connect timeout. @default 5000 ms (DELIVERY_CONNECT_TIMEOUT_MS) */
  connectTimeoutMs: number;
  /** Credentials or a provider instead of the standard chain (embedding, tests). @default the SDK's default chain */
  credentials?: SQSClientConfig['credentials'];
}

/** SDK settings shared by both clients: one attempt (our retry path retries) and our timeouts. */
export function baseClientConfig(options: AwsSinkOptions, region: string | undefined) {
  return {
    ...(region === undefined ? {} : { region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: options.connectTimeoutMs, requestTimeout: options.timeoutMs },
  };
}

/**
 * One client per region, created on first use (a bus ARN or queue URL may name any region). The SDK
 * module is imported on first use too: about 20 MB of RSS that a sidecar without AWS subscriptions
 * never pays. A failed import is tried again on the next delivery.
 */
export function makeClientCache<M, C extends { destroy(): void }>(
  load: () => Promise<M>,
  create: (sdk: M, region: string | undefined) => C,
) {
  let loading: Promise<M> | undefined;
  const clients = new Map<string, C>();
  return {
    /** The SDK module (for its command classes) and the region's client. */
    async get(region: string | undefined): Promise<{ sdk: M; client: C }> {
      const sdk = await (loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      }));
      const key = region ?? '';
      let client = clients.get(key);
      if (client === undefined) {
        client = create(sdk, region);
        clients.set(key, client);
      }
      return { sdk, client };
    },
    destroy(): void {
      clients.forEach((client) => client.destroy());
      clients.clear();
    },
  };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestLimitExceeded',
  'RequestThrottledException',
  'AWS.SimpleQueueService.RequestThrottled',
  'KmsThrottled',
]);
/** Our credentials expired: the chain refreshes them, so a later attempt can succeed. */
const TRANSIENT_AUTH = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);

/** Whether an error code of an AWS answer (or a failed PutEvents entry) is worth another try. */
export function isRetryableAwsCode(code: string): boolean {
  return THROTTLING.has(code) || TRANSIENT_AUTH.has(code) || /^Internal|ServiceUnavailable/.test(code);
}

/**
 * An SDK exception as a failed attempt: throttling, 5xx, expired credentials, timeouts and
 * network or credential-chain failures (no HTTP answer) are retryable; other 4xx answers are final.
 */
export function awsFailure(error: unknown, timedOut: boolean, timeoutMs: number): AttemptOutcome {
  if (timedOut) {
    return { ok: false, retryable: true, responseData: `No answer within ${timeoutMs} ms (timeout)` };
  }
  const details = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof details.name === 'string' ? details.name : 'Error';
  const message = typeof details.message === 'string' ? details.message : String(error);
  const status = details.$metadata?.httpStatusCode;
  const text = `${name}: ${message}${status === undefined ? '' : ` (HTTP ${status})`}`;
  if (status === undefined) {
    return { ok: false, retryable: true, responseData: `Request failed: ${text}` };
  }
  return {
    ok: false,
    retryable: status >= 500 || status === 429 || isRetryableAwsCode(name),
    status,
    responseData: text,
  };
}

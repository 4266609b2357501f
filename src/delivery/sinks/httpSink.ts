import { Agent } from 'undici';

import type { DestinationGuard } from '../../security/index.js';
import { exchange } from '../../shared/index.js';
import { readCloudEvent } from '../cloudEvent.js';
import { type AttemptOutcome, isRetryableStatus, parseRetryAfterSeconds } from '../outcome.js';
import { signMagento, standardWebhookHeaders } from '../signing.js';
import { checkHttpRecipient, endpointOfUrl, isHttpUrl } from './httpRecipient.js';
import { describeFailure, findBlocked, isInvalidRequest } from './httpResponse.js';
import type { Sink, SinkDelivery } from './sink.js';

export interface HttpSinkOptions {
  /** Whole-request timeout. @default 15000 ms (upstream) */
  timeoutMs: number;
  /** Connect timeout. @default 5000 ms (upstream) */
  connectTimeoutMs: number;
  /** Keep-alive connections per receiver origin. */
  connectionsPerOrigin: number;
  /** Most response bytes read and kept; the rest is discarded. @default 65535 (the TEXT column) */
  maxResponseBytes?: number;
  userAgent?: string;
  /** Refuses private, loopback and metadata destinations (at connect time, so DNS rebinding is caught too). */
  guard: DestinationGuard;
  /** Unix time in seconds, for `webhook-timestamp`. @default the system clock */
  nowS?: () => number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 65_535;

/**
 * Metadata `http`: POSTs the delivery through undici (the fastest Node HTTP client here,
 * design.md §9) on keep-alive pools per origin, signed with `x-magento-signature` over the bytes
 * actually sent and, when the subscription asks, with Standard Webhooks headers. CloudEvents
 * binary mode moves the attributes to `ce-*` headers and sends the raw `data`. Redirects are not
 * followed: a 3xx is a failed, final attempt, since following it would send signed data somewhere
 * nobody subscribed.
 */
export function makeHttpSink(options: HttpSinkOptions): Sink {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const nowS = options.nowS ?? (() => Math.floor(Date.now() / 1000));
  const agent = new Agent({
    connections: options.connectionsPerOrigin,
    connect: { timeout: options.connectTimeoutMs, lookup: options.guard.lookup },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 30_000,
  });
  const userAgent = options.userAgent ?? 'async-events-sidecar';

  const prepare = (delivery: SinkDelivery): { headers: Record<string, string>; body: Buffer } => {
    let body = delivery.body;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': userAgent };
    if (delivery.format.cloudEventsMode === 'binary') {
      const event = readCloudEvent(delivery.body, {
        id: delivery.uuid,
        type: delivery.eventName,
        source: String(delivery.subscription.storeId),
      });
      body = event.data;
      headers['content-type'] = event.datacontenttype;
      headers['ce-specversion'] = '1.0';
      headers['ce-id'] = event.id;
      headers['ce-source'] = event.source;
      headers['ce-type'] = event.type;
    }
    headers['x-magento-signature'] = signMagento(delivery.secret, body);
    if (delivery.format.standardWebhooks) {
      Object.assign(headers, standardWebhookHeaders(delivery.secret, delivery.uuid, nowS(), body));
    }
    return { headers, body };
  };

  const targets = makeTargetCache(options.guard);

  return {
    name: 'http',
    checkRecipient: (recipient) => checkHttpRecipient(recipient, options.guard),
    destinationOf: (recipient) => targets.of(recipient).endpoint,
    async deliver(delivery: SinkDelivery): Promise<AttemptOutcome> {
      const target = targets.of(delivery.subscription.recipientUrl);
      if (target.refusal !== undefined) {
        return { ok: false, retryable: false, responseData: target.refusal };
      }
      let prepared: { headers: Record<string, string>; body: Buffer };
      try {
        prepared = prepare(delivery);
      } catch (error: unknown) {
        const reason = error instanceof Error ? error.message : String(error);
        return {
          ok: false,
          retryable: false,
          responseData: `Cannot send in CloudEvents binary mode: ${reason}`,
        };
      }
      try {
        const response = await exchange(
          agent,
          // Named fields, not spreads: once per delivery, and a spread copy measured ~1.5 µs there.
          {
            origin: target.origin,
            path: target.path,
            method: 'POST',
            headers: prepared.headers,
            body: prepared.body,
          },
          { timeoutMs: options.timeoutMs, maxBodyBytes: maxResponseBytes, signal: delivery.signal },
        );
        // The status line already told the outcome: a receiver that answered 2xx has the event,
        // however slowly (or never) its body follows. Retrying would deliver it a second time.
        const text =
          response.bodyError !== undefined
            ? `[the response body could not be read: ${describeFailure(response.bodyError, options.timeoutMs)}]`
            : response.truncated
              ? `${UTF8.decode(response.body)}… [response truncated at ${maxResponseBytes} bytes]`
              : UTF8.decode(response.body);
        return outcomeOf(response.statusCode, response.headers, text);
      } catch (error: unknown) {
        const blockedAtConnect = findBlocked(error);
        if (blockedAtConnect !== undefined) {
          return { ok: false, retryable: false, responseData: blockedAtConnect };
        }
        return {
          ok: false,
          retryable: !isInvalidRequest(error),
          responseData: describeFailure(error, options.timeoutMs),
        };
      }
    },
    close: () => agent.close(),
  };
}

const UTF8 = new TextDecoder('utf-8');

/** Where a recipient URL sends, parsed once: every delivery to it would otherwise parse it again. */
interface Target {
  origin: string;
  /** Path and query. */
  path: string;
  /** The circuit-breaker key (endpointOfUrl). */
  endpoint: string;
  /** Why nothing may be sent there (not a URL, a blocked IP literal), when so. */
  refusal?: string;
}

/** Distinct recipients remembered; beyond this the cache starts over (subscriptions are few). */
const MAX_TARGETS = 10_000;

function makeTargetCache(guard: DestinationGuard): { of(recipient: string): Target } {
  const targets = new Map<string, Target>();
  return {
    of(recipient) {
      let target = targets.get(recipient);
      if (target === undefined) {
        if (targets.size >= MAX_TARGETS) {
          targets.clear();
        }
        target = parseTarget(recipient, guard);
        targets.set(recipient, target);
      }
      return target;
    },
  };
}

function parseTarget(recipient: string, guard: DestinationGuard): Target {
  let url: URL;
  try {
    url = new URL(recipient);
  } catch {
    return { origin: '', path: '', endpoint: recipient, refusal: `Not a URL: ${recipient}` };
  }
  const target = { origin: url.origin, path: `${url.pathname}${url.search}`, endpoint: endpointOfUrl(url) };
  if (!isHttpUrl(url)) {
    return { ...target, refusal: `Not an http(s) URL: ${url.protocol}` };
  }
  // Names are checked by the connection's lookup; IP literals never reach a lookup.
  const blocked = guard.literalBlockedBy(url.hostname);
  return blocked === undefined ? target : { ...target, refusal: `Destination blocked: ${blocked}` };
}

function outcomeOf(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
): AttemptOutcome {
  if (status >= 200 && status < 300) {
    return { ok: true, status, responseData: text };
  }
  const retryAfterHeader = headers['retry-after'];
  const retryAfterS = parseRetryAfterSeconds(
    Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader,
  );
  const location = headers.location;
  const answer = text !== '' ? text : `HTTP ${status}`;
  return {
    ok: false,
    retryable: isRetryableStatus(status),
    status,
    ...(retryAfterS === undefined ? {} : { retryAfterS }),
    responseData:
      status >= 300 && status < 400
        ? `HTTP ${status} redirect to ${String(location ?? '(no location)')} not followed. ${text}`.trim()
        : answer,
  };
}

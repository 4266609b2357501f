import { isIP } from 'node:net';

import { Agent, request } from 'undici';

import type { DestinationGuard } from '../../security/index.js';
import { readCloudEvent } from '../cloudEvent.js';
import { type AttemptOutcome, isRetryableStatus, parseRetryAfterSeconds } from '../outcome.js';
import { signMagento, standardWebhookHeaders } from '../signing.js';
import { checkHttpRecipient, httpEndpointOf } from './httpRecipient.js';
import { describeFailure, findBlocked, isInvalidRequest, readCapped } from './httpResponse.js';
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

  return {
    name: 'http',
    checkRecipient: (recipient) => checkHttpRecipient(recipient, options.guard),
    destinationOf: httpEndpointOf,
    async deliver(delivery: SinkDelivery): Promise<AttemptOutcome> {
      // Names are checked by the connection's lookup; IP literals never reach a lookup.
      const literal = ipLiteralOf(delivery.subscription.recipientUrl);
      const blocked = literal === undefined ? undefined : options.guard.blockedBy(literal);
      if (blocked !== undefined) {
        return { ok: false, retryable: false, responseData: `Destination blocked: ${blocked}` };
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
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = delivery.signal === undefined ? timeout : AbortSignal.any([timeout, delivery.signal]);
      try {
        const response = await request(delivery.subscription.recipientUrl, {
          method: 'POST',
          dispatcher: agent,
          signal,
          headers: prepared.headers,
          body: prepared.body,
        });
        let text: string;
        try {
          text = await readCapped(response.body, maxResponseBytes);
        } catch (error: unknown) {
          // The status line already told the outcome: a receiver that answered 2xx has the event,
          // however slowly (or never) its body follows. Retrying would deliver it a second time.
          const failure = describeFailure(error, timeout.aborted, options.timeoutMs);
          text = `[the response body could not be read: ${failure}]`;
        }
        return outcomeOf(response.statusCode, response.headers, text);
      } catch (error: unknown) {
        const blockedAtConnect = findBlocked(error);
        if (blockedAtConnect !== undefined) {
          return { ok: false, retryable: false, responseData: blockedAtConnect };
        }
        return {
          ok: false,
          retryable: !isInvalidRequest(error),
          responseData: describeFailure(error, timeout.aborted, options.timeoutMs),
        };
      }
    },
    close: () => agent.close(),
  };
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

function ipLiteralOf(url: string): string | undefined {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return isIP(host) === 0 ? undefined : host;
  } catch {
    return undefined;
  }
}

import { isIP } from 'node:net';

import { Agent, errors as undiciErrors, request } from 'undici';

import type { DestinationGuard } from '../../security/index.js';
import { errorCodeOf } from '../../shared/index.js';
import { type AttemptOutcome, isRetryableStatus, parseRetryAfterSeconds } from '../outcome.js';
import { signMagento } from '../signing.js';
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
}

const DEFAULT_MAX_RESPONSE_BYTES = 65_535;
const UTF8 = new TextDecoder('utf-8');

/**
 * Metadata `http`: POSTs the body with `x-magento-signature` through undici (the fastest Node HTTP
 * client here, design.md §9) on keep-alive pools per origin. Redirects are not followed: a 3xx is a
 * failed, final attempt, since following it would send signed data somewhere nobody subscribed.
 */
export function makeHttpSink(options: HttpSinkOptions): Sink {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const agent = new Agent({
    connections: options.connectionsPerOrigin,
    connect: { timeout: options.connectTimeoutMs, lookup: options.guard.lookup },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 30_000,
  });
  const userAgent = options.userAgent ?? 'async-events-sidecar';

  return {
    name: 'http',
    async deliver(delivery: SinkDelivery): Promise<AttemptOutcome> {
      // Names are checked by the connection's lookup; IP literals never reach a lookup.
      const literal = ipLiteralOf(delivery.subscription.recipientUrl);
      const blocked = literal === undefined ? undefined : options.guard.blockedBy(literal);
      if (blocked !== undefined) {
        return { ok: false, retryable: false, responseData: `Destination blocked: ${blocked}` };
      }
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = delivery.signal === undefined ? timeout : AbortSignal.any([timeout, delivery.signal]);
      try {
        const response = await request(delivery.subscription.recipientUrl, {
          method: 'POST',
          dispatcher: agent,
          signal,
          headers: {
            'content-type': 'application/json',
            'x-magento-signature': signMagento(delivery.secret, delivery.body),
            'user-agent': userAgent,
          },
          body: delivery.body,
        });
        const text = await readCapped(response.body, maxResponseBytes);
        const status = response.statusCode;
        if (status >= 200 && status < 300) {
          return { ok: true, status, responseData: text };
        }
        const retryAfterHeader = response.headers['retry-after'];
        const retryAfterS = parseRetryAfterSeconds(
          Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader,
        );
        const location = response.headers.location;
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

/** Reads at most `limit` bytes of a body as text; a larger body is cut and its stream discarded. */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  limit: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - size));
      body.destroy();
      return `${UTF8.decode(Buffer.concat(chunks))}… [response truncated at ${limit} bytes]`;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return UTF8.decode(Buffer.concat(chunks));
}

function ipLiteralOf(url: string): string | undefined {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return isIP(host) === 0 ? undefined : host;
  } catch {
    return undefined;
  }
}

/** The guard's refusal, wherever undici put it in the error chain. */
function findBlocked(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (errorCodeOf(current) === 'SC_ERR_DESTINATION_BLOCKED') {
      return current.message;
    }
  }
  return undefined;
}

function isInvalidRequest(error: unknown): boolean {
  return error instanceof undiciErrors.InvalidArgumentError || error instanceof TypeError;
}

function describeFailure(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) {
    return `No answer within ${timeoutMs} ms (timeout)`;
  }
  const code = errorCodeOf(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const causeCode = errorCodeOf(cause);
  const message = error instanceof Error ? error.message : String(error);
  const detail = cause !== undefined && cause.message !== message ? `: ${cause.message}` : '';
  return `Request failed: ${message}${detail}${(code ?? causeCode) ? ` (${code ?? causeCode})` : ''}`;
}

import type { Dispatcher } from 'undici';

/**
 * One HTTP request and its whole answer, dispatched straight on an undici dispatcher with a small
 * handler instead of through `undici.request()`. On the delivery hot path (one Magento GET and one
 * webhook POST per event) `request()` costs a body stream, an AbortSignal with its timer and a URL
 * parse per call; profiling `npm run bench` put those at about a fifth of the sidecar's CPU per
 * delivery. Here the answer is collected into one Buffer, the deadline is a plain timer (Node
 * keeps timers of equal duration in one list, so arming and clearing one is cheap), and the
 * caller passes the origin and path it parsed once.
 */
export interface ExchangeRequest {
  /** `scheme://host[:port]`, parsed once by the caller. */
  origin: string;
  /** Path and query, starting with `/`. */
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
}

export interface ExchangeLimits {
  /** The whole exchange, from dispatch to the last body byte. */
  timeoutMs: number;
  /** Answer bytes kept; a longer answer is cut there and its connection dropped. */
  maxBodyBytes: number;
  /** Aborts the exchange (the caller's message can no longer be acked, shutdown). */
  signal?: AbortSignal | undefined;
}

export interface ExchangeResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The answer was longer than `maxBodyBytes` and was cut. */
  truncated: boolean;
  /**
   * Reading the body failed after the status line had arrived (timeout, reset): the status is
   * still the receiver's answer, and `body` holds what arrived before.
   */
  bodyError?: Error;
}

/** The exchange ran past `timeoutMs`. */
export class ExchangeTimeoutError extends Error {
  readonly code = 'SC_EXCHANGE_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms`);
    this.name = 'ExchangeTimeoutError';
  }
}

/** Rejects when no status line arrives (connection refused, reset, timeout, abort). */
export function exchange(
  dispatcher: Dispatcher,
  request: ExchangeRequest,
  limits: ExchangeLimits,
): Promise<ExchangeResponse> {
  return new Promise<ExchangeResponse>((resolve, reject) => {
    const collector = new AnswerCollector(limits, resolve, reject);
    try {
      dispatcher.dispatch(
        {
          origin: request.origin,
          path: request.path,
          method: request.method,
          headers: request.headers,
          body: request.body ?? null,
        },
        collector,
      );
    } catch (error: unknown) {
      collector.onResponseError(undefined, error instanceof Error ? error : new Error(String(error)));
    }
  });
}

type Settle = (response: ExchangeResponse) => void;

/** undici's dispatch handler for one exchange: collects the answer and enforces the limits. */
class AnswerCollector implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private statusCode = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private truncated = false;
  private settled = false;
  private abortedWhileQueued: Error | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    private readonly limits: ExchangeLimits,
    private readonly resolve: Settle,
    private readonly reject: (error: Error) => void,
  ) {
    this.timer = setTimeout(() => this.abort(new ExchangeTimeoutError(limits.timeoutMs)), limits.timeoutMs);
    const { signal } = limits;
    if (signal !== undefined) {
      this.onAbort = () => this.abort(reasonOf(signal));
      if (signal.aborted) {
        queueMicrotask(this.onAbort);
      } else {
        signal.addEventListener('abort', this.onAbort, { once: true });
      }
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortedWhileQueued !== undefined) {
      controller.abort(this.abortedWhileQueued);
    }
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: object): void {
    if (statusCode < 200) {
      return; // 1xx informational: the real answer follows
    }
    this.statusCode = statusCode;
    this.headers = headers as Record<string, string | string[] | undefined>;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.truncated) {
      return;
    }
    const room = this.limits.maxBodyBytes - this.size;
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.size += room;
      this.truncated = true;
      // Nobody reads the rest: drop the connection instead of downloading it.
      this.finish();
      controller.abort(new Error('answer truncated'));
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  onResponseEnd(): void {
    this.finish();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.statusCode !== 0) {
      this.finish(error);
      return;
    }
    if (this.settle()) {
      this.reject(error);
    }
  }

  private abort(reason: Error): void {
    if (this.controller === undefined) {
      // Still queued in the pool: fail now, and abort it as soon as undici starts it.
      this.abortedWhileQueued = reason;
      if (this.settle()) {
        this.reject(reason);
      }
      return;
    }
    this.controller.abort(reason);
  }

  private finish(bodyError?: Error): void {
    if (!this.settle()) {
      return;
    }
    const body =
      this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
    this.resolve({
      statusCode: this.statusCode,
      headers: this.headers,
      body,
      truncated: this.truncated,
      ...(bodyError === undefined ? {} : { bodyError }),
    });
  }

  /** True the first time: the exchange settles once, whatever arrives after. */
  private settle(): boolean {
    if (this.settled) {
      return false;
    }
    this.settled = true;
    clearTimeout(this.timer);
    if (this.onAbort !== undefined) {
      this.limits.signal?.removeEventListener('abort', this.onAbort);
    }
    return true;
  }
}

function reasonOf(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}

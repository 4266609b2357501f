import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The loopback webhook receiver of the benchmark: it counts deliveries and notes when each one's
 * headers arrived (epoch ms, sub-ms: the publisher's clock) under the order id read from the
 * body's `increment_id` (the stand-in synthesizes it from the id; an order body holds it once).
 * It keeps no bodies, so long runs cost no memory and little CPU in the benchmark process, which
 * shares the machine with what it measures. The raw POST limit is measured against this same
 * receiver, so both figures pay its cost.
 */
export interface BenchReceiver {
  url: string;
  /** Requests answered since start or the last `clear()`. */
  count(): number;
  /** Order id → arrival time (only with `trackArrivals`). */
  arrivals: Map<number, number>;
  /** Forgets the count and arrivals. */
  clear(): void;
  close(): Promise<void>;
}

export interface BenchReceiverOptions {
  /** Answer status. @default 200 */
  status?: number;
  /** Wait this long before answering, in ms. @default 0 */
  delayMs?: number;
  /** Record arrival times by order id (latency runs). @default false */
  trackArrivals?: boolean;
}

const INCREMENT_ID = /"increment_id":"(\d+)"/;
const OK_BODY = '{"ok":true}';

export async function startBenchReceiver(options: BenchReceiverOptions = {}): Promise<BenchReceiver> {
  const arrivals = new Map<number, number>();
  let count = 0;
  const status = options.status ?? 200;
  const answer = (response: ServerResponse) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(OK_BODY);
  const server: Server = createServer((request, response) => {
    const receivedAt = performance.timeOrigin + performance.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      if (options.trackArrivals === true) {
        chunks.push(chunk);
      }
    });
    request.on('end', () => {
      count += 1;
      if (options.trackArrivals === true) {
        const match = INCREMENT_ID.exec(Buffer.concat(chunks).toString('latin1'));
        if (match?.[1] !== undefined) {
          arrivals.set(Number(match[1]), receivedAt);
        }
      }
      if (options.delayMs === undefined || options.delayMs === 0) {
        answer(response);
      } else {
        setTimeout(() => answer(response), options.delayMs);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    arrivals,
    clear() {
      count = 0;
      arrivals.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createConnection, createServer, type Server, type Socket } from 'node:net';

import { listen } from '../../fixtures/listen.js';

/**
 * A TCP forwarder in front of a service, so a test can take the service "down" (connections
 * refused, open ones reset) and bring it back on the same address without touching the service.
 */
export interface TcpProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops listening and resets every open connection. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('error', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
  });
  await listen(server, 0);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const down = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      for (const socket of sockets) {
        socket.resetAndDestroy();
      }
    });
  return {
    url: `http://127.0.0.1:${port}`,
    down,
    up: () => (server.listening ? Promise.resolve() : listen(server, port)),
    close: down,
  };
}

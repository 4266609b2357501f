import type { AddressInfo } from 'node:net';

import type { Express } from 'express';

export interface HttpServerHandle {
  url: string;
  port: number;
  /** Stops accepting, ends idle keep-alive connections and waits for open requests. */
  close(): Promise<void>;
}

export function startHttpServer(
  app: Express,
  options: { host: string; port: number },
): Promise<HttpServerHandle> {
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host);
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${shownHost}:${port}`,
        port,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          });
          return closing;
        },
      });
    });
  });
}

import type { AddressInfo, Socket } from 'node:net';

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
    server.on('clientError', answerClientError);
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

/** What Node's HTTP parser reports before express sees a request, and the status it deserves. */
const CLIENT_ERRORS: Readonly<Record<string, { status: number; reason: string; message: string }>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    message: 'The request line and headers are larger than the server accepts.',
  },
  HPE_URI_TOO_LONG: { status: 414, reason: 'URI Too Long', message: 'The request URL is too long.' },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    message: 'The request was not received in time.',
  },
};

/**
 * Node answers a request its parser refuses (a URL or headers over the limit, broken framing)
 * with a bare status line; answer it in Magento's error shape like every other API error, and
 * never echo what was sent. Sockets already written to, or gone, are just destroyed.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // As Node's own handler: only answer on a socket that is open and not in the middle of a response.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const code = error.code ?? '';
  const known = (Object.hasOwn(CLIENT_ERRORS, code) ? CLIENT_ERRORS[code] : undefined) ?? {
    status: 400,
    reason: 'Bad Request',
    message: 'The request cannot be read.',
  };
  const body = JSON.stringify({ message: known.message, parameters: [] });
  socket.end(
    `HTTP/1.1 ${known.status} ${known.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/** One request of a fuzz run: sent byte for byte as written. */
export interface FuzzCase {
  name: string;
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
}

export interface RawAnswer {
  status: number;
  text: string;
}

/** Raw HTTP, so bodies and paths go out exactly as written (fetch would normalise `..` and reject NUL). */
export function sendRaw(baseUrl: string, testCase: FuzzCase, token: string): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: testCase.method,
        path: testCase.path,
        headers: {
          authorization: `Bearer ${token}`,
          ...(testCase.body === undefined
            ? {}
            : { 'content-type': testCase.contentType ?? 'application/json' }),
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(testCase.body);
  });
}

/** Writes `bytes` on a bare TCP connection and returns whatever comes back until the server closes. */
export function sendBytes(baseUrl: string, bytes: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

import { request as httpRequest } from 'node:http';

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

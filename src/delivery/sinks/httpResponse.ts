import { errors as undiciErrors } from 'undici';

import { errorCodeOf } from '../../shared/index.js';

const UTF8 = new TextDecoder('utf-8');

/** Reads at most `limit` bytes of a body as text; a larger body is cut and its stream discarded. */
export async function readCapped(
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

/** The guard's refusal, wherever undici put it in the error chain. */
export function findBlocked(error: unknown): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (errorCodeOf(current) === 'SC_ERR_DESTINATION_BLOCKED') {
      return current.message;
    }
  }
  return undefined;
}

export function isInvalidRequest(error: unknown): boolean {
  return error instanceof undiciErrors.InvalidArgumentError || error instanceof TypeError;
}

export function describeFailure(error: unknown, timedOut: boolean, timeoutMs: number): string {
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

import { errors as undiciErrors } from 'undici';

import { errorCodeOf, ExchangeTimeoutError } from '../../shared/index.js';

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

export function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof ExchangeTimeoutError) {
    return `No answer within ${timeoutMs} ms (timeout)`;
  }
  const code = errorCodeOf(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const causeCode = errorCodeOf(cause);
  const message = error instanceof Error ? error.message : String(error);
  const detail = cause !== undefined && cause.message !== message ? `: ${cause.message}` : '';
  return `Request failed: ${message}${detail}${(code ?? causeCode) ? ` (${code ?? causeCode})` : ''}`;
}

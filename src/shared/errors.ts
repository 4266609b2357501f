/**
 * One registry of stable error codes. Every `SidecarError` carries one of these codes; the HTTP error
 * handler maps them to status codes and operators can grep logs for them. `errors.test.ts` checks
 * that every code is documented and unique.
 */
export const ERROR_CODES = {
  SC_ERR_CONFIG: { statusCode: 500, description: 'The environment configuration is invalid.' },
  SC_ERR_XML_INVALID: { statusCode: 500, description: 'An async_events.xml or webapi.xml file is invalid.' },
  SC_ERR_DECRYPT: {
    statusCode: 500,
    description: 'A verification token cannot be decrypted with MAGENTO_CRYPT_KEY.',
  },
  SC_ERR_DB_SCHEMA: {
    statusCode: 500,
    description: "Magento's async event tables are missing or different.",
  },
  SC_ERR_AMQP_PUBLISH: { statusCode: 503, description: 'RabbitMQ did not confirm a publish.' },
  SC_ERR_AMQP_UNROUTABLE: {
    statusCode: 503,
    description: 'RabbitMQ returned a publish because no queue is bound for it.',
  },
  SC_ERR_SHUTDOWN: { statusCode: 503, description: 'The sidecar is shutting down.' },
  SC_ERR_INPUT: { statusCode: 400, description: 'A REST API request is malformed or fails validation.' },
  SC_ERR_NOT_FOUND: {
    statusCode: 404,
    description: 'The requested subscription (or other record) does not exist.',
  },
  SC_ERR_UNAUTHORIZED: {
    statusCode: 401,
    description: 'The bearer token is missing, unknown or lacks an ACL resource.',
  },
  SC_ERR_RATE_LIMITED: {
    statusCode: 429,
    description: 'Too many failed authentications from one client address.',
  },
  SC_ERR_UNAVAILABLE: {
    statusCode: 503,
    description: 'A dependency (Magento, the database) cannot answer now.',
  },
} as const satisfies Record<string, { statusCode: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface SidecarErrorOptions {
  cause?: unknown;
  /** Overrides the registry's status code for this instance. */
  statusCode?: number;
}

/** Base error of the project: a stable `code` from {@link ERROR_CODES} and an HTTP status. */
export class SidecarError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;

  constructor(code: ErrorCode, message: string, options: SidecarErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SidecarError';
    this.code = code;
    this.statusCode = options.statusCode ?? ERROR_CODES[code].statusCode;
  }
}

/**
 * An error a REST client caused or must see, rendered the way Magento's webapi renders errors:
 * `{"message": "… %name …", "parameters": {...}}` (placeholders left in, values beside them), plus
 * `errors` when several inputs are wrong at once.
 */
export class ApiError extends SidecarError {
  readonly parameters: Readonly<Record<string, unknown>> | readonly unknown[];
  readonly errors: ReadonlyArray<{
    message: string;
    parameters: Readonly<Record<string, unknown>> | readonly unknown[];
  }>;

  constructor(
    code: ErrorCode,
    message: string,
    options: SidecarErrorOptions & {
      parameters?: Readonly<Record<string, unknown>> | readonly unknown[];
      errors?: ReadonlyArray<{
        message: string;
        parameters: Readonly<Record<string, unknown>> | readonly unknown[];
      }>;
    } = {},
  ) {
    super(code, message, options);
    this.name = 'ApiError';
    this.parameters = options.parameters ?? [];
    this.errors = options.errors ?? [];
  }
}

/**
 * A failure that will fail again the same way: do not retry it. (Expected failures of deliveries and
 * payload requests are not exceptions at all: they travel as `AttemptOutcome` / `ResolveOutcome`.)
 */
export class NonRetryableError extends SidecarError {
  constructor(code: ErrorCode, message: string, options: SidecarErrorOptions = {}) {
    super(code, message, options);
    this.name = 'NonRetryableError';
  }
}

export function isNonRetryableError(error: unknown): error is NonRetryableError {
  return error instanceof NonRetryableError || (error instanceof Error && error.name === 'NonRetryableError');
}

/** Anything thrown becomes an `Error`, so callers never handle strings or plain objects. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) {
    return thrown;
  }
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown) {
    const message = thrown.message;
    return new Error(typeof message === 'string' ? message : JSON.stringify(message), { cause: thrown });
  }
  return new Error(typeof thrown === 'string' ? thrown : `Non-error thrown: ${String(thrown)}`);
}

/** The `code` of a Node, mysql2 or amqplib error (`ECONNRESET`, `ER_LOCK_DEADLOCK`, …), if any. */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
  }
  return undefined;
}

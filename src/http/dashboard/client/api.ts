import { isMagentoErrorBody, magentoErrorLines } from './magentoMessage.js';

/** A refused or failed API call, with the API's messages rendered (placeholders substituted). */
export class ApiFailure extends Error {
  readonly status: number;
  readonly lines: readonly string[];

  constructor(status: number, lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'ApiFailure';
    this.status = status;
    this.lines = lines;
  }
}

export interface Api {
  get<T>(path: string, params?: URLSearchParams): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
}

const TIMEOUT_MS = 30_000;

/**
 * Calls the sidecar's REST API next to the page. Paths are relative ("V1/…"), so the dashboard also
 * works behind a reverse proxy that serves it under a prefix.
 */
export async function callApi(
  method: string,
  path: string,
  options: { token: string | undefined; body?: unknown; params?: URLSearchParams },
): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, document.baseURI);
  if (options.params !== undefined) {
    url.search = options.params.toString();
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token !== undefined) {
    headers.authorization = `Bearer ${options.token}`;
  }
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error: unknown) {
    throw new ApiFailure(0, [
      `The sidecar did not answer: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

export function failureOf(status: number, body: unknown): ApiFailure {
  if (isMagentoErrorBody(body)) {
    return new ApiFailure(status, magentoErrorLines(body));
  }
  return new ApiFailure(status, [
    `HTTP ${status}${typeof body === 'string' && body !== '' ? `: ${body.slice(0, 200)}` : ''}`,
  ]);
}

/** The API with the session's token; a 401 means the token stopped working, so the session ends. */
export function makeApi(options: { token: () => string | undefined; onUnauthorized: () => void }): Api {
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    params?: URLSearchParams,
  ): Promise<T> => {
    const answer = await callApi(method, path, { token: options.token(), body, params });
    if (answer.status >= 200 && answer.status < 300) {
      return answer.body as T;
    }
    if (answer.status === 401) {
      options.onUnauthorized();
    }
    throw failureOf(answer.status, answer.body);
  };
  return {
    get: (path, params) => call('GET', path, undefined, params),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
  };
}

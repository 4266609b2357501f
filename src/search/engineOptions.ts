import type { EngineName } from './engineClient.js';

export interface EngineClientOptions {
  engine: EngineName;
  /** Base URL, e.g. `http://opensearch:9200`; may carry `user:password@`. */
  url: string;
  /** Wins over a user name in the URL. */
  username?: string | undefined;
  /** Wins over a password in the URL. Never logged. */
  password?: string | undefined;
  /** Server-side budget of one search (ms); requests get REQUEST_GRACE_MS more to carry the answer back. */
  timeoutMs: number;
}

export interface EngineNode {
  /** The URL without credentials: what the client may print in errors. */
  node: string;
  auth?: { username: string; password: string };
}

/** Time for the answer to travel after the engine's own search timeout fired (ms). */
export const REQUEST_GRACE_MS = 2000;
/** Longest a bulk request may take: a few MB of documents on a busy cluster (ms). */
export const BULK_TIMEOUT_MS = 30_000;

/**
 * Credentials move out of the URL into the client's `auth` option: the clients put the node URL
 * into error metadata, and a URL with a password in it would end up wherever errors are printed.
 */
/**
 * The connection options both official clients take alike: the node, its credentials and the
 * timeouts. One transport retry covers a dropped connection; the indexer and the API handle
 * longer outages.
 */
export function engineConnection(options: EngineClientOptions): EngineNode & {
  requestTimeout: number;
  maxRetries: number;
} {
  return { ...engineNode(options), requestTimeout: options.timeoutMs + REQUEST_GRACE_MS, maxRetries: 1 };
}

export function engineNode(options: Pick<EngineClientOptions, 'url' | 'username' | 'password'>): EngineNode {
  const url = new URL(options.url);
  const username = options.username ?? decodeURIComponent(url.username);
  const password = options.password ?? decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return username === '' && password === ''
    ? { node: url.href }
    : { node: url.href, auth: { username, password } };
}

import http from 'node:http';
import https from 'node:https';

import axios, { type AxiosInstance } from 'axios';

import { coerceError } from '../shared/index.js';

/** A raw REST answer: the body bytes are kept as Magento wrote them, to be spliced into deliveries. */
export interface RestResponse {
  status: number;
  body: Buffer;
  contentType: string | undefined;
  retryAfter: string | undefined;
}

export interface MagentoRestClient {
  /** GETs `<base>/rest<path>` (path starts with `/V1/`). Network failures reject; HTTP errors resolve. */
  get(path: string, signal?: AbortSignal): Promise<RestResponse>;
  close(): void;
}

export interface MagentoRestClientOptions {
  /** The store's base URL, without a trailing slash. */
  baseUrl: string;
  /** Integration access token, sent as `Authorization: Bearer`. Never logged. */
  token: string;
  /** Timeout of one request. @default 30000 ms */
  timeoutMs: number;
  /** Keep-alive sockets to Magento; match the resolver's concurrency. */
  maxSockets: number;
}

/**
 * axios with keep-alive agents: one Magento request per event, dominated by PHP's own latency, so
 * axios's overhead does not matter here (design.md §9), while connection reuse does.
 */
export function makeMagentoRestClient(options: MagentoRestClientOptions): MagentoRestClient {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const client: AxiosInstance = axios.create({
    baseURL: `${options.baseUrl}/rest`,
    headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
    responseType: 'arraybuffer',
    timeout: options.timeoutMs,
    maxRedirects: 0,
    validateStatus: () => true,
    httpAgent,
    httpsAgent,
    // The body is handed on untouched; never let axios parse or transform it.
    transformResponse: [(data: unknown) => data],
  });

  return {
    async get(path, signal) {
      try {
        const response = await client.get<ArrayBuffer>(path, { signal });
        const contentType = response.headers['content-type'] as string | undefined;
        const retryAfter = response.headers['retry-after'] as string | undefined;
        return { status: response.status, body: Buffer.from(response.data), contentType, retryAfter };
      } catch (error: unknown) {
        // axios errors carry the request config, headers included: keep only the message and code.
        const failure = coerceError(error);
        const code = (failure as { code?: unknown }).code;
        const clean = new Error(`${failure.message}${typeof code === 'string' ? ` (${code})` : ''}`);
        (clean as { code?: unknown }).code = code;
        throw clean;
      }
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

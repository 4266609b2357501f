import { describe, expect, it } from 'vitest';

import { ApiError, SidecarError } from '../shared/index.js';
import { classifyEngineError, loggableFailure, toApiFailure } from './engineErrors.js';

/** Shaped like both clients' ResponseError: the status and body under `meta`, plus request metadata. */
function responseError(statusCode: number, body: unknown): Error {
  return Object.assign(new Error('Response Error'), {
    name: 'ResponseError',
    meta: {
      statusCode,
      body,
      meta: { request: { params: { headers: { authorization: 'Basic c2VjcmV0OnNlY3JldA==' } } } },
    },
  });
}

const PARSE_FAILURE = {
  error: {
    root_cause: [{ type: 'query_shard_exception', reason: 'Failed to parse query [a:(]' }],
    type: 'search_phase_execution_exception',
    reason: 'all shards failed',
    failed_shards: [
      {
        reason: {
          type: 'query_shard_exception',
          reason: 'Failed to parse query [a:(]',
          caused_by: { type: 'parse_exception', reason: "Cannot parse 'a:(': Encountered <EOF>" },
        },
      },
    ],
  },
  status: 400,
};

describe('engine error classification', () => {
  it("turns an engine 400 into the caller's 400 with the engine's reason", () => {
    const failure = classifyEngineError(responseError(400, PARSE_FAILURE));
    expect(failure).toEqual({
      kind: 'rejected',
      name: 'ResponseError',
      status: 400,
      type: 'query_shard_exception',
      reason: "query_shard_exception: Failed to parse query [a:(] (Cannot parse 'a:(': Encountered <EOF>)",
    });
    const api = toApiFailure(responseError(400, PARSE_FAILURE));
    expect(api).toBeInstanceOf(ApiError);
    expect(api.statusCode).toBe(400);
    expect((api as ApiError).parameters).toEqual({ reason: failure.reason });
  });

  it('turns outages, throttling, auth failures and the wrong product into a 503, never an empty answer', () => {
    const cases: Array<[Error, RegExp]> = [
      [
        responseError(503, { error: { type: 'master_not_discovered_exception', reason: null }, status: 503 }),
        /master_not_discovered/,
      ],
      [
        responseError(429, { error: { type: 'es_rejected_execution_exception', reason: 'queue full' } }),
        /queue full/,
      ],
      [
        responseError(401, { error: { type: 'security_exception', reason: 'missing credentials' } }),
        /SEARCH_USERNAME/,
      ],
      [
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9200'), {
          name: 'ConnectionError',
          meta: {},
        }),
        /ECONNREFUSED/,
      ],
      [
        Object.assign(new Error('Product Not Supported Error'), {
          name: 'ProductNotSupportedError',
          meta: {},
        }),
        /SEARCH_ENGINE=opensearch/,
      ],
      [
        Object.assign(new Error('x'), { name: 'NotCompatibleError', meta: {} }),
        /SEARCH_ENGINE=elasticsearch/,
      ],
    ];
    for (const [error, reason] of cases) {
      const api = toApiFailure(error);
      expect(api).toBeInstanceOf(SidecarError);
      expect(api).not.toBeInstanceOf(ApiError);
      expect(api.code).toBe('SC_ERR_UNAVAILABLE');
      expect(api.statusCode).toBe(503);
      expect(api.message).toMatch(reason);
      expect(api.cause).toBeUndefined();
    }
  });

  it('logs engine errors as a summary without their request metadata', () => {
    const { fields, reason } = loggableFailure(responseError(503, { error: { type: 'x', reason: 'down' } }));
    expect(JSON.stringify(fields)).not.toMatch(/authorization|c2VjcmV0/);
    expect(reason).toBe('ResponseError: x: down');
    const database = Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST' });
    expect(loggableFailure(database)).toEqual({
      fields: { err: database },
      reason: 'PROTOCOL_CONNECTION_LOST: Connection lost',
    });
  });
});

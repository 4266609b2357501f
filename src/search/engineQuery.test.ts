import { describe, expect, it } from 'vitest';

import { ApiError } from '../shared/index.js';
import {
  chainScanBody,
  engineQueryOf,
  logIdsQuery,
  MAX_RESULT_WINDOW,
  searchPageBody,
} from './engineQuery.js';
import { parseQuery } from './query.js';
import { queryToSql } from './sqlTranslator.js';

function refusal(run: () => unknown): ApiError | undefined {
  try {
    run();
    return undefined;
  } catch (error: unknown) {
    return error as ApiError;
  }
}

describe('engine query bodies', () => {
  it("sends the user's query unchanged as a query_string with OR as the default operator", () => {
    for (const q of [
      'event_name: customer.*',
      '*.created',
      'customer.* AND success: false',
      'data.data.customer_email: roni_cost@example.com',
      'data.data.increment_id: CK* AND success: true',
      'created:[2026-01-01 TO now]',
      '"order created" OR NOT (uuid:abc OR store_id:[1 TO 3])',
    ]) {
      expect(engineQueryOf(`  ${q} `)).toEqual({ query_string: { query: q, default_operator: 'OR' } });
    }
  });

  it('matches everything for an empty query', () => {
    for (const q of ['', '  ', '*', '*:*']) {
      expect(engineQueryOf(q)).toEqual({ match_all: {} });
    }
  });

  it('refuses exactly what the embedded backend refuses, with the same 400', () => {
    // Accepted by both (they are just odd terms): sent to the engine as typed.
    for (const q of ["x' OR 1=1 --", 'response_data:"; DROP TABLE async_event_subscriber_log; --"']) {
      expect(refusal(() => queryToSql(parseQuery(q)))).toBeUndefined();
      expect(engineQueryOf(q)).toEqual({ query_string: { query: q, default_operator: 'OR' } });
    }
    const hostile = [
      'data.data.x:(',
      'log_id:1; DROP TABLE async_event_subscriber_log',
      'success:maybe',
      'created:[yesterday TO now]',
      'log_id:abc',
      '/.*/',
      'roni~2',
      '"a b"~3',
      `${'('.repeat(40)}a${')'.repeat(40)}`,
      Array.from({ length: 70 }, (_, index) => `t${index}`).join(' OR '),
      `data.data.email:${'*a'.repeat(200)}`,
      'x'.repeat(2001),
      'data.da-ta.x:1',
    ];
    for (const q of hostile) {
      const embedded = refusal(() => queryToSql(parseQuery(q)));
      const engine = refusal(() => engineQueryOf(q));
      expect(engine, q).toBeInstanceOf(ApiError);
      expect(engine?.statusCode, q).toBe(400);
      expect(engine?.message, q).toBe(embedded?.message);
    }
  });

  it('pages newest first with exact totals, ids only, within the result window', () => {
    const query = { match_all: {} };
    expect(searchPageBody(query, { pageSize: 20, currentPage: 3, bodies: true }, 10_000)).toEqual({
      query,
      sort: [{ log_id: { order: 'desc', unmapped_type: 'long' } }],
      from: 40,
      size: 20,
      track_total_hits: true,
      _source: false,
      timeout: '10000ms',
    });
    expect(searchPageBody(query, { pageSize: 500, currentPage: 20, bodies: false }, 1000).from).toBe(9500);
    const beyond = refusal(() =>
      searchPageBody(query, { pageSize: 500, currentPage: 21, bodies: false }, 1000),
    );
    expect(beyond).toBeInstanceOf(ApiError);
    expect(beyond?.statusCode).toBe(400);
    expect(beyond?.message).toMatch(/first %max hits/);
    expect((beyond as ApiError).parameters).toEqual({ max: MAX_RESULT_WINDOW, page: 21 });
  });

  it('walks chains with search_after on log_id and deletes by log_id terms', () => {
    const query = { match_all: {} };
    expect(chainScanBody(query, undefined, 500)).toEqual({
      query,
      sort: [{ log_id: { order: 'desc', unmapped_type: 'long' } }],
      size: 5000,
      track_total_hits: false,
      _source: ['uuid'],
      timeout: '500ms',
    });
    expect(chainScanBody(query, 1234, 500).search_after).toEqual([1234]);
    expect(logIdsQuery([3, 1])).toEqual({ terms: { log_id: [3, 1] } });
  });
});

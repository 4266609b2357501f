import { describe, expect, it } from 'vitest';

import { parseQuery, QUERY_LIMITS } from './query.js';

describe('parseQuery', () => {
  it('parses the upstream README examples', () => {
    expect(parseQuery('event_name: customer.*')).toEqual({
      kind: 'term',
      field: 'event_name',
      value: 'customer.*',
      wildcard: true,
      phrase: false,
    });
    expect(parseQuery('*.created')).toEqual({
      kind: 'term',
      field: undefined,
      value: '*.created',
      wildcard: true,
      phrase: false,
    });
    expect(parseQuery('customer.* AND success: false')).toEqual({
      kind: 'and',
      children: [
        { kind: 'term', field: undefined, value: 'customer.*', wildcard: true, phrase: false },
        { kind: 'term', field: 'success', value: 'false', wildcard: false, phrase: false },
      ],
    });
    expect(parseQuery('data.data.customer_email: roni_cost@example.com')).toMatchObject({
      field: 'data.data.customer_email',
      value: 'roni_cost@example.com',
    });
    expect(parseQuery('data.data.increment_id: CK* AND success: true')).toMatchObject({ kind: 'and' });
  });

  it('parses ranges, phrases, NOT/OR and grouping', () => {
    expect(parseQuery('created:[2026-01-01 TO now]')).toEqual({
      kind: 'range',
      field: 'created',
      min: '2026-01-01',
      max: 'now',
      minInclusive: true,
      maxInclusive: true,
    });
    expect(parseQuery('log_id:{10 TO *]')).toEqual({
      kind: 'range',
      field: 'log_id',
      min: '10',
      max: undefined,
      minInclusive: false,
      maxInclusive: true,
    });
    expect(parseQuery('response_data:"Service Unavailable"')).toMatchObject({
      kind: 'term',
      phrase: true,
      value: 'Service Unavailable',
      wildcard: false,
    });
    expect(parseQuery('NOT success:true')).toEqual({
      kind: 'not',
      child: { kind: 'term', field: 'success', value: 'true', wildcard: false, phrase: false },
    });
    expect(parseQuery('a:1 OR (b:2 AND -c:3)')).toEqual({
      kind: 'or',
      children: [
        { kind: 'term', field: 'a', value: '1', wildcard: false, phrase: false },
        {
          kind: 'and',
          children: [
            { kind: 'term', field: 'b', value: '2', wildcard: false, phrase: false },
            { kind: 'not', child: { kind: 'term', field: 'c', value: '3', wildcard: false, phrase: false } },
          ],
        },
      ],
    });
    expect(parseQuery('a:1 AND NOT b:2')).toMatchObject({
      kind: 'and',
      children: [{ kind: 'term' }, { kind: 'not' }],
    });
    expect(parseQuery('a:1 b:2')).toMatchObject({ kind: 'or' });
  });

  it('matches everything for an empty query', () => {
    expect(parseQuery('')).toEqual({ kind: 'all' });
    expect(parseQuery('*:*')).toEqual({ kind: 'all' });
  });

  it.each([
    ['field:/re.*gex/', /Regular expressions/],
    ['name:roni~2', /Fuzzy terms/],
    ['"a b"~3', /Proximity searches/],
    ['a:(b', /not valid Lucene syntax/],
    ['AND', /operator without a term/],
    ['  NOT ', /operator without a term/],
    ['OR', /operator without a term/],
    ['[1 TO 2]', /A range needs a field/],
    ['x'.repeat(QUERY_LIMITS.maxLength + 1), /longer than %max characters/],
    [`a:${'x'.repeat(QUERY_LIMITS.maxTermLength + 1)}`, /longer than %max characters/],
    [Array.from({ length: 70 }, (_, i) => `a:${i}`).join(' OR '), /more than %max clauses/],
    [`${'('.repeat(30)}a:1${')'.repeat(30)}`, /deeper than %max levels/],
  ])('refuses %s with a 400', (q, message) => {
    expect(() => parseQuery(q)).toThrow(message);
    try {
      parseQuery(q);
    } catch (error: unknown) {
      expect(error).toMatchObject({ statusCode: 400 });
    }
  });
});

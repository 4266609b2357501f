import { describe, expect, it } from 'vitest';

import { parseQuery } from './query.js';
import { likePattern, queryToSql } from './sqlTranslator.js';

const sql = (q: string) => queryToSql(parseQuery(q));

describe('likePattern', () => {
  it('escapes SQL wildcards and turns Lucene ones into SQL ones', () => {
    expect(likePattern('50%_off!', false)).toBe('50!%!_off!!');
    expect(likePattern('CK*?', true)).toBe('CK%_');
    expect(likePattern('a*', false, true)).toBe('%a*%');
  });
});

describe('queryToSql', () => {
  it('keeps every value in parameters', () => {
    const condition = sql("event_name:\"x' OR '1'='1\" OR uuid:abc");
    expect(condition.sql).not.toContain("'1'='1");
    expect(condition.params).toContain("x' OR '1'='1");
    expect(condition.sql).toBe('(COALESCE((s.event_name = ?), 0) OR COALESCE((l.uuid = ?), 0))');
  });

  it('maps field kinds', () => {
    expect(sql('log_id:5')).toEqual({ sql: 'COALESCE((l.log_id = ?), 0)', params: [5] });
    expect(sql('success:false').params).toEqual([0]);
    expect(sql('event_name:customer.*')).toEqual({
      sql: "COALESCE((s.event_name LIKE ? ESCAPE '!'), 0)",
      params: ['customer.%'],
    });
    expect(sql('response_data:timeout').params).toEqual(['%timeout%']);
    expect(sql('created:2026-01-02').params).toEqual(['2026-01-02 00:00:00', '2026-01-03 00:00:00']);
    expect(sql('data.data.increment_id:CK*').params).toEqual([
      '%CK%',
      '$.data.increment_id',
      'CK%',
      '"$.data.increment_id"',
      'CK%',
      '$**.increment_id',
      '\\[[0-9]+\\]',
    ]);
  });

  it('prefilters body matches on the raw text only when the value appears verbatim in JSON', () => {
    const prefilter = (q: string) => {
      const { sql: text, params } = sql(q);
      return text.includes('CONVERT(l.serialized_data USING utf8mb4) LIKE') ? params[0] : undefined;
    };
    expect(prefilter('data.data.customer_email:roni_cost@example.com')).toBe('%roni!_cost@example.com%');
    expect(prefilter('data.data.sku:24?MB*')).toBe('%24%MB%');
    expect(prefilter('data:Costello')).toBe('%Costello%');
    // PHP writes "/" as "\/" and non-ASCII as \uXXXX: the raw text would not contain the value.
    expect(prefilter('data.data.url:"https://example.com/a"')).toBeUndefined();
    expect(prefilter('data.data.lastname:Müller')).toBeUndefined();
    expect(prefilter('data.data.sku:*')).toBeUndefined();
  });

  it('translates ranges, including date math and exclusive bounds', () => {
    expect(sql('log_id:[10 TO 20}')).toEqual({
      sql: 'COALESCE((l.log_id >= ? AND l.log_id < ?), 0)',
      params: [10, 20],
    });
    expect(sql('created:{2026-01-01 TO 2026-01-31]').params).toEqual([
      '2026-01-02 00:00:00',
      '2026-02-01 00:00:00',
    ]);
    expect(sql('data.data.grand_total:[100 TO *]').sql).toContain('CAST(JSON_UNQUOTE(JSON_EXTRACT(');
    expect(sql('created:[now-1d TO now]').params).toHaveLength(2);
  });

  it('negates with NOT over a NULL-safe leaf', () => {
    expect(sql('NOT success:true').sql).toBe('NOT COALESCE((l.success = ?), 0)');
  });

  it.each([
    ['log_id:abc', /takes whole numbers/],
    ['success:maybe', /true or false/],
    ['created:yesterday', /is not a date/],
    ['verification_token:x', /Unknown field/],
    ['data.a-b:x', /may only use letters, digits and _/],
    ['success:[0 TO 1]', /cannot take a range/],
    ['data:[1 TO 2]', /needs a path/],
  ])('refuses %s', (q, message) => {
    expect(() => sql(q)).toThrow(message);
  });
});

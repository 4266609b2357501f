import { describe, expect, it } from 'vitest';

import { resolveDate, toSqlDateTime } from './dateMath.js';

const NOW = new Date('2026-11-23T10:20:30.456Z');
const at = (value: string) => {
  const resolved = resolveDate(value, NOW);
  return [toSqlDateTime(resolved.start), toSqlDateTime(resolved.end)];
};

describe('resolveDate', () => {
  it('reads dates, date-times and now with math and rounding', () => {
    expect(at('2026-01-01')).toEqual(['2026-01-01 00:00:00', '2026-01-02 00:00:00']);
    expect(at('2026-01-01T10:00:00')).toEqual(['2026-01-01 10:00:00', '2026-01-01 10:00:01']);
    expect(at('2026-01-01 10:00')).toEqual(['2026-01-01 10:00:00', '2026-01-01 10:00:01']);
    expect(at('now')).toEqual(['2026-11-23 10:20:30', '2026-11-23 10:20:31']);
    expect(at('now-1d')).toEqual(['2026-11-22 10:20:30', '2026-11-22 10:20:31']);
    expect(at('now-2h/h')).toEqual(['2026-11-23 08:00:00', '2026-11-23 09:00:00']);
    expect(at('now/d')).toEqual(['2026-11-23 00:00:00', '2026-11-24 00:00:00']);
    expect(at('now-1M/M')).toEqual(['2026-10-01 00:00:00', '2026-11-01 00:00:00']);
    expect(at('now/w')).toEqual(['2026-11-23 00:00:00', '2026-11-30 00:00:00']);
  });

  it.each(['yesterday', '2026-02-30', '2026-13-01', 'now-1q', '2026/01/01'])('refuses %s', (value) => {
    expect(() => resolveDate(value, NOW)).toThrow(/is not a date/);
  });
});

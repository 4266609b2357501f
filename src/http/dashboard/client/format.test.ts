import { describe, expect, it } from 'vitest';

import {
  countOf,
  formatCount,
  formatFailureRate,
  formatGap,
  formatPercent,
  formatSeconds,
  formatSuccessRate,
  parseMagentoUtc,
  prettyBody,
  shorten,
} from './format.js';

describe('rates', () => {
  it('shows shares as percentages, and a dash without attempts', () => {
    expect(formatFailureRate(1, 4)).toBe('25%');
    expect(formatSuccessRate(1, 3)).toBe('66.7%');
    expect(formatFailureRate(0, 0)).toBe('–');
    expect(formatSuccessRate(0, 0)).toBe('–');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
  });

  it('never rounds a few failures to 0% or 100%', () => {
    expect(formatFailureRate(1, 10_000)).toBe('<0.1%');
    expect(formatSuccessRate(1, 10_000)).toBe('>99.9%');
  });
});

describe('formatSeconds', () => {
  it('picks a readable unit', () => {
    expect(formatSeconds(0.0042)).toBe('4.20 ms');
    expect(formatSeconds(0.25)).toBe('250 ms');
    expect(formatSeconds(1.5)).toBe('1.50 s');
    expect(formatSeconds(42)).toBe('42 s');
    expect(formatSeconds(600)).toBe('10 min');
  });

  it('says n/a when unknown', () => {
    expect(formatSeconds(null)).toBe('n/a');
    expect(formatSeconds(undefined)).toBe('n/a');
    expect(formatSeconds(Number.NaN)).toBe('n/a');
  });
});

describe('formatGap and parseMagentoUtc', () => {
  it('reads Magento datetimes as UTC', () => {
    expect(parseMagentoUtc('2026-11-23 10:00:05')).toBe(Date.UTC(2026, 10, 23, 10, 0, 5));
    expect(parseMagentoUtc('soon')).toBeUndefined();
  });

  it('shows the time between attempts', () => {
    expect(formatGap('2026-11-23 10:00:00', '2026-11-23 10:00:05')).toBe('+5 s');
    expect(formatGap('2026-11-23 10:00:00', '2026-11-23 10:02:03')).toBe('+2 min 3 s');
    expect(formatGap('2026-11-23 10:00:00', '2026-11-23 10:03:00')).toBe('+3 min');
    expect(formatGap('x', '2026-11-23 10:03:00')).toBe('');
  });
});

describe('prettyBody', () => {
  it('pretty-prints JSON and keeps anything else as it came', () => {
    expect(prettyBody('{"a":[1,{"b":"<i>"}]}')).toBe(
      '{\n  "a": [\n    1,\n    {\n      "b": "<i>"\n    }\n  ]\n}',
    );
    expect(prettyBody('<html>oops</html>')).toBe('<html>oops</html>');
    expect(prettyBody(null)).toBe('(no stored body)');
  });
});

describe('shorten and formatCount', () => {
  it('cuts long text with an ellipsis', () => {
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('abc', 4)).toBe('abc');
  });

  it('groups thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('puts the word in the right number', () => {
    expect(countOf(1, 'chain')).toBe('1 chain');
    expect(countOf(0, 'chain')).toBe('0 chains');
    expect(countOf(2048, 'entry', 'entries')).toBe('2,048 entries');
  });
});

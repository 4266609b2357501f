import { describe, expect, it } from 'vitest';

import { phpJsonEncode, phpJsonString } from './phpJson.js';

describe('phpJsonString', () => {
  it('escapes slashes and non-ASCII like PHP json_encode without flags', () => {
    expect(phpJsonString('https://shop.test/a')).toBe('"https:\\/\\/shop.test\\/a"');
    expect(phpJsonString('Zoë Müller')).toBe('"Zo\\u00eb M\\u00fcller"');
    expect(phpJsonString('€')).toBe('"\\u20ac"');
  });

  it('writes astral characters as lower-case surrogate pairs', () => {
    expect(phpJsonString('😀')).toBe('"\\ud83d\\ude00"');
  });

  it('escapes control characters, quotes and backslashes like PHP', () => {
    expect(phpJsonString('a"b\\c\n\t\r\b\f\u0001\u001f')).toBe('"a\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f"');
  });

  it('leaves DEL and printable ASCII alone', () => {
    expect(phpJsonString("~\u007f<>&'")).toBe('"~\u007f<>&\'"');
  });
});

describe('phpJsonEncode', () => {
  it('encodes nested values without spaces, keeping key order', () => {
    expect(phpJsonEncode(['sales.order.created', '{"id":5}', 1])).toBe(
      '["sales.order.created","{\\"id\\":5}",1]',
    );
    expect(phpJsonEncode({ b: 1, a: [true, null, 1.5], c: { d: 'x/y' } })).toBe(
      '{"b":1,"a":[true,null,1.5],"c":{"d":"x\\/y"}}',
    );
  });

  it('refuses values PHP cannot encode', () => {
    expect(() => phpJsonEncode(Number.NaN)).toThrow(/Inf and NaN/);
    expect(() => phpJsonEncode(() => 1)).toThrow(TypeError);
  });
});

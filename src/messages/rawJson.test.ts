import { describe, expect, it } from 'vitest';

import { rawArrayObjectMembers, rawTopLevelMember } from './rawJson.js';

describe('rawTopLevelMember', () => {
  it('finds members after strings holding braces, quotes and commas', () => {
    const body = Buffer.from('{ "a" : "x}\\",{" , "b":[1,{"c":"]"}], "content" : {"k":"v"} , "z":1}');
    expect(rawTopLevelMember(body, 'b')?.toString()).toBe('[1,{"c":"]"}]');
    expect(rawTopLevelMember(body, 'content')?.toString()).toBe('{"k":"v"}');
    expect(rawTopLevelMember(body, 'z')?.toString()).toBe('1');
    expect(rawTopLevelMember(body, 'missing')).toBeUndefined();
  });

  it('handles multi-byte UTF-8 without confusing it for structure', () => {
    const body = Buffer.from('{"k":"ü}é","content":{"n":"日本"}}', 'utf8');
    expect(rawTopLevelMember(body, 'content')?.toString('utf8')).toBe('{"n":"日本"}');
  });
});

describe('rawArrayObjectMembers', () => {
  const names = new Set(['ok', 'payload', 'message']);
  const read = (text: string) =>
    rawArrayObjectMembers(Buffer.from(text, 'utf8'), names)?.map((members) =>
      Object.fromEntries([...members].map(([name, raw]) => [name, raw.toString('utf8')])),
    );

  it('takes the named members of each object in one pass, byte for byte', () => {
    const text =
      ' [ {"event_name":"a","ok":true,"payload":{"s":"}],{\\"","n":36.0,"u":"\\u00eb","l":[1,{"x":"]"}]}} ,' +
      '{"ok" : false , "message":"Zo\u00eb ü", "status":404},{"other":[1,2]},{} ] ';
    expect(read(text)).toEqual([
      { ok: 'true', payload: '{"s":"}],{\\"","n":36.0,"u":"\\u00eb","l":[1,{"x":"]"}]}' },
      { ok: 'false', message: '"Zo\u00eb ü"' },
      {},
      {},
    ]);
    // A string ending in an escaped backslash ends at its quote.
    expect(read('[{"payload":{"path":"C:\\\\","q":"\\\\\\""},"ok":true}]')).toEqual([
      { payload: '{"path":"C:\\\\","q":"\\\\\\""}', ok: 'true' },
    ]);
    expect(read('[]')).toEqual([]);
    // A key written with escapes is compared decoded.
    expect(read('[{"\\u006fk":true}]')).toEqual([{ ok: 'true' }]);
  });

  it('refuses anything that is not a closed array of objects', () => {
    for (const text of [
      '{"ok":true}',
      '[{"ok":true}',
      '[{"ok":true,"payload":{"a":1}]',
      '[{"ok":true,"payload":"unterminated}]',
      '[{"ok":true}] trailing',
      '[{"ok":true},]',
      '[{"ok" true}]',
      '[{"ok":}]',
      '[1,{"ok":true}]',
      '[{"ok":true} {"ok":true}]',
      '[{"\\x":true}]',
      '',
    ]) {
      expect(read(text), text).toBeUndefined();
    }
  });
});

import { describe, expect, it } from 'vitest';

import { rawArrayElements, rawTopLevelMember } from './rawJson.js';

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

describe('rawArrayElements', () => {
  it('splits a top-level array into the raw bytes of each element', () => {
    const body = Buffer.from(' [ {"a":"],{"} , [1,[2]] ,"x\\"y", 3.0e1 , null ] ');
    expect(rawArrayElements(body)?.map((element) => element.toString())).toEqual([
      '{"a":"],{"}',
      '[1,[2]]',
      '"x\\"y"',
      '3.0e1',
      'null',
    ]);
  });

  it('handles empty arrays and refuses non-arrays', () => {
    expect(rawArrayElements(Buffer.from('[]'))).toEqual([]);
    expect(rawArrayElements(Buffer.from('{"a":1}'))).toBeUndefined();
  });
});

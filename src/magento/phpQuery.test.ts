import { describe, expect, it } from 'vitest';

import { buildPhpQuery } from './phpQuery.js';

describe('buildPhpQuery', () => {
  it('writes scalars, booleans as 1/0 and leaves null out, like http_build_query', () => {
    expect(
      buildPhpQuery({ storeId: 1, name: 'a b&c', on: true, off: false, gone: null, undef: undefined }),
    ).toBe('storeId=1&name=a%20b%26c&on=1&off=0');
  });

  it('uses PHP bracket syntax for arrays and nested objects', () => {
    expect(buildPhpQuery({ a: [1, 2], f: { x: { y: 'z' } } })).toBe('a[0]=1&a[1]=2&f[x][y]=z');
    expect(
      buildPhpQuery({ searchCriteria: { filterGroups: [{ filters: [{ field: 'sku', value: 'a/b' }] }] } }),
    ).toBe(
      'searchCriteria[filterGroups][0][filters][0][field]=sku&searchCriteria[filterGroups][0][filters][0][value]=a%2Fb',
    );
  });

  it('encodes keys and drops empty containers', () => {
    expect(buildPhpQuery({ 'a b': { 'c&d': 1 }, empty: [], none: {} })).toBe('a%20b[c%26d]=1');
    expect(buildPhpQuery({})).toBe('');
  });
});

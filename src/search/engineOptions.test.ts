import { describe, expect, it } from 'vitest';

import { engineNode } from './engineOptions.js';

describe('engine node and credentials', () => {
  it('moves credentials out of the URL (clients print node URLs in errors)', () => {
    expect(engineNode({ url: 'https://elastic:s%40cret@search.example.com:9200/' })).toEqual({
      node: 'https://search.example.com:9200/',
      auth: { username: 'elastic', password: 's@cret' },
    });
  });

  it('lets SEARCH_USERNAME and SEARCH_PASSWORD win, and sends no auth without credentials', () => {
    expect(engineNode({ url: 'http://a:b@opensearch:9200', username: 'sidecar', password: 'pw' })).toEqual({
      node: 'http://opensearch:9200/',
      auth: { username: 'sidecar', password: 'pw' },
    });
    expect(engineNode({ url: 'http://opensearch:9200/prefix/' })).toEqual({
      node: 'http://opensearch:9200/prefix/',
    });
  });
});

import { describe, expect, it } from 'vitest';

import { indexNameFor, indexPattern } from './indexNaming.js';

describe('index naming (upstream: <prefix>_async_event_<event name>)', () => {
  it('names one index per event, lower-cased, matched by the pattern upstream searches', () => {
    expect(indexNameFor('magento2', 'sales.order.created')).toBe('magento2_async_event_sales.order.created');
    expect(indexNameFor('Shop', 'Customer.Created')).toBe('shop_async_event_customer.created');
    expect(indexPattern('magento2')).toBe('magento2_async_event_*');
  });

  it('uses "unknown" when the event name is gone and replaces characters index names cannot hold', () => {
    expect(indexNameFor('magento2', null)).toBe('magento2_async_event_unknown');
    expect(indexNameFor('magento2', '  ')).toBe('magento2_async_event_unknown');
    expect(indexNameFor('magento2', 'a/b c*d')).toBe('magento2_async_event_a_b_c_d');
  });

  it('keeps names within 255 bytes, unique through a hash', () => {
    const long = indexNameFor('magento2', 'x'.repeat(300));
    const other = indexNameFor('magento2', `${'x'.repeat(299)}y`);
    expect(Buffer.byteLength(long)).toBe(255);
    expect(long).not.toBe(other);
    expect(long.startsWith('magento2_async_event_xxx')).toBe(true);
  });
});

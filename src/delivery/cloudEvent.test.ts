import { describe, expect, it } from 'vitest';

import { readCloudEvent } from './cloudEvent.js';
import { encodeDeliveryBody } from './deliveryBody.js';

const FALLBACK = { id: 'fallback-id', type: 'sales.order.created', source: '3' };
const PAYLOAD = Buffer.from('{"entity_id":5,"url":"https:\\/\\/shop.test\\/a","name":"Zo\\u00eb"}');

describe('readCloudEvent', () => {
  it('reads our structured layout without touching the data bytes', () => {
    const body = encodeDeliveryBody({
      format: 'cloudevents',
      uuid: 'u-1',
      storeId: 2,
      eventName: 'sales.order.created',
      payload: PAYLOAD,
    });
    const parts = readCloudEvent(body, FALLBACK);
    expect(parts).toMatchObject({
      id: 'u-1',
      source: '2',
      type: 'sales.order.created',
      datacontenttype: 'application/json',
    });
    expect(parts.data.equals(PAYLOAD)).toBe(true);
    expect(parts.structured).toBe(body);
    expect(Object.isFrozen(parts)).toBe(true);
  });

  it('builds a structured CloudEvent from a 3.x legacy body with the fallback attributes', () => {
    const legacy = encodeDeliveryBody({
      format: 'legacy',
      uuid: 'x',
      storeId: 0,
      eventName: 'x',
      payload: PAYLOAD,
    });
    const parts = readCloudEvent(legacy, FALLBACK);
    expect(parts).toMatchObject({ id: 'fallback-id', source: '3', type: 'sales.order.created' });
    expect(parts.data.equals(PAYLOAD)).toBe(true);
    expect(parts.structured.toString()).toBe(
      `{"specversion":"1.0","id":"fallback-id","source":"3","type":"sales.order.created","datacontenttype":"application\\/json","data":${PAYLOAD.toString()}}`,
    );
  });

  it('parses other layouts as JSON and unescapes attributes', () => {
    const other = Buffer.from('{"id":"a\\/b","specversion":"1.0","type":"t","source":"s","data":{"x":1}}');
    const parts = readCloudEvent(other, FALLBACK);
    expect(parts).toMatchObject({ id: 'a/b', type: 't', source: 's', datacontenttype: 'application/json' });
    expect(parts.data.toString()).toBe('{"x":1}');
    expect(parts.structured).toBe(other);
    expect(() => readCloudEvent(Buffer.from('not json'), FALLBACK)).toThrow(SyntaxError);
  });
});

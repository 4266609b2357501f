import { describe, expect, it } from 'vitest';

import { encodeDeliveryBody } from './deliveryBody.js';

// A REST body as Magento writes it (flag-less json_encode): escaped slashes and unicode.
const PAYLOAD = Buffer.from(
  '{"entity_id":5,"customer_email":"roni_cost@example.com","url":"https:\\/\\/x.test","name":"Zo\\u00eb","total":36.39}',
);

describe('encodeDeliveryBody', () => {
  it('writes a 4.x structured CloudEvent in upstream attribute order with the payload spliced in', () => {
    const body = encodeDeliveryBody({
      format: 'cloudevents',
      uuid: '6f1c1e0a-2b1e-4c5d-9a8b-7c6d5e4f3a2b',
      storeId: 1,
      eventName: 'sales.order.created',
      payload: PAYLOAD,
    });
    expect(body.toString('utf8')).toBe(
      '{"specversion":"1.0","id":"6f1c1e0a-2b1e-4c5d-9a8b-7c6d5e4f3a2b","source":"1","type":"sales.order.created",' +
        `"datacontenttype":"application\\/json","data":${PAYLOAD.toString()}}`,
    );
    expect(Object.keys(JSON.parse(body.toString()) as object)).toEqual([
      'specversion',
      'id',
      'source',
      'type',
      'datacontenttype',
      'data',
    ]);
  });

  it('uses "0" as the source when the event has no store', () => {
    const body = encodeDeliveryBody({
      format: 'cloudevents',
      uuid: 'u',
      storeId: 0,
      eventName: 'x',
      payload: Buffer.from('1'),
    });
    expect((JSON.parse(body.toString()) as { source: string }).source).toBe('0');
  });

  it('keeps the payload bytes untouched (no parse and re-encode)', () => {
    const body = encodeDeliveryBody({
      format: 'cloudevents',
      uuid: 'u',
      storeId: 2,
      eventName: 'x',
      payload: PAYLOAD,
    });
    expect(body.includes(PAYLOAD)).toBe(true);
    expect(body.toString()).toContain('"total":36.39');
  });

  it('writes the 3.x legacy body', () => {
    const body = encodeDeliveryBody({
      format: 'legacy',
      uuid: 'u',
      storeId: 2,
      eventName: 'x',
      payload: PAYLOAD,
    });
    expect(body.toString()).toBe(`{"data":${PAYLOAD.toString()}}`);
  });
});

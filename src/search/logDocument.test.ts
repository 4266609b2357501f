import { describe, expect, it } from 'vitest';

import type { TailRow } from '../store/index.js';
import { parseBody, toIndexOperation, withoutData } from './logDocument.js';

const ROW: TailRow = {
  log_id: 42,
  uuid: 'c4a1f1a4-0000-4000-8000-000000000001',
  subscription_id: 7,
  event_name: 'customer.created',
  store_id: 1,
  success: false,
  created: '2026-01-02 03:04:05',
  response_data: 'Internal Server Error',
  body: '{"specversion":"1.0","id":"c4a1","source":"1","type":"customer.created","datacontenttype":"application\\/json","data":{"customer_email":"roni_cost@example.com","increment_id":"CK0001"}}',
  ageMs: 0,
};

describe('log row → search document', () => {
  it('maps every field, with _id = log_id and data = the parsed body', () => {
    expect(toIndexOperation('magento2', ROW)).toEqual({
      index: 'magento2_async_event_customer.created',
      id: '42',
      document: {
        log_id: 42,
        uuid: ROW.uuid,
        subscription_id: 7,
        event_name: 'customer.created',
        store_id: 1,
        success: false,
        created: '2026-01-02 03:04:05',
        response_data: 'Internal Server Error',
        data: {
          specversion: '1.0',
          id: 'c4a1',
          source: '1',
          type: 'customer.created',
          datacontenttype: 'application/json',
          data: { customer_email: 'roni_cost@example.com', increment_id: 'CK0001' },
        },
      },
    });
  });

  it('omits data when the body is missing, unparsable or not an object', () => {
    for (const body of [null, '', '{"data":', '"text"', '[1,2]', '17']) {
      expect(parseBody(body)).toBeUndefined();
      expect(toIndexOperation('magento2', { ...ROW, body }).document).not.toHaveProperty('data');
    }
  });

  it('drops data for the fallback document and keeps the rest', () => {
    const operation = withoutData(toIndexOperation('magento2', ROW));
    expect(operation.document).not.toHaveProperty('data');
    expect(operation).toMatchObject({ id: '42', document: { log_id: 42, success: false } });
  });
});

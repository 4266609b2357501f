import { describe, expect, it } from 'vitest';

import { encodeRetryMessage, parseRetryMessage } from './retryMessage.js';

const CLOUD_EVENT =
  '{"specversion":"1.0","id":"0b0e6a5e-4c4e-4f6c-9d2a-1f2e3d4c5b6a","source":"1","type":"sales.order.created","datacontenttype":"application\\/json","data":{"name":"Zo\\u00eb"}}';

describe('encodeRetryMessage / parseRetryMessage', () => {
  it('writes upstream field order and PHP escaping, and reads it back byte for byte', () => {
    const content = Buffer.from(CLOUD_EVENT, 'utf8');
    const encoded = encodeRetryMessage({ subscriptionId: 3, deathCount: 1, content, uuid: 'u-1' });
    expect(encoded.toString()).toBe(
      `{"subscription_id":3,"death_count":1,"content":${JSON.stringify(CLOUD_EVENT).replaceAll('/', '\\/')},"uuid":"u-1"}`,
    );
    const parsed = parseRetryMessage(encoded);
    expect(parsed.ok && parsed.value.content.equals(content)).toBe(true);
    expect(parsed).toMatchObject({
      ok: true,
      value: { subscriptionId: 3, deathCount: 1, uuid: 'u-1', uuidGenerated: false },
    });
  });

  it('writes kill messages without a uuid', () => {
    expect(
      encodeRetryMessage({ subscriptionId: 3, deathCount: 0, content: Buffer.from('{}') }).toString(),
    ).toBe('{"subscription_id":3,"death_count":0,"content":"{}"}');
  });

  it('reads numbers written as strings by PHP', () => {
    const body = Buffer.from(`{"subscription_id":"7","death_count":"2","content":"{}","uuid":"x"}`);
    expect(parseRetryMessage(body)).toMatchObject({ ok: true, value: { subscriptionId: 7, deathCount: 2 } });
  });

  it('takes a 3.x object content as its exact raw bytes', () => {
    const raw = '{"data":{"total":1.0,"url":"https:\\/\\/x.test\\/a","name":"Zo\\u00eb"}}';
    const body = Buffer.from(`{"subscription_id":1,"death_count":1,"content":${raw},"uuid":"u"}`);
    const parsed = parseRetryMessage(body);
    expect(parsed.ok && parsed.value.content.toString()).toBe(raw);
  });

  it('makes up a uuid when the message has none', () => {
    const parsed = parseRetryMessage(Buffer.from('{"subscription_id":1,"death_count":1,"content":"{}"}'));
    expect(parsed).toMatchObject({ ok: true, value: { uuidGenerated: true } });
    expect(parsed.ok && parsed.value.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['not JSON', 'nope', /not valid JSON/],
    ['an array', '[1]', /expected a JSON object/],
    [
      'a missing subscription',
      '{"death_count":1,"content":"{}"}',
      /subscription_id must be a positive integer/,
    ],
    ['subscription 0', '{"subscription_id":0,"death_count":1,"content":"{}"}', /subscription_id/],
    ['a negative death count', '{"subscription_id":1,"death_count":-1,"content":"{}"}', /death_count/],
    ['no content', '{"subscription_id":1,"death_count":1}', /content must be the delivered body/],
    ['an empty content', '{"subscription_id":1,"death_count":1,"content":""}', /content must be/],
  ])('rejects %s with a reason', (_name, body, reason) => {
    const parsed = parseRetryMessage(Buffer.from(body));
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });
});

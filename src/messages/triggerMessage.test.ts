import { describe, expect, it } from 'vitest';

import { parseTriggerMessage } from './triggerMessage.js';

const parse = (body: string | Buffer) =>
  parseTriggerMessage(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));

describe('parseTriggerMessage', () => {
  it('reads the 3.x shape with a numeric store id', () => {
    expect(parse('["sales.order.created","{\\"id\\":\\"5\\"}",1]')).toEqual({
      ok: true,
      value: {
        eventName: 'sales.order.created',
        arguments: { id: '5' },
        argumentsJson: '{"id":"5"}',
        storeId: 1,
      },
    });
  });

  it('reads the 4.0.x shape with a string store id', () => {
    expect(parse('["sales.order.created","{\\"id\\":5}","2"]')).toMatchObject({
      ok: true,
      value: { storeId: 2, arguments: { id: 5 } },
    });
  });

  it('defaults a missing or null store id to 0 (mageos-common-async-events sends two elements)', () => {
    expect(parse('["customer.created","{\\"customerId\\":\\"1\\"}"]')).toMatchObject({
      ok: true,
      value: { storeId: 0 },
    });
    expect(parse('["customer.created","{\\"customerId\\":\\"1\\"}",null]')).toMatchObject({
      ok: true,
      value: { storeId: 0 },
    });
  });

  it('keeps the arguments as published, escapes included, for the trigger record', () => {
    const published = '{"sku":"a\\/b","name":"caf\\u00e9"}';
    const result = parse(JSON.stringify(['catalog.product.saved', published, 1]));
    expect(result).toMatchObject({ ok: true, value: { argumentsJson: published } });
    expect(JSON.parse(result.ok ? result.value.argumentsJson : '')).toEqual(
      result.ok ? result.value.arguments : undefined,
    );
    expect(result.ok ? result.value.arguments : undefined).toEqual({ sku: 'a/b', name: 'café' });
  });

  it("accepts PHP's [] for an empty argument array", () => {
    expect(parse('["ping","[]"]')).toMatchObject({ ok: true, value: { arguments: {}, argumentsJson: '{}' } });
  });

  it('keeps the event name as published (lookups lower-case it)', () => {
    expect(parse('["Sales.Order.Created","{}"]')).toMatchObject({
      ok: true,
      value: { eventName: 'Sales.Order.Created' },
    });
  });

  it.each([
    ['not JSON', '{nope', /not valid JSON/],
    ['an object', '{"a":1}', /expected a JSON array .* got an object/],
    ['one element', '["x"]', /array of 1 element/],
    ['four elements', '["x","{}",1,2]', /array of 4 element/],
    ['a numeric event name', '[5,"{}"]', /event name \(element 0\) must be a non-empty string/],
    ['an empty event name', '[" ","{}"]', /non-empty string/],
    ['arguments as an object', '["x",{"id":1}]', /JSON-encoded string/],
    ['arguments that are not JSON', '["x","{id:1}"]', /arguments string \(element 1\) is not valid JSON/],
    ['arguments that are a list', '["x","[1,2]"]', /object of named arguments, got an array/],
    ['a store code', '["x","{}","default"]', /store id \(element 2\)/],
    ['a negative store id', '["x","{}",-1]', /store id/],
    ['a fractional store id', '["x","{}",1.5]', /store id/],
    ['a store id beyond SMALLINT', '["x","{}",70000]', /store id/],
  ])('parks %s with a reason', (_name, body, reason) => {
    const result = parse(body);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  it('parks invalid UTF-8 instead of decoding it with replacement characters', () => {
    expect(parse(Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]))).toEqual({
      ok: false,
      reason: 'the body is not valid UTF-8',
    });
  });

  it('parks oversized bodies without parsing them', () => {
    const result = parse(Buffer.alloc(1_048_577, 0x20));
    expect(result.ok ? '' : result.reason).toMatch(/is 1048577 bytes/);
  });

  it('refuses arguments nested deeper than 64 levels instead of overflowing the stack later', () => {
    const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    expect(parse(JSON.stringify(['sales.order.created', nested(64), 0]))).toMatchObject({ ok: true });
    expect(parse(JSON.stringify(['sales.order.created', nested(100_000), 0]))).toEqual({
      ok: false,
      reason: 'the arguments string (element 1) is nested more than 64 levels deep',
    });
    expect(parse(`[${'['.repeat(100)}]`)).toMatchObject({ ok: false });
  });

  it('does not count brackets inside strings as nesting', () => {
    const args = JSON.stringify({ note: '[[[[{{{{'.repeat(100), escaped: '\\"[[[' });
    expect(parse(JSON.stringify(['sales.order.created', args, 0]))).toMatchObject({ ok: true });
  });
});

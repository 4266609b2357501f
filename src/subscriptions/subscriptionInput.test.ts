import { describe, expect, it } from 'vitest';

import { parseCreateBody, parseSubscriptionId, parseUpdateBody } from './subscriptionInput.js';

describe('parseCreateBody', () => {
  it('reads snake_case and camelCase, asyncEvent or async_event', () => {
    const expected = {
      eventName: 'a.b',
      recipientUrl: 'https://x.test/h',
      verificationToken: 't',
      metadata: 'http',
      storeId: 3,
    };
    expect(
      parseCreateBody({
        asyncEvent: {
          event_name: 'a.b',
          recipient_url: 'https://x.test/h',
          verification_token: 't',
          metadata: 'http',
          store_id: 3,
        },
      }),
    ).toEqual(expected);
    expect(
      parseCreateBody({
        async_event: {
          eventName: 'a.b',
          recipientUrl: 'https://x.test/h',
          verificationToken: 't',
          metadata: 'http',
          storeId: '3',
        },
      }),
    ).toEqual(expected);
  });

  it('defaults the store to 0 and trims strings', () => {
    expect(
      parseCreateBody({
        asyncEvent: { event_name: ' a ', recipient_url: 'u', verification_token: 't', metadata: 'http' },
      }),
    ).toMatchObject({ eventName: 'a', storeId: 0 });
  });

  it('lists every problem in errors', () => {
    try {
      parseCreateBody({ asyncEvent: { event_name: 5, store_id: 'x', color: 'red' } });
    } catch (error: unknown) {
      expect(error).toMatchObject({ code: 'SC_ERR_INPUT', statusCode: 400 });
      const errors = (error as { errors: Array<{ parameters: { fieldName: string } }> }).errors;
      expect(errors.map((entry) => entry.parameters.fieldName)).toEqual([
        'color',
        'event_name',
        'recipient_url',
        'verification_token',
        'metadata',
        'store_id',
      ]);
      return;
    }
    throw new Error('expected a failure');
  });

  it.each([[null], [[]], ['x'], [{}], [{ asyncEvent: [] }]])('refuses the body %j', (body) => {
    let thrown: unknown;
    try {
      parseCreateBody(body);
    } catch (error: unknown) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ statusCode: 400, parameters: { fieldName: 'asyncEvent' } });
  });
});

describe('parseUpdateBody', () => {
  it.each([
    [true, true],
    [false, false],
    [1, true],
    ['0', false],
    ['true', true],
  ])('reads status %j as %s', (status, expected) => {
    expect(parseUpdateBody({ asyncEvent: { status } })).toEqual({ status: expected, metadata: undefined });
  });

  it('requires a status (deviation: upstream would disable silently) and refuses read-only fields', () => {
    expect(() => parseUpdateBody({ asyncEvent: { metadata: 'http' } })).toThrow('Status is required');
    expect(() => parseUpdateBody({ asyncEvent: { status: 'maybe' } })).toThrow(/must be true or false/);
    expect(() => parseUpdateBody({ asyncEvent: { status: true, event_name: 'x' } })).toThrow(
      /cannot be changed/,
    );
    expect(parseUpdateBody({ asyncEvent: { status: true, metadata: ' http ' } })).toEqual({
      status: true,
      metadata: 'http',
    });
  });
});

describe('parseSubscriptionId', () => {
  it('takes digits only', () => {
    expect(parseSubscriptionId('42')).toBe(42);
    for (const raw of ['0', '-1', '1e3', '0x10', '../1', '1.5', '', '99999999999']) {
      expect(() => parseSubscriptionId(raw), raw).toThrow(/type is invalid/);
    }
  });
});

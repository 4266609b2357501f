import { describe, expect, it } from 'vitest';

import { makeReleasers } from './releasers.js';

describe('makeReleasers', () => {
  it('releases last-in first-out, once, and keeps going after a failure', async () => {
    const order: string[] = [];
    const releasers = makeReleasers();
    releasers.add('db', () => {
      order.push('db');
    });
    releasers.add('amqp', () => Promise.reject(new Error('broker gone')));
    releasers.add('http', () => {
      order.push('http');
    });
    const first = releasers.releaseAll();
    const second = releasers.releaseAll();
    expect(second).toBe(first);
    await expect(first).rejects.toThrow(AggregateError);
    await first.catch((error: AggregateError) => {
      expect(error.errors.map((inner: Error) => inner.message)).toEqual(['amqp: broker gone']);
    });
    expect(order).toEqual(['http', 'db']);
  });
});

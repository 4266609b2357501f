import { describe, expect, it } from 'vitest';

import { redactUrl } from './schema.js';

describe('redactUrl', () => {
  it.each([
    [
      'amqp://user:pw@rabbit.example.com:5672/vhost?exchange=x',
      'amqp://[credentials]@rabbit.example.com:5672/vhost?exchange=x',
    ],
    ['amqps://user@rabbit.example.com/', 'amqps://[credentials]@rabbit.example.com/'],
    ['mysql://magento:s3cr%2Ft@db:3306/magento', 'mysql://[credentials]@db:3306/magento'],
    ['http://user:pw@example.com/hook', 'http://[credentials]@example.com/hook'],
    // Unparseable: a password with an unencoded `/`, `#`, `?` or space.
    ['mysql://u:pa/ss-secret@127.0.0.1/db', 'mysql://[credentials]@127.0.0.1/db'],
    ['amqp://u:pw secret@127.0.0.1/v', 'amqp://[credentials]@127.0.0.1/v'],
    // Parses, but the `/` in the password moved the host into the userinfo's place.
    ['amqp://u:1234/secret@127.0.0.1/v', 'amqp://[credentials]@127.0.0.1/v'],
    ['mysql://u:pa/ss@word@127.0.0.1:99999/db', 'mysql://[credentials]@127.0.0.1:99999/db'],
  ])('hides the credentials of %s', (raw, shown) => {
    expect(redactUrl(raw)).toBe(shown);
    expect(redactUrl(raw)).not.toMatch(/secret|pw|s3cr|pa\/ss/);
  });

  it.each([
    'https://erp.example.com/hooks/orders?token=abc',
    'https://example.com/notify?email=someone@example.com',
    'amqp://rabbit.example.com/vhost?exchange=x',
    'arn:aws:events:eu-west-1:123456789012:event-bus/orders',
    'not a url',
  ])('leaves %s as it is', (raw) => {
    expect(redactUrl(raw)).toBe(raw);
  });
});

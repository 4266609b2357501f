import { describe, expect, it } from 'vitest';

import { loadConfig } from './load.js';

const RUNNABLE = {
  MAGENTO_BASE_URL: 'https://shop.example.com/',
  MAGENTO_TOKEN: 'token',
  MAGENTO_CRYPT_KEY: '0123456789abcdef0123456789abcdef',
  MAGENTO_ROOT: '/var/www/magento',
  API_TOKENS: 'a-long-random-api-token',
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(RUNNABLE, 'run');
    expect(config.amqp.url).toBe('amqp://guest:guest@127.0.0.1:5672/');
    expect(config.mysql.url).toBe('mysql://root@127.0.0.1:3306/magento');
    expect(config.http.port).toBe(8080);
    expect(config.delivery).toMatchObject({
      payloadFormat: 'cloudevents',
      storeScope: 'inclusive',
      timeoutMs: 15_000,
      connectTimeoutMs: 5000,
    });
    expect(config.delivery.maxDeathsOverride).toBeUndefined();
    expect(config.magento.baseUrl).toBe('https://shop.example.com');
  });

  it('compiles the delivery-control defaults and the AWS settings', () => {
    const config = loadConfig(
      {
        ...RUNNABLE,
        SUBSCRIPTION_RATE_LIMIT: '0.5',
        SUBSCRIPTION_CLOUDEVENTS_MODE: 'Binary',
        AWS_ENDPOINT_URL_SQS: 'http://localhost:4566/',
      },
      'run',
    );
    expect(config.controls).toEqual({
      defaults: {
        maxInFlight: 16,
        ratePerSecond: 0.5,
        standardWebhooks: false,
        cloudEventsMode: 'binary',
        retrySchedule: 'upstream',
        autoDisableAfterS: 432_000,
      },
      admissionWaitMs: 250,
      circuitFailureThreshold: 5,
      circuitCooldownMs: 30_000,
    });
    expect(config.aws).toEqual({
      region: undefined,
      eventBridgeEndpoint: undefined,
      sqsEndpoint: 'http://localhost:4566',
      eventBridgeSource: 'magento.{source}',
    });
    expect(() => loadConfig({ ...RUNNABLE, SUBSCRIPTION_RATE_LIMIT: '1e3' }, 'run')).toThrow(
      /SUBSCRIPTION_RATE_LIMIT must be a number such as 2 or 0.5/,
    );
  });

  it('reports every problem at once, with how to fix it', () => {
    let message = '';
    try {
      loadConfig(
        { HTTP_PORT: 'eighty', PAYLOAD_FORMAT: 'xml', MAX_DEATHS: '-1', AMQP_URL: 'http://x' },
        'run',
      );
    } catch (error: unknown) {
      expect(error).toMatchObject({ code: 'SC_ERR_CONFIG' });
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration \(9 problems\)/);
    for (const expected of [
      /MAGENTO_BASE_URL is required for `run`: .*e\.g\. https:\/\/shop.example.com/,
      /MAGENTO_TOKEN is required for `run`/,
      /MAGENTO_CRYPT_KEY is required for `run`: env.php `crypt\/key`/,
      /MAGENTO_ROOT or ASYNC_EVENTS_PATHS is required/,
      /AMQP_URL must use amqp: or amqps:, got "http:"/,
      /HTTP_PORT must be a whole number, got "eighty"/,
      /PAYLOAD_FORMAT must be one of cloudevents, legacy, got "xml"/,
      /MAX_DEATHS must be between 0 and 1000, got -1/,
      /The REST API needs a token source: set API_TOKENS .* or API_AUTH_MAGENTO=true/,
    ]) {
      expect(message).toMatch(expected);
    }
  });

  it('requires a place to read the XML from', () => {
    expect(() => loadConfig({}, 'config:check')).toThrow(/MAGENTO_ROOT or ASYNC_EVENTS_PATHS is required/);
    expect(loadConfig({ ASYNC_EVENTS_PATHS: '/a:/b::' }, 'config:check').magento.extraPaths).toEqual([
      '/a',
      '/b',
    ]);
  });

  it('never echoes credentials of a bad URL', () => {
    expect(() => loadConfig({ ...RUNNABLE, MYSQL_URL: 'mysql//root:hunter2@db' }, 'run')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') as unknown }),
    );
  });

  it('freezes the result', () => {
    const config = loadConfig({ ...RUNNABLE, MAX_DEATHS: '2', STORE_SCOPE: 'UPSTREAM' }, 'run');
    expect(config.delivery.maxDeathsOverride).toBe(2);
    expect(config.delivery.storeScope).toBe('upstream');
    expect(Object.isFrozen(config.delivery)).toBe(true);
  });

  it('parses the API and destination settings', () => {
    const config = loadConfig(
      { ...RUNNABLE, API_TOKENS: 'one, two', DESTINATION_ALLOW_CIDRS: '10.0.0.0/8 fd00::/8' },
      'run',
    );
    expect(config.api.tokens).toEqual(['one', 'two']);
    expect(config.delivery.allowCidrs).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(() => loadConfig({ ...RUNNABLE, DESTINATION_ALLOW_CIDRS: '10.0.0.0/40' }, 'run')).toThrow(
      /DESTINATION_ALLOW_CIDRS must list CIDR ranges/,
    );
    expect(
      loadConfig({ ...RUNNABLE, API_TOKENS: '', API_INSECURE_NO_AUTH: 'yes' }, 'run').api.insecureNoAuth,
    ).toBe(true);
    expect(() => loadConfig({ ...RUNNABLE, API_AUTH_MAGENTO: 'maybe' }, 'run')).toThrow(
      /API_AUTH_MAGENTO must be true or false/,
    );
  });

  it('lower-cases the search index prefix and refuses names an engine cannot hold', () => {
    const search = (env: Record<string, string>) =>
      loadConfig(
        { ...RUNNABLE, SEARCH_ENGINE: 'OpenSearch', SEARCH_URL: 'http://opensearch:9200', ...env },
        'run',
      ).search;
    expect(search({})).toMatchObject({ engine: 'opensearch', indexPrefix: 'magento2' });
    expect(search({ SEARCH_INDEX_PREFIX: 'Shop_EU' }).indexPrefix).toBe('shop_eu');
    for (const prefix of ['_hidden', 'a b', 'a*', 'a,b', 'x'.repeat(101)]) {
      expect(() => search({ SEARCH_INDEX_PREFIX: prefix })).toThrow(
        /SEARCH_INDEX_PREFIX must start with a letter or digit/,
      );
    }
    expect(() => loadConfig({ ...RUNNABLE, SEARCH_ENGINE: 'elasticsearch' }, 'run')).toThrow(
      /SEARCH_URL is required with SEARCH_ENGINE=elasticsearch/,
    );
  });
});

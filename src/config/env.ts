import {
  boolean,
  cidrList,
  decimal,
  indexPrefix,
  integer,
  oneOf,
  type Parser,
  pathList,
  stringList,
  stringValue,
  url,
} from './schema.js';

/** Commands that load configuration; a key can be required by some of them only. */
/** `tool`: the operator commands (search, trace, replay, dead letters) that need the database and broker only. */
export type ConfigCommand = 'run' | 'worker' | 'api' | 'config:check' | 'tool';

/** The commands that serve: the whole sidecar, its consumers alone, or its HTTP API alone. */
export const SERVING_COMMANDS = ['run', 'worker', 'api'] as const satisfies readonly ConfigCommand[];

export interface EnvKeySpec<T> {
  parse: Parser<T>;
  /** Raw default, parsed like a value from the environment. No default: the key is optional. */
  default?: string;
  /** Commands that cannot start without this key. */
  requiredFor?: readonly ConfigCommand[];
  /** Never echo the value (in errors, logs or config dumps). */
  secret?: boolean;
  /** One line for the README configuration table and for error messages: what it is and how to set it. */
  description: string;
}

// Keeps the literal shape of each spec, so `Config` knows which keys always have a value.
function key<T, const S extends EnvKeySpec<T>>(spec: S & EnvKeySpec<T>): S {
  return spec;
}

/**
 * Every environment variable the sidecar reads, in one place. Nothing else reads `process.env`.
 * The names of the first block are a fixed contract with operators and tests.
 */
export const ENV_KEYS = {
  AMQP_URL: key({
    parse: url(['amqp:', 'amqps:']),
    default: 'amqp://guest:guest@127.0.0.1:5672/',
    description: 'RabbitMQ used by Magento (env.php `queue/amqp`), as amqp://user:password@host:port/vhost.',
  }),
  MYSQL_URL: key({
    parse: url(['mysql:']),
    default: 'mysql://root@127.0.0.1:3306/magento',
    description:
      "Magento's database (env.php `db/connection/default`), as mysql://user:password@host:port/dbname.",
  }),
  MAGENTO_BASE_URL: key({
    parse: url(['http:', 'https:']),
    requiredFor: SERVING_COMMANDS,
    description:
      "The store's base URL (payloads are read from its /rest/V1/… routes), e.g. https://shop.example.com",
  }),
  MAGENTO_TOKEN: key({
    parse: stringValue(),
    requiredFor: SERVING_COMMANDS,
    secret: true,
    description:
      'Access token of a Magento integration allowed to read the entities your events carry (System > Extensions > Integrations).',
  }),
  MAGENTO_CRYPT_KEY: key({
    parse: stringValue(),
    requiredFor: SERVING_COMMANDS,
    secret: true,
    description:
      'env.php `crypt/key`, all keys in their order, separated by spaces or newlines; decrypts `verification_token`.',
  }),
  MAGENTO_ROOT: key({
    parse: stringValue(),
    description:
      'Magento root directory; async_events.xml and webapi.xml are read from app/code/*/*/etc and vendor/*/*/etc.',
  }),
  ASYNC_EVENTS_PATHS: key({
    parse: pathList(),
    default: '',
    description:
      'Extra async_events.xml / webapi.xml files or directories, `:`-separated (read after MAGENTO_ROOT).',
  }),
  HTTP_PORT: key({
    parse: integer({ min: 0, max: 65535 }),
    default: '8080',
    description: 'Port of the HTTP server (/healthz, /readyz, /metrics).',
  }),
  PAYLOAD_FORMAT: key({
    parse: oneOf(['cloudevents', 'legacy'] as const),
    default: 'cloudevents',
    description:
      'Webhook body: `cloudevents` (Mage-OS 4.x structured CloudEvent) or `legacy` (3.x `{"data": …}`).',
  }),
  MAX_DEATHS: key({
    parse: integer({ min: 0, max: 1000 }),
    description:
      'Retries before a delivery is dead-lettered; overrides core_config_data `system/async_events/max_deaths` (default 5).',
  }),
  STORE_SCOPE: key({
    parse: oneOf(['inclusive', 'upstream'] as const),
    default: 'inclusive',
    description:
      '`inclusive`: "All Stores" (store_id 0) subscribers also receive store-specific events; `upstream`: they do not.',
  }),
  HTTP_HOST: key({
    parse: stringValue(),
    default: '0.0.0.0',
    description: 'Address the HTTP server listens on.',
  }),
  LOG_LEVEL: key({
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    default: 'info',
    description: 'pino log level.',
  }),
  TRIGGER_PREFETCH: key({
    parse: integer({ min: 1, max: 10_000 }),
    default: '400',
    description:
      'Trigger messages processed at once (AMQP prefetch of the event.trigger consumer). Throughput is at most this ÷ the time a message is held (Magento request, delivery, log commit): 400 covers 2,000 events/s with Magento answering batches in 100 ms.',
  }),
  RETRY_PREFETCH: key({
    parse: integer({ min: 1, max: 10_000 }),
    default: '100',
    description: 'Retry messages processed at once (AMQP prefetch of the event.failover.retry consumer).',
  }),
  DELIVERY_CONCURRENCY: key({
    parse: integer({ min: 1, max: 100_000 }),
    default: '512',
    description:
      'Webhook requests in flight at once, over all subscriptions; also the deliveries the trigger consumer has between start and committed log row (one per subscriber of an event it attempts; one held at once because its subscriber is down takes none), so a wide fan-out waits here instead of being deferred by the subscription limits or piling up bodies in memory.',
  }),
  DELIVERY_CONNECTIONS_PER_ORIGIN: key({
    parse: integer({ min: 1, max: 10_000 }),
    default: '64',
    description: 'Keep-alive connections per receiver origin.',
  }),
  DELIVERY_TIMEOUT_MS: key({
    parse: integer({ min: 100, max: 600_000 }),
    default: '15000',
    description: 'Whole-request timeout of a webhook delivery (upstream: 15 s).',
  }),
  DELIVERY_CONNECT_TIMEOUT_MS: key({
    parse: integer({ min: 100, max: 600_000 }),
    default: '5000',
    description: 'Connect timeout of a webhook delivery (upstream: 5 s).',
  }),
  RETRY_AFTER_MAX_S: key({
    parse: integer({ min: 1, max: 604_800 }),
    default: '3600',
    description:
      "Cap on a receiver's Retry-After (seconds); upstream has none, so one answer could park a retry for days.",
  }),
  MAGENTO_CONCURRENCY: key({
    parse: integer({ min: 1, max: 1000 }),
    default: '16',
    description:
      'Magento REST requests in flight at once (each one boots PHP: keep this near the PHP-FPM workers you can spare).',
  }),
  MAGENTO_TIMEOUT_MS: key({
    parse: integer({ min: 100, max: 600_000 }),
    default: '30000',
    description: 'Timeout of one Magento REST request.',
  }),
  RESOLVE_MAX_ATTEMPTS: key({
    parse: integer({ min: 1, max: 100 }),
    default: '12',
    description:
      'Attempts to resolve a payload while Magento fails (5xx, timeouts) before the trigger is parked in event.trigger.deadletter.',
  }),
  RESOLVE_STRATEGY: key({
    parse: oneOf(['auto', 'direct', 'module'] as const),
    default: 'auto',
    description:
      '`auto`: a REST GET route when the service method has one, else the MageOS_AsyncEvents module route (POST /V1/async_events/resolve) when a webapi.xml declares it; `direct`: GET routes only; `module`: the module route for every event.',
  }),
  RESOLVE_BATCH_SIZE: key({
    parse: integer({ min: 1, max: 200 }),
    default: '50',
    description: 'Most events resolved by one request to the module route.',
  }),
  RESOLVE_BATCH_WAIT_MS: key({
    parse: integer({ min: 0, max: 1000 }),
    default: '5',
    description: 'Longest wait for more events before a partial batch goes to the module route.',
  }),
  SERVICE_ALIASES: key({
    parse: stringValue(),
    description:
      'Extra `Class::method=Class::method` pairs (comma-separated): resolve a service method that has no REST route through an equivalent one.',
  }),
  SUBSCRIPTION_REFRESH_MS: key({
    parse: integer({ min: 100, max: 600_000 }),
    default: '2000',
    description:
      'How often subscriptions are re-read from async_event_subscriber (changes show within this window).',
  }),
  MYSQL_POOL_SIZE: key({
    parse: integer({ min: 2, max: 200 }),
    default: '10',
    description: 'MySQL connections of the pool.',
  }),
  LOG_BATCH_MAX_ROWS: key({
    parse: integer({ min: 1, max: 10_000 }),
    default: '500',
    description: 'Most delivery-log rows written by one group commit (one transaction of multi-row INSERTs).',
  }),
  SHUTDOWN_GRACE_MS: key({
    parse: integer({ min: 0, max: 600_000 }),
    default: '25000',
    description: 'On SIGTERM, how long in-flight work may finish before the process exits anyway.',
  }),
  SEARCH_ENGINE: key({
    parse: oneOf(['none', 'elasticsearch', 'opensearch'] as const),
    default: 'none',
    description:
      "`none`: search deliveries with SQL over Magento's tables; `elasticsearch` (8.x) or `opensearch` (1.x/2.x, and Elasticsearch 7.x) to index every log row and search with the engine.",
  }),
  SEARCH_URL: key({
    parse: url(['http:', 'https:']),
    description:
      'The search engine, e.g. http://opensearch:9200 (credentials may be in the URL or in SEARCH_USERNAME/SEARCH_PASSWORD).',
  }),
  SEARCH_USERNAME: key({ parse: stringValue(), description: 'Search engine user.' }),
  SEARCH_PASSWORD: key({ parse: stringValue(), secret: true, description: 'Search engine password.' }),
  SEARCH_INDEX_PREFIX: key({
    parse: indexPrefix(),
    default: 'magento2',
    description:
      "Index prefix (Magento's `catalog/search/elasticsearch7_index_prefix`); indices are <prefix>_async_event_<event name>.",
  }),
  SEARCH_TIMEOUT_MS: key({
    parse: integer({ min: 100, max: 300_000 }),
    default: '10000',
    description: 'Longest a search may run (SQL statement timeout, or the engine request timeout).',
  }),
  INDEX_BATCH_SIZE: key({
    parse: integer({ min: 1, max: 10_000 }),
    default: '500',
    description: 'Log rows per bulk request to the search engine.',
  }),
  INDEX_POLL_MS: key({
    parse: integer({ min: 50, max: 600_000 }),
    default: '1000',
    description: 'How often the indexer looks for new log rows when it has caught up.',
  }),
  RETENTION_INTERVAL_MS: key({
    parse: integer({ min: 1000, max: 86_400_000 }),
    default: '3600000',
    description:
      'How often old log rows are deleted, when system/async_events/subscriber_log_cleanup_cron is on (older than subscriber_log_cron_delete_period days).',
  }),
  DESTINATION_ALLOW_CIDRS: key({
    parse: cidrList(),
    default: '',
    description:
      'CIDR ranges webhooks may reach although private, loopback or link-local (comma-separated), e.g. 10.0.0.0/8 for an internal ERP.',
  }),
  SUBSCRIPTION_MAX_IN_FLIGHT: key({
    parse: integer({ min: 1, max: 10_000 }),
    default: '16',
    description:
      'Default delivery control: deliveries in flight at once per subscription (in this process); a subscription may set its own.',
  }),
  SUBSCRIPTION_RATE_LIMIT: key({
    parse: decimal({ min: 0, max: 100_000 }),
    default: '0',
    description:
      'Default delivery control: deliveries started per second per subscription (in this process; fractions allowed, 0 = unlimited).',
  }),
  SUBSCRIPTION_STANDARD_WEBHOOKS: key({
    parse: boolean(),
    default: 'false',
    description:
      'Default delivery control: add Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature) to http deliveries.',
  }),
  SUBSCRIPTION_CLOUDEVENTS_MODE: key({
    parse: oneOf(['structured', 'binary'] as const),
    default: 'structured',
    description:
      'Default delivery control for http: `structured` (the CloudEvent as the body, as upstream) or `binary` (ce-* headers, the raw data as the body).',
  }),
  SUBSCRIPTION_RETRY_SCHEDULE: key({
    parse: oneOf(['upstream', 'extended'] as const),
    default: 'upstream',
    description:
      'Default delivery control: `upstream` (1 s, then min(60, n²) s, max_deaths retries) or `extended` (1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h with jitter).',
  }),
  SUBSCRIPTION_AUTO_DISABLE_AFTER_S: key({
    parse: integer({ min: 0, max: 31_536_000 }),
    default: '432000',
    description:
      'Default delivery control: disable a subscription whose deliveries have failed continuously for this many seconds (5 days; 0 = never).',
  }),
  ADMISSION_WAIT_MS: key({
    parse: integer({ min: 0, max: 10_000 }),
    default: '250',
    description:
      "Longest wait for a subscription's in-flight or rate limit before its delivery is deferred (a first delivery held in the backlog, a retry put back on the retry path) instead of holding the message; also how long a first delivery may run (at least 100 ms) before the backlog drainer adopts it and its message is acked.",
  }),
  CIRCUIT_FAILURE_THRESHOLD: key({
    parse: integer({ min: 0, max: 10_000 }),
    default: '5',
    description:
      'Consecutive retryable failures of one destination (webhook endpoint, broker, queue or bus) that open its circuit (0 = no circuit breaker).',
  }),
  CIRCUIT_COOLDOWN_MS: key({
    parse: integer({ min: 100, max: 3_600_000 }),
    default: '30000',
    description:
      'How long an open circuit holds deliveries (first deliveries wait in the backlog, retries on the retry path) before one probe is let through.',
  }),
  AWS_REGION: key({
    parse: stringValue(),
    description:
      "Region of the eventbridge and sqs sinks when the recipient does not name one (an ARN's or queue URL's region wins); also read by the AWS SDK.",
  }),
  AWS_ENDPOINT_URL_EVENTBRIDGE: key({
    parse: url(['http:', 'https:']),
    description: 'EventBridge endpoint instead of the regional AWS one (e.g. a VPC endpoint or LocalStack).',
  }),
  AWS_ENDPOINT_URL_SQS: key({
    parse: url(['http:', 'https:']),
    description:
      "SQS endpoint instead of the regional AWS one; every SendMessage then goes there, whatever the queue URL's host.",
  }),
  EVENTBRIDGE_SOURCE: key({
    parse: stringValue(),
    default: 'magento.{source}',
    description:
      "`Source` of EventBridge entries; `{source}` is replaced by the CloudEvent source (the event's store id), e.g. magento.1.",
  }),
  API_TOKENS: key({
    parse: stringList(),
    secret: true,
    description:
      'Bearer tokens accepted by the REST API (comma-separated; compared in constant time). Generate long random ones.',
  }),
  API_AUTH_MAGENTO: key({
    parse: boolean(),
    default: 'false',
    description:
      'Also accept any bearer token Magento accepts for MageOS_AsyncEvents::manage (asked with a cheap ACL-protected request, cached); event <resources> are checked the same way.',
  }),
  API_AUTH_CACHE_MS: key({
    parse: integer({ min: 0, max: 3_600_000 }),
    default: '60000',
    description: "How long Magento's answer about a token is reused (refusals: at most 5 s).",
  }),
  API_AUTH_FAILURES_PER_MINUTE: key({
    parse: integer({ min: 1, max: 100_000 }),
    default: '20',
    description: 'Failed authentications allowed per client address and minute before the API answers 429.',
  }),
  API_INSECURE_NO_AUTH: key({
    parse: boolean(),
    default: 'false',
    description: 'Local development only: serve the REST API without authentication.',
  }),
  HTTP_TRUST_PROXY: key({
    parse: stringValue(),
    default: 'loopback',
    description:
      "Which proxies' X-Forwarded-For to trust for the client address (express `trust proxy`: loopback, a CIDR list, or a hop count).",
  }),
} as const;

export type EnvKey = keyof typeof ENV_KEYS;

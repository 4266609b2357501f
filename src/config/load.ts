import { SidecarError } from '../shared/index.js';
import { type ConfigCommand, ENV_KEYS, type EnvKey, type EnvKeySpec, SERVING_COMMANDS } from './env.js';

export type PayloadFormat = 'cloudevents' | 'legacy';
export type StoreScope = 'inclusive' | 'upstream';
export type SearchEngine = 'none' | 'elasticsearch' | 'opensearch';
/**
 * `auto`: a direct GET route when the method has one, else the module's resolve route when a
 * webapi.xml declares it; `direct`: GET routes only; `module`: the module route for every event.
 */
export type ResolveStrategy = 'auto' | 'direct' | 'module';
/** `structured`: the CloudEvent is the body; `binary`: attributes in `ce-*` headers, `data` as the body. */
export type CloudEventsMode = 'structured' | 'binary';
/** `upstream`: design.md §3 exactly; `extended`: minutes to a day, with quantized jitter. */
export type RetrySchedule = 'upstream' | 'extended';

/** Delivery controls of one subscription, as in effect (its own values, else these defaults). */
export interface DeliveryControls {
  /** Deliveries in flight at once for the subscription, in this process. */
  maxInFlight: number;
  /** Deliveries started per second, in this process; 0 = unlimited. */
  ratePerSecond: number;
  standardWebhooks: boolean;
  cloudEventsMode: CloudEventsMode;
  retrySchedule: RetrySchedule;
  /** Disable after failing continuously this long, in seconds; 0 = never. */
  autoDisableAfterS: number;
}

/** The compiled, deeply frozen configuration. Units are in the names (…Ms, …S). */
export interface Config {
  amqp: { url: string; triggerPrefetch: number; retryPrefetch: number };
  mysql: { url: string; poolSize: number };
  magento: {
    baseUrl: string | undefined;
    token: string | undefined;
    cryptKey: string | undefined;
    root: string | undefined;
    extraPaths: readonly string[];
    serviceAliases: string | undefined;
    resolveStrategy: ResolveStrategy;
    resolveBatchSize: number;
    resolveBatchWaitMs: number;
    concurrency: number;
    timeoutMs: number;
    resolveMaxAttempts: number;
  };
  delivery: {
    payloadFormat: PayloadFormat;
    storeScope: StoreScope;
    maxDeathsOverride: number | undefined;
    concurrency: number;
    connectionsPerOrigin: number;
    timeoutMs: number;
    connectTimeoutMs: number;
    retryAfterMaxS: number;
    /** CIDRs allowed although private/loopback (DESTINATION_ALLOW_CIDRS). */
    allowCidrs: readonly string[];
  };
  search: {
    engine: SearchEngine;
    url: string | undefined;
    username: string | undefined;
    password: string | undefined;
    indexPrefix: string;
    timeoutMs: number;
    indexBatchSize: number;
    indexPollMs: number;
  };
  retention: { intervalMs: number };
  api: {
    tokens: readonly string[];
    authMagento: boolean;
    authCacheMs: number;
    authFailuresPerMinute: number;
    insecureNoAuth: boolean;
  };
  subscriptions: { refreshMs: number };
  controls: {
    /** Controls of subscriptions that have none of their own (SUBSCRIPTION_*). */
    defaults: DeliveryControls;
    /** Longest wait for a subscription's limits before its delivery goes to the retry path. */
    admissionWaitMs: number;
    /** Consecutive retryable failures that open a destination's circuit; 0 = off. */
    circuitFailureThreshold: number;
    circuitCooldownMs: number;
  };
  aws: {
    region: string | undefined;
    eventBridgeEndpoint: string | undefined;
    sqsEndpoint: string | undefined;
    /** EventBridge `Source`; `{source}` stands for the CloudEvent source. */
    eventBridgeSource: string;
  };
  deliveryLog: { batchMaxRows: number };
  http: { host: string; port: number; trustProxy: string };
  logLevel: string;
  shutdownGraceMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;
type ValueOf<K extends EnvKey> =
  ReturnType<(typeof ENV_KEYS)[K]['parse']> extends infer R
    ? R extends { ok: true; value: infer V }
      ? V
      : never
    : never;
/** Keys with a default always have a value; the others may be undefined. */
type ParsedValues = {
  [K in EnvKey]: (typeof ENV_KEYS)[K] extends { default: string } ? ValueOf<K> : ValueOf<K> | undefined;
};

/**
 * Reads every key of {@link ENV_KEYS} from `env`, validates them all and throws one `SC_ERR_CONFIG`
 * listing every problem with how to fix it. `command` decides which keys are required.
 */
export function loadConfig(env: Env, command: ConfigCommand): Config {
  const problems: string[] = [];
  const values: Partial<Record<EnvKey, unknown>> = {};

  for (const name of Object.keys(ENV_KEYS) as EnvKey[]) {
    const spec: EnvKeySpec<unknown> = ENV_KEYS[name];
    const given = env[name];
    const raw = given === undefined || given.trim() === '' ? spec.default : given;
    if (raw === undefined) {
      if (spec.requiredFor?.includes(command)) {
        problems.push(`${name} is required for \`${command}\`: ${spec.description}`);
      }
      continue;
    }
    const result = spec.parse(raw);
    if (result.ok) {
      values[name] = result.value;
    } else {
      problems.push(`${name} ${result.error}. ${spec.description}`);
    }
  }

  const serving = (SERVING_COMMANDS as readonly ConfigCommand[]).includes(command);
  if (serving || command === 'config:check') {
    const extraPaths = values.ASYNC_EVENTS_PATHS as string[] | undefined;
    if (values.MAGENTO_ROOT === undefined && (extraPaths === undefined || extraPaths.length === 0)) {
      problems.push(
        "MAGENTO_ROOT or ASYNC_EVENTS_PATHS is required: the sidecar reads the events from the modules' async_events.xml and webapi.xml. Set MAGENTO_ROOT to the Magento root directory.",
      );
    }
  }

  // A worker serves no API, so it needs no token source.
  if (command === 'run' || command === 'api') {
    const tokens = values.API_TOKENS as string[] | undefined;
    if (
      (tokens === undefined || tokens.length === 0) &&
      values.API_AUTH_MAGENTO !== true &&
      values.API_INSECURE_NO_AUTH !== true
    ) {
      problems.push(
        'The REST API needs a token source: set API_TOKENS to one or more long random tokens, or API_AUTH_MAGENTO=true to accept tokens Magento accepts for MageOS_AsyncEvents::manage (API_INSECURE_NO_AUTH=true turns authentication off, for local development only).',
      );
    }
  }

  const engine = values.SEARCH_ENGINE as string | undefined;
  if (engine !== undefined && engine !== 'none' && values.SEARCH_URL === undefined) {
    problems.push(
      `SEARCH_URL is required with SEARCH_ENGINE=${engine}: the engine's base URL, e.g. http://opensearch:9200.`,
    );
  }

  if (problems.length > 0) {
    throw new SidecarError(
      'SC_ERR_CONFIG',
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
  }
  return deepFreeze(compileConfig(values as ParsedValues));
}

function compileConfig(values: ParsedValues): Config {
  return {
    amqp: {
      url: values.AMQP_URL.href,
      triggerPrefetch: values.TRIGGER_PREFETCH,
      retryPrefetch: values.RETRY_PREFETCH,
    },
    mysql: { url: values.MYSQL_URL.href, poolSize: values.MYSQL_POOL_SIZE },
    magento: {
      baseUrl: values.MAGENTO_BASE_URL?.href.replace(/\/+$/, ''),
      token: values.MAGENTO_TOKEN,
      cryptKey: values.MAGENTO_CRYPT_KEY,
      root: values.MAGENTO_ROOT,
      extraPaths: values.ASYNC_EVENTS_PATHS,
      serviceAliases: values.SERVICE_ALIASES,
      resolveStrategy: values.RESOLVE_STRATEGY,
      resolveBatchSize: values.RESOLVE_BATCH_SIZE,
      resolveBatchWaitMs: values.RESOLVE_BATCH_WAIT_MS,
      concurrency: values.MAGENTO_CONCURRENCY,
      timeoutMs: values.MAGENTO_TIMEOUT_MS,
      resolveMaxAttempts: values.RESOLVE_MAX_ATTEMPTS,
    },
    delivery: {
      payloadFormat: values.PAYLOAD_FORMAT,
      storeScope: values.STORE_SCOPE,
      maxDeathsOverride: values.MAX_DEATHS,
      concurrency: values.DELIVERY_CONCURRENCY,
      connectionsPerOrigin: values.DELIVERY_CONNECTIONS_PER_ORIGIN,
      timeoutMs: values.DELIVERY_TIMEOUT_MS,
      connectTimeoutMs: values.DELIVERY_CONNECT_TIMEOUT_MS,
      retryAfterMaxS: values.RETRY_AFTER_MAX_S,
      allowCidrs: values.DESTINATION_ALLOW_CIDRS,
    },
    search: {
      engine: values.SEARCH_ENGINE,
      url: values.SEARCH_URL?.href,
      username: values.SEARCH_USERNAME,
      password: values.SEARCH_PASSWORD,
      indexPrefix: values.SEARCH_INDEX_PREFIX,
      timeoutMs: values.SEARCH_TIMEOUT_MS,
      indexBatchSize: values.INDEX_BATCH_SIZE,
      indexPollMs: values.INDEX_POLL_MS,
    },
    retention: { intervalMs: values.RETENTION_INTERVAL_MS },
    api: {
      tokens: values.API_TOKENS ?? [],
      authMagento: values.API_AUTH_MAGENTO,
      authCacheMs: values.API_AUTH_CACHE_MS,
      authFailuresPerMinute: values.API_AUTH_FAILURES_PER_MINUTE,
      insecureNoAuth: values.API_INSECURE_NO_AUTH,
    },
    subscriptions: { refreshMs: values.SUBSCRIPTION_REFRESH_MS },
    controls: {
      defaults: {
        maxInFlight: values.SUBSCRIPTION_MAX_IN_FLIGHT,
        ratePerSecond: values.SUBSCRIPTION_RATE_LIMIT,
        standardWebhooks: values.SUBSCRIPTION_STANDARD_WEBHOOKS,
        cloudEventsMode: values.SUBSCRIPTION_CLOUDEVENTS_MODE,
        retrySchedule: values.SUBSCRIPTION_RETRY_SCHEDULE,
        autoDisableAfterS: values.SUBSCRIPTION_AUTO_DISABLE_AFTER_S,
      },
      admissionWaitMs: values.ADMISSION_WAIT_MS,
      circuitFailureThreshold: values.CIRCUIT_FAILURE_THRESHOLD,
      circuitCooldownMs: values.CIRCUIT_COOLDOWN_MS,
    },
    aws: {
      region: values.AWS_REGION,
      eventBridgeEndpoint: values.AWS_ENDPOINT_URL_EVENTBRIDGE?.href.replace(/\/+$/, ''),
      sqsEndpoint: values.AWS_ENDPOINT_URL_SQS?.href.replace(/\/+$/, ''),
      eventBridgeSource: values.EVENTBRIDGE_SOURCE,
    },
    deliveryLog: { batchMaxRows: values.LOG_BATCH_MAX_ROWS },
    http: { host: values.HTTP_HOST, port: values.HTTP_PORT, trustProxy: values.HTTP_TRUST_PROXY },
    logLevel: values.LOG_LEVEL,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

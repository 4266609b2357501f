import { fileURLToPath } from 'node:url';

import { type Channel, type ChannelModel, connect, type GetMessage } from 'amqplib';

import { type MagentoStandIn, startMagentoStandIn } from '../../fixtures/magento-stand-in/index.js';
import { encodeTrigger, publishLikeMagento, type StoreIdStyle } from '../../fixtures/magentoPublisher.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../fixtures/webhook-receiver/index.js';
import { loadConfig } from '../../src/config/index.js';
import { type Sidecar, type SidecarRoles, startSidecar } from '../../src/main.js';
import { type CapturedLogs, captureLogs } from './logCapture.js';
import { createTestVhost, type TestVhost } from './rabbitVhost.js';
import { createTestDatabase, TEST_CRYPT_KEY, type TestDatabase } from './testDatabase.js';

export const MAGENTO_ROOT = fileURLToPath(new URL('../../fixtures/magento-root/', import.meta.url));
export const MAGENTO_TOKEN = 'integration-test-token';
export const API_TOKEN = 'test-api-token-0123456789abcdef';
/** The thin module's etc/ folder: its webapi.xml declares the resolve route. */
export const MODULE_ETC = fileURLToPath(new URL('../../magento-module/etc/', import.meta.url));

/**
 * Everything one integration test file needs, on real services: a fresh RabbitMQ vhost, a fresh
 * Magento-shaped database, the Magento REST stand-in, a webhook receiver and the sidecar itself
 * (in-process, through the same composition root as `run`).
 */
export interface Harness {
  vhost: TestVhost;
  db: TestDatabase;
  standIn: MagentoStandIn;
  receiver: WebhookReceiver;
  logs: CapturedLogs;
  /** The sidecar's environment (to start another instance, or the CLI, on the same services). */
  env: Record<string, string>;
  sidecar: Sidecar;
  /** A channel of the test's own, for publishing like Magento and inspecting queues. */
  readonly channel: Channel;
  /** Opens the test's own connection again (after the broker dropped it on purpose). */
  reconnect(): Promise<void>;
  publish(eventName: string, args: Record<string, unknown>, storeId?: number, style?: StoreIdStyle): void;
  publishRaw(
    body: Buffer,
    options?: { exchange?: string; routingKey?: string; headers?: Record<string, unknown> },
  ): void;
  /** Reads (and removes) every message of a queue. */
  drainQueue(queue: string): Promise<GetMessage[]>;
  /** Takes messages from a queue until `count` arrived; fails after `timeoutMs`. */
  takeMessages(queue: string, count: number, timeoutMs?: number): Promise<GetMessage[]>;
  restartSidecar(env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra sidecar environment. */
  env?: Record<string, string>;
  /** Let the stand-in answer any entity id (see MagentoStandInOptions.synthesize). @default false */
  synthesize?: boolean;
  /** Whether the stand-in serves the thin module's resolve route. @default true */
  moduleRoute?: boolean;
  /** More Magento bearer tokens and their ACL resources (see MagentoStandInOptions.tokenResources). */
  tokenResources?: Readonly<Record<string, readonly string[]>>;
  /** What the in-process sidecar does. @default consume and api (`run`) */
  roles?: SidecarRoles;
  /** Level of the captured sidecar log (`debug` to see everything it would ever write). @default 'info' */
  logLevel?: string;
}

/** The sidecar's environment on the test services: loopback HTTP, the test tokens, quick refresh. */
export function sidecarTestEnv(services: {
  amqpUrl: string;
  mysqlUrl: string;
  magentoUrl: string;
}): Record<string, string> {
  return {
    AMQP_URL: services.amqpUrl,
    MYSQL_URL: services.mysqlUrl,
    MAGENTO_BASE_URL: services.magentoUrl,
    MAGENTO_TOKEN,
    MAGENTO_CRYPT_KEY: TEST_CRYPT_KEY,
    MAGENTO_ROOT,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    SUBSCRIPTION_REFRESH_MS: '200',
    API_TOKENS: API_TOKEN,
    // The receivers and the stand-in listen on loopback, which the destination guard refuses otherwise.
    DESTINATION_ALLOW_CIDRS: '127.0.0.0/8',
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const extraEnv = options.env ?? {};
  const [vhost, db] = await Promise.all([createTestVhost(), createTestDatabase()]);
  const standIn = await startMagentoStandIn({
    token: MAGENTO_TOKEN,
    synthesize: options.synthesize ?? false,
    moduleRoute: options.moduleRoute ?? true,
    tokenResources: options.tokenResources ?? {},
  });
  const receiver = await startWebhookReceiver();
  const logs = captureLogs(options.logLevel);
  const env: Record<string, string> = {
    ...sidecarTestEnv({ amqpUrl: vhost.url, mysqlUrl: db.url, magentoUrl: standIn.url }),
    SHUTDOWN_GRACE_MS: '5000',
    ...extraEnv,
  };
  const roles = options.roles ?? { consume: true, api: true };
  let sidecar = await startSidecar(loadConfig(env, 'run'), { logger: logs.logger, roles });
  await sidecar.started;
  let connection: ChannelModel = await connect(vhost.url);
  let channel = await connection.createChannel();

  const drainQueue = async (queue: string): Promise<GetMessage[]> => {
    const messages: GetMessage[] = [];
    for (
      let message = await channel.get(queue, { noAck: true });
      message !== false;
      message = await channel.get(queue, { noAck: true })
    ) {
      messages.push(message);
    }
    return messages;
  };

  return {
    vhost,
    db,
    standIn,
    receiver,
    logs,
    env,
    get sidecar() {
      return sidecar;
    },
    get channel() {
      return channel;
    },
    async reconnect() {
      await connection.close().catch(() => undefined);
      connection = await connect(vhost.url);
      channel = await connection.createChannel();
    },
    publish(eventName, args, storeId = 0, style = 'number') {
      publishLikeMagento(channel, encodeTrigger(eventName, args, storeId, style));
    },
    publishRaw(body, options = {}) {
      channel.publish(options.exchange ?? 'magento', options.routingKey ?? 'event.trigger', body, {
        deliveryMode: 2,
        ...(options.headers === undefined ? {} : { headers: options.headers }),
      });
    },
    drainQueue,
    async takeMessages(queue, count, timeoutMs = 10_000) {
      const taken: GetMessage[] = [];
      await eventually(
        async () => {
          taken.push(...(await drainQueue(queue)));
          return taken.length >= count ? true : undefined;
        },
        timeoutMs,
        `${count} message(s) in ${queue}`,
      );
      return taken;
    },
    async restartSidecar(overrides = {}) {
      await sidecar.close();
      sidecar = await startSidecar(loadConfig({ ...env, ...overrides }, 'run'), {
        logger: logs.logger,
        roles,
      });
      await sidecar.started;
    },
    async stop() {
      await sidecar.close();
      // A test may have had the broker close it already (close_all_connections).
      await connection.close().catch(() => undefined);
      await Promise.all([standIn.close(), receiver.close()]);
      await assertNoConnectionsLeft(vhost);
      await Promise.all([vhost.remove(), db.remove()]);
    },
  };
}

/** The leak guard: after a test file, nothing of the sidecar may still hold a broker connection. */
async function assertNoConnectionsLeft(vhost: TestVhost): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const connections = await vhost.connectionCount();
    if (connections === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`Leak: ${connections} connection(s) still open on vhost ${vhost.name} after stop()`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) {
        return value;
      }
    } catch (error: unknown) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

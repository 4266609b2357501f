import { type Channel, type ChannelModel, connect, type RecoveringChannelModel } from 'amqplib';

import { redactUrl } from '../config/index.js';
import { coerceError, type Logger, SidecarError } from '../shared/index.js';

/**
 * One AMQP connection per process, reconnected by amqplib's recovery with back-off. Components
 * register setup functions (topology, publisher channel, consumers) that run in registration order
 * after every (re)connect, so they must be safe to re-run [ACM addSetup].
 *
 * States: idle → connecting → connected ⇄ (disconnected → connecting) → closed.
 * `connected` means every setup succeeded; a setup failure closes that connection and recovery
 * tries again later, so readiness never reports a half-configured broker.
 */
export type AmqpSetup = (model: ChannelModel) => Promise<void>;
export type AmqpState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface AmqpConnection {
  addSetup(setup: AmqpSetup): void;
  /** Starts connecting in the background; resolves once the first connection is ready or `signal` aborts. */
  start(): void;
  waitUntilConnected(signal?: AbortSignal): Promise<void>;
  state(): AmqpState;
  /** Forces a reconnect, e.g. after a channel was closed by the broker. */
  recycle(reason: string): void;
  /** A plain channel on the current connection, for tools (dead-letter listing); the caller closes it. */
  openChannel(signal?: AbortSignal): Promise<Channel>;
  close(): Promise<void>;
}

export interface AmqpConnectionOptions {
  url: string;
  logger: Logger;
  /** Longest wait between reconnect attempts. @default 10000 ms */
  maxReconnectDelayMs?: number;
  /** Heartbeat interval negotiated with the broker. @default 15 s */
  heartbeatS?: number;
  /**
   * Give up when the very first connection fails (wrong credentials, no broker): operator tools
   * answer at once instead of retrying until a timeout. Services keep retrying. @default false
   */
  failFast?: boolean;
}

export function makeAmqpConnection(options: AmqpConnectionOptions): AmqpConnection {
  const logger = options.logger.child({ component: 'amqp' });
  const setups: AmqpSetup[] = [];
  let state: AmqpState = 'idle';
  let recovering: RecoveringChannelModel | undefined;
  let current: ChannelModel | undefined;
  let closing: Promise<void> | undefined;
  let waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let firstFailure: Error | undefined;

  const markConnected = (model: ChannelModel): void => {
    current = model;
    state = 'connected';
    logger.info({ url: redactUrl(options.url) }, 'AMQP connected and set up');
    const ready = waiters;
    waiters = [];
    ready.forEach((waiter) => waiter.resolve());
  };

  const giveUp = (error: Error): void => {
    firstFailure = new SidecarError(
      'SC_ERR_UNAVAILABLE',
      `RabbitMQ at ${redactUrl(options.url)} refused or did not answer: ${error.message}`,
    );
    const failed = waiters;
    waiters = [];
    failed.forEach((waiter) => waiter.reject(firstFailure as Error));
    void recovering?.close().catch(() => undefined);
  };

  const runSetups = async (model: ChannelModel): Promise<void> => {
    state = 'connecting';
    for (const setup of setups) {
      await setup(model);
    }
  };

  return {
    addSetup(setup) {
      setups.push(setup);
    },
    start() {
      if (state !== 'idle') {
        return;
      }
      state = 'connecting';
      const connectUrl = new URL(options.url);
      connectUrl.searchParams.set('heartbeat', String(options.heartbeatS ?? 15));
      connect(connectUrl.href, {
        // Acks, confirms and small publishes are request/response traffic: Nagle's algorithm with
        // the peer's delayed ACK would hold a frame ~40 ms.
        noDelay: true,
        recovery: {
          initialDelay: 200,
          maxDelay: options.maxReconnectDelayMs ?? 10_000,
          waitForConnect: false,
          setup: runSetups,
        },
      })
        .then((model) => {
          recovering = model;
          model.on('connect', markConnected);
          model.on('disconnect', (error: Error) => {
            current = undefined;
            if (state !== 'closed') {
              state = 'disconnected';
              logger.warn({ err: error }, 'AMQP connection lost; reconnecting');
            }
          });
          model.on('connect-failed', (error: Error) => {
            if (options.failFast === true && current === undefined && state !== 'closed') {
              giveUp(error);
              return;
            }
            logger.warn({ err: error }, 'AMQP connect or setup failed; retrying');
          });
          model.on('error', (error: Error) => {
            logger.warn({ err: error }, 'AMQP connection error');
          });
          if (closing !== undefined) {
            void model.close().catch(() => undefined);
          }
        })
        .catch((error: unknown) => {
          if (options.failFast === true) {
            giveUp(coerceError(error));
            return;
          }
          logger.error({ err: coerceError(error) }, 'AMQP connection could not be created');
        });
    },
    waitUntilConnected(signal) {
      if (state === 'connected') {
        return Promise.resolve();
      }
      if (firstFailure !== undefined) {
        return Promise.reject(firstFailure);
      }
      return new Promise((resolve, reject) => {
        const onAbort = (): void => {
          waiters = waiters.filter((candidate) => candidate !== waiter);
          reject(coerceError(signal?.reason ?? new Error('aborted')));
        };
        const waiter = {
          resolve: (): void => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          reject: (error: Error): void => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        };
        if (signal?.aborted) {
          onAbort();
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(waiter);
      });
    },
    state: () => state,
    async openChannel(signal) {
      await this.waitUntilConnected(signal);
      const model = current;
      if (model === undefined) {
        throw new SidecarError('SC_ERR_UNAVAILABLE', 'RabbitMQ is not connected');
      }
      return model.createChannel();
    },
    recycle(reason) {
      const model = current;
      if (model === undefined || state === 'closed') {
        return;
      }
      logger.warn({ reason }, 'Recycling the AMQP connection');
      // Not usable from now on: waiters must wait for the next connection, not spin on this one.
      current = undefined;
      state = 'disconnected';
      // Closing the model makes amqplib's recovery reconnect and re-run every setup.
      // It may already be closing on its own (a channel closes as part of a connection loss).
      model
        .close()
        .catch((error: unknown) =>
          logger.debug({ err: coerceError(error) }, 'AMQP close during recycle failed'),
        );
    },
    close() {
      closing ??= (async () => {
        state = 'closed';
        current = undefined;
        if (recovering !== undefined) {
          await recovering.close().catch((error: unknown) => {
            logger.warn({ err: coerceError(error) }, 'AMQP close failed');
          });
        }
      })();
      return closing;
    },
  };
}

import { type Config, loadConfig } from '../config/index.js';
import { handleShutdownSignals, relaxHeapGrowth } from '../lifecycle/index.js';
import { type SidecarRoles, startSidecar } from '../main.js';
import { coerceError, makeProcessLogger } from '../shared/index.js';
import { reportConfigError } from './configError.js';

const ROLES: Record<ServeCommand, SidecarRoles> = {
  run: { consume: true, api: true },
  worker: { consume: true, api: false },
  api: { consume: false, api: true },
};

export type ServeCommand = 'run' | 'worker' | 'api';

/**
 * `run` (the whole sidecar), `worker` (consumers only) or `api` (REST API only) until
 * SIGTERM/SIGINT; resolves with the exit code.
 */
export async function runCommand(env: NodeJS.ProcessEnv, command: ServeCommand = 'run'): Promise<number> {
  relaxHeapGrowth();
  let config: Config;
  try {
    config = loadConfig(env, command);
  } catch (error: unknown) {
    const code = reportConfigError(error);
    if (code !== undefined) {
      return code;
    }
    throw error;
  }
  const logger = makeProcessLogger(config.logLevel);
  let sidecar;
  try {
    sidecar = await startSidecar(config, { logger, roles: ROLES[command] });
  } catch (error: unknown) {
    const code = reportConfigError(error);
    if (code !== undefined) {
      return code;
    }
    logger.fatal({ err: coerceError(error) }, 'The sidecar could not start');
    return 1;
  }

  return new Promise<number>((resolve) => {
    let exitCode = 0;
    let shuttingDown = false;
    const shutdown = (): void => {
      shuttingDown = true;
      signals.dispose();
      sidecar
        .close()
        .catch((error: unknown) => {
          logger.error({ err: coerceError(error) }, 'Shutdown finished with errors');
          exitCode = 1;
        })
        .finally(() => resolve(exitCode));
    };
    const signals = handleShutdownSignals({
      onShutdown: (signal) => {
        logger.info({ signal }, 'Shutdown requested');
        shutdown();
      },
      onForce: (signal) => {
        logger.warn({ signal }, 'Forced shutdown: exiting without waiting');
        process.exit(1);
      },
    });
    sidecar.started.catch((error: unknown) => {
      if (shuttingDown) {
        return; // boot was aborted by the shutdown itself
      }
      logger.fatal({ err: coerceError(error) }, 'The sidecar cannot run');
      exitCode = 1;
      shutdown();
    });
  });
}

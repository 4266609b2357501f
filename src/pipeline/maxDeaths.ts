import { coerceError, type Logger } from '../shared/index.js';
import { DEFAULT_MAX_DEATHS, type Pool, readMaxDeaths } from '../store/index.js';

/**
 * How many retries a delivery gets: MAX_DEATHS when set, else core_config_data
 * `system/async_events/max_deaths` (re-read periodically, so an admin change applies without a
 * restart), else upstream's default 5.
 */
export interface MaxDeathsSource {
  current(): number;
  load(): Promise<void>;
  close(): void;
}

export function makeMaxDeathsSource(options: {
  override: number | undefined;
  pool: Pool;
  logger: Logger;
  /** @default 30000 ms */
  refreshMs?: number;
}): MaxDeathsSource {
  let value = options.override ?? DEFAULT_MAX_DEATHS;
  let timer: NodeJS.Timeout | undefined;

  const read = async (): Promise<void> => {
    try {
      value = (await readMaxDeaths(options.pool)) ?? DEFAULT_MAX_DEATHS;
    } catch (error: unknown) {
      options.logger.warn(
        { err: coerceError(error), maxDeaths: value },
        'Cannot read max_deaths from core_config_data; keeping the last value',
      );
    }
  };

  return {
    current: () => value,
    async load() {
      if (options.override !== undefined) {
        return;
      }
      await read();
      timer = setInterval(() => {
        void read();
      }, options.refreshMs ?? 30_000);
      timer.unref();
    },
    close() {
      clearInterval(timer);
    },
  };
}

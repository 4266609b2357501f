import { coerceError } from '../shared/index.js';

/**
 * Resources registered as they are acquired and released last-in, first-out, so nothing is closed
 * while something that uses it still runs. A failing release does not stop the others; all
 * failures are reported together as an AggregateError [GW withReleasers].
 */
export interface Releasers {
  add(name: string, release: () => Promise<void> | void): void;
  releaseAll(): Promise<void>;
}

export function makeReleasers(onError?: (name: string, error: Error) => void): Releasers {
  const stack: Array<{ name: string; release: () => Promise<void> | void }> = [];
  let releasing: Promise<void> | undefined;
  return {
    add(name, release) {
      stack.push({ name, release });
    },
    releaseAll() {
      releasing ??= (async () => {
        const errors: Error[] = [];
        for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
          try {
            await entry.release();
          } catch (error: unknown) {
            const failure = coerceError(error);
            onError?.(entry.name, failure);
            errors.push(new Error(`${entry.name}: ${failure.message}`, { cause: failure }));
          }
        }
        if (errors.length > 0) {
          throw new AggregateError(errors, `${errors.length} resource(s) failed to release`);
        }
      })();
      return releasing;
    },
  };
}

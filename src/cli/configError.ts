import { SidecarError } from '../shared/index.js';

/** Prints a configuration error the way an operator needs it (no stack) and gives exit code 2. */
export function reportConfigError(error: unknown): number | undefined {
  if (error instanceof SidecarError && error.code === 'SC_ERR_CONFIG') {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  return undefined;
}

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

const VALIDATE = fileURLToPath(new URL('../../magento-module/Test/validate.sh', import.meta.url));

/**
 * The PHP module's own checks: `php -l` on every file, every XML against its schema (valid and
 * invalid fixtures), PHPUnit. They need php-cli, phpunit and xmllint, which `.ci/run` installs.
 */
describe('magento-module checks', () => {
  it('pass (php -l, xmllint against the XSDs, phpunit)', async () => {
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)('bash', [VALIDATE], {
        timeout: 120_000,
        maxBuffer: 10 * 1024 * 1024,
      }));
    } catch (error: unknown) {
      const failed = error as { code?: unknown; stdout?: string; stderr?: string };
      throw new Error(
        `magento-module/Test/validate.sh failed (exit ${String(failed.code)}); if php, phpunit or xmllint is missing, run \`bash .ci/run\`.\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
        { cause: error },
      );
    }
    expect(stdout).toMatch(/^OK \(\d+ tests, \d+ assertions\)$/m);
    expect(stdout).toContain('validate.sh: all checks passed');
  });
});

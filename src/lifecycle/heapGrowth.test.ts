import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const MODULE = fileURLToPath(new URL('./heapGrowth.ts', import.meta.url));

/**
 * Runs a fresh Node under the Docker image's heap cap with `nodeFlags`, optionally calling
 * relaxHeapGrowth, forces one full GC and returns the growing factor V8 reports for the new limit.
 */
async function growingFactorAfterFullGc(options: { relax: boolean; nodeFlags?: string[] }): Promise<string> {
  const script = [
    `import { relaxHeapGrowth } from ${JSON.stringify(MODULE)};`,
    options.relax ? 'relaxHeapGrowth();' : '',
    'const kept = Array.from({ length: 300_000 }, (_, i) => ({ i }));',
    'globalThis.gc();',
    'if (kept.length === 0) process.exit(2);',
  ].join('\n');
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--max-old-space-size=128',
      '--expose-gc',
      '--trace-gc-verbose',
      ...(options.nodeFlags ?? []),
      '--input-type=module',
      '--eval',
      script,
    ],
    { cwd: fileURLToPath(new URL('../..', import.meta.url)), maxBuffer: 16 * 1024 * 1024 },
  );
  const factor = /\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/.exec(stdout);
  if (factor?.[1] === undefined) {
    throw new Error(`no heap limit line in V8's trace:\n${stdout.slice(0, 2000)}`);
  }
  return factor[1];
}

describe('relaxHeapGrowth', () => {
  it('lets the old generation double after a full GC where the 128 MB cap alone allows 1.3x', async () => {
    await expect(growingFactorAfterFullGc({ relax: false })).resolves.toBe('1.3');
    await expect(growingFactorAfterFullGc({ relax: true })).resolves.toBe('2.0');
  }, 30_000);

  it("leaves an operator's own --heap-growing-percent alone", async () => {
    await expect(
      growingFactorAfterFullGc({ relax: true, nodeFlags: ['--heap-growing-percent=50'] }),
    ).resolves.toBe('1.5');
  }, 30_000);
});

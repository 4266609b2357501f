import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { replaceConfigTable } from './configTable.js';
import { ENV_KEYS } from './env.js';

describe('README configuration table', () => {
  it('matches the env registry (run `npm run readme:config` after changing env.ts)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(replaceConfigTable(readme)).toBe(readme);
    for (const name of Object.keys(ENV_KEYS)) {
      expect(readme).toContain(`| \`${name}\` |`);
    }
  });
});

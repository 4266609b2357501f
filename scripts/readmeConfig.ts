// Regenerates the configuration table of README.md from src/config/env.ts.
import { readFileSync, writeFileSync } from 'node:fs';

import { replaceConfigTable } from '../src/config/index.js';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, replaceConfigTable(readFileSync(path, 'utf8')));
console.log('README.md configuration table updated');

// Renders the figures the reliability suite left in test-artifacts/reliability/*.json into the
// "Reliability" table of README.md (between the reliability:start/end markers).
// Run the suite first: npx vitest run --project reliability
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

import type { FaultAccounting } from '../test/reliability/accounting.js';

const START = '<!-- reliability:start -->';
const END = '<!-- reliability:end -->';
const artifacts = new URL('../test-artifacts/reliability/', import.meta.url);
const readmePath = new URL('../README.md', import.meta.url);

/** Table order: the order of the list of faults. */
const ORDER = [
  'connections-closed',
  'broker-restart',
  'database-outage',
  'sigkill',
  'magento-down',
  'magento-slow',
  'magento-500',
  'receiver-timeout',
  'receiver-reset',
  'receiver-trickle',
  'receiver-redirect',
  'receiver-huge',
  'receiver-gone',
  'poison-messages',
  'graceful-shutdown',
];

function readAccountings(): FaultAccounting[] {
  let files: string[];
  try {
    files = readdirSync(artifacts).filter((file) => file.endsWith('.json'));
  } catch {
    files = [];
  }
  if (files.length === 0) {
    throw new Error(
      'No figures in test-artifacts/reliability/: run `npx vitest run --project reliability` first',
    );
  }
  const rank = (fault: string): number => (ORDER.includes(fault) ? ORDER.indexOf(fault) : ORDER.length);
  return files
    .map((file) => JSON.parse(readFileSync(new URL(file, artifacts), 'utf8')) as FaultAccounting)
    .sort((a, b) => rank(a.fault) - rank(b.fault) || a.fault.localeCompare(b.fault));
}

function render(accountings: readonly FaultAccounting[]): string {
  const number = (value: number): string => value.toLocaleString('en-US');
  const dates = accountings.map((accounting) => accounting.measuredAt.slice(0, 10)).sort();
  const period = dates[0] === dates.at(-1) ? dates[0] : `${dates[0]} to ${dates.at(-1)}`;
  const lines = [
    `Latest run (${period}, ${cpus().length} cores, Node ${process.version}, everything on the same box; \`npx vitest run --project reliability\`, then \`npm run reliability:report\`):`,
    '',
    '| Fault | Published | Delivered | Dead-lettered | Duplicates | Lost | Took | Reproduce |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...accountings.map(
      (a) =>
        `| ${a.title} | ${number(a.published)} | ${number(a.delivered)} | ${number(a.deadLettered)} | ${number(a.duplicates)} | **${number(a.lost)}** | ${(a.durationMs / 1000).toFixed(1)} s | \`${a.command}\` |`,
    ),
    '',
    ...accountings.map((a) => `- **${a.fault}**: ${a.notes}`),
  ];
  return lines.join('\n');
}

const accountings = readAccountings();
const readme = readFileSync(readmePath, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start === -1 || end === -1 || end < start) {
  throw new Error(`README.md has no ${START} … ${END} markers`);
}
writeFileSync(
  readmePath,
  `${readme.slice(0, start + START.length)}\n${render(accountings)}\n${readme.slice(end)}`,
);
const missing = ORDER.filter((fault) => !accountings.some((accounting) => accounting.fault === fault));
if (missing.length > 0) {
  console.warn(`No figures for: ${missing.join(', ')} (their tests did not run or failed)`);
}
console.log(`README.md reliability table updated (${accountings.length} faults)`);
const lost = accountings.filter((accounting) => accounting.lost !== 0);
if (lost.length > 0) {
  console.error(`Events lost in: ${lost.map((accounting) => accounting.fault).join(', ')}`);
  process.exitCode = 1;
}

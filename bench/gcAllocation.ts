/**
 * `npx tsx bench/gcAllocation.ts <file>…`: what a sidecar run allocated on the V8 heap, from the
 * `--trace-gc` lines of its stdout (`BENCH_GC_TRACE=<dir> npm run bench …` writes one file per run).
 * Each collection prints the heap before and after it; what grew between the end of one and the
 * start of the next was allocated. Unlike CPU time this does not depend on the VM's speed, so two
 * builds or two shapes compare within a percent on this machine.
 */
import { readFileSync } from 'node:fs';

import { fmt } from './lib/report.js';

/** `Scavenge 4.0 (4.2) -> 3.5 (5.2) MB, 0.52 / 0.00 ms` and the like; the kind is the words before. */
const COLLECTION =
  /ms: ([A-Za-z-]+(?: \([a-z ]+\))?) ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \//;

interface Summary {
  allocatedMb: number;
  byKind: Map<string, { count: number; ms: number }>;
}

function summarize(text: string): Summary {
  let allocatedMb = 0;
  let previousAfter: number | undefined;
  const byKind = new Map<string, { count: number; ms: number }>();
  for (const line of text.split('\n')) {
    const match = COLLECTION.exec(line);
    if (match === null) {
      continue; // the sidecar's own log lines share the stream
    }
    const [, kind = '?', before, after, ms] = match;
    if (previousAfter !== undefined) {
      allocatedMb += Math.max(0, Number(before) - previousAfter);
    }
    previousAfter = Number(after);
    const total = byKind.get(kind) ?? { count: 0, ms: 0 };
    total.count += 1;
    total.ms += Number(ms);
    byKind.set(kind, total);
  }
  return { allocatedMb, byKind };
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: npx tsx bench/gcAllocation.ts <trace-gc log>…\n');
  process.exit(2);
}
for (const file of files) {
  const { allocatedMb, byKind } = summarize(readFileSync(file, 'utf8'));
  const kinds = [...byKind]
    .map(([kind, { count, ms }]) => `${kind} ${fmt(count)} (${fmt(ms)} ms)`)
    .join(', ');
  process.stdout.write(`${file}: allocated ${fmt(allocatedMb)} MB; ${kinds || 'no collections'}\n`);
}

import { readFileSync, writeFileSync } from 'node:fs';

import type { Limits } from '../limits/index.js';
import type { BenchArgs } from './args.js';
import type { Machine } from './machine.js';
import { fmt, markdownTable, type ScenarioReport } from './report.js';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** The README "Performance" block: machine, command, raw limits, every scenario and target. */
export function readmeBlock(options: {
  machine: Machine;
  args: BenchArgs;
  command: string;
  limits: Limits;
  reports: readonly ScenarioReport[];
}): string {
  const { machine, limits, reports } = options;
  const lines = [
    `Latest run: ${machine.date.slice(0, 10)}, ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB, Node ${machine.node}, RabbitMQ ${machine.rabbitmq}, MariaDB ${machine.mariadb}; everything (sidecar, broker, database, stand-in, receivers, publisher) on the same box. Command: \`${options.command}\`.`,
  ];
  if (options.args.note !== undefined) {
    lines.push('', `Note: ${options.args.note}`);
  }
  lines.push(
    '',
    'Raw limits, measured in the same run:',
    '',
    markdownTable(
      ['Limit', 'Value'],
      [
        [
          'plain undici POSTs against the benchmark receiver (best of 16/64/256 in flight)',
          `${fmt(limits.postPerSecond)}/s (${limits.postInFlight} in flight)`,
        ],
        [
          'CPU of one such POST on the client side alone (a process of its own, same in-flight level)',
          `${fmt(limits.postClientCpuMs, 3)} ms`,
        ],
        [
          'amqplib consume+ack, one ack per message / `multiple` ack per 100',
          `${fmt(limits.amqpSingleAcks)}/s / ${fmt(limits.amqpMultipleAcks)}/s`,
        ],
        [
          'batched INSERT into async_event_subscriber_log (500 rows per statement)',
          `${fmt(limits.insertRowsPerSecond)} rows/s`,
        ],
      ],
    ),
    '',
    'Targets:',
    '',
    markdownTable(
      ['Scenario', 'Figure', 'Measured', 'Target', 'Result'],
      reports.flatMap((report) =>
        report.targets.map((t) => [
          report.title.split(':')[0] ?? report.name,
          t.what,
          t.measured,
          t.goal,
          t.pass ? 'pass' : '**miss**',
        ]),
      ),
    ),
    '',
    'All figures:',
    '',
    markdownTable(
      ['Scenario', 'Figure', 'Value'],
      reports.flatMap((report) => report.rows.map(([label, value]) => [report.title, label, value])),
    ),
  );
  return lines.join('\n');
}

/** Replaces the text between the README's bench markers. */
export function writeReadmeBlock(readmePath: string, block: string): void {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`${readmePath} has no ${START} … ${END} markers`);
  }
  writeFileSync(readmePath, `${readme.slice(0, start + START.length)}\n${block}\n${readme.slice(end)}`);
}

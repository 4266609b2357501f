import type { ScenarioName } from './args.js';
import type { CpuShares } from './cpuMeter.js';

/** A target of the issue with the figure measured against it. */
export interface Target {
  scenario: ScenarioName;
  what: string;
  /** The figure, formatted for the table (with its unit). */
  measured: string;
  goal: string;
  pass: boolean;
}

export interface ScenarioReport {
  name: ScenarioName;
  title: string;
  /** Every figure, for the JSON. */
  figures: Record<string, unknown>;
  /** Label → formatted value, for the printed table and the README. */
  rows: Array<[string, string]>;
  targets: Target[];
  cpu?: CpuShares;
}

export const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

/** "sidecar 0.95, rabbitmq 0.40, …, other 0.30" cores per process (other: the rest of the machine). */
export function describeCpu(cpu: CpuShares | undefined): string {
  if (cpu === undefined) {
    return 'n/a';
  }
  return Object.entries(cpu.cores)
    .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
    .join(', ');
}

export function target(
  scenario: ScenarioName,
  what: string,
  measured: number,
  options: { unit: string; goal: string; pass: boolean; digits?: number },
): Target {
  return {
    scenario,
    what,
    measured: `${fmt(measured, options.digits ?? 0)}${options.unit}`,
    goal: options.goal,
    pass: Number.isFinite(measured) && options.pass,
  };
}

export function printTable(title: string, rows: ReadonlyArray<readonly string[]>): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const line = (row: readonly string[]) =>
    row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [title, ...rows.map(line)].join('\n');
}

/** A Markdown table; `|` in cells escaped. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

import { CLI } from '../helpers/cli.js';
import { eventually } from '../helpers/harness.js';
import type { TestVhost } from '../helpers/rabbitVhost.js';

/** The built sidecar (`dist/cli.js run`) as a child process, for faults that need a real process. */
export interface SidecarProcess {
  child: ChildProcess;
  /** The last 256 KB of stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until the process consumes event.trigger (RabbitMQ lists its consumer). */
  consuming(vhost: TestVhost, timeoutMs?: number): Promise<void>;
}

const KEEP_OUTPUT = 256 * 1024;

export function spawnSidecar(env: Record<string, string>): SidecarProcess {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} does not exist: run \`npm run build\` before the reliability suite`);
  }
  const child = spawn(process.execPath, [CLI, 'run'], {
    env: { PATH: process.env.PATH ?? '', HTTP_PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-KEEP_OUTPUT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => output,
    exited,
    async consuming(vhost, timeoutMs = 20_000) {
      await eventually(
        async () => {
          if (child.exitCode !== null) {
            throw new Error(`the sidecar exited with ${child.exitCode}: ${output.slice(-2000)}`);
          }
          return ((await vhost.queues()).get('event.trigger')?.consumers ?? 0) > 0 ? true : undefined;
        },
        timeoutMs,
        'the sidecar process to consume event.trigger',
      );
    },
  };
}

/** Publishes `ids` at about `perSecond`, in slices every 10 ms; resolves when all are published. */
export async function publishAtRate(
  publish: (id: number) => void,
  ids: readonly number[],
  perSecond: number,
): Promise<void> {
  const perTick = Math.max(1, Math.round(perSecond / 100));
  const started = performance.now();
  for (let offset = 0; offset < ids.length; offset += perTick) {
    ids.slice(offset, offset + perTick).forEach(publish);
    const due = started + ((offset + perTick) / perSecond) * 1000;
    const wait = due - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  }
}

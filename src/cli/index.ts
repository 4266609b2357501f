import { Command, InvalidArgumentError } from 'commander';

import { configCheckCommand } from './configCheckCommand.js';
import { registerOpsCommands } from './opsCommands.js';
import { reindexCommand } from './reindexCommand.js';
import { runCommand } from './runCommand.js';
import { makeToolRunner } from './toolAction.js';
import { registerToolCommands } from './toolCommands.js';

/**
 * The `async-events-sidecar` command line. Exit codes: 0 success; 1 runtime failure (a dependency
 * failed for good, or a forced shutdown; for `reindex`: the engine or database failed, run it again
 * to resume); 2 invalid configuration or input; 3 config:check or topology:check found problems.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('async-events-sidecar')
    .description('Delivers Mage-OS Async Events outside PHP: consume, resolve, sign, deliver, log, retry.')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('run')
    .description(
      'The whole sidecar: consume event.trigger and event.failover.retry, serve the REST API and /healthz, /readyz, /metrics.',
    )
    .action(async () => {
      exitCode = await runCommand(process.env, 'run');
    });

  program
    .command('worker')
    .description(
      'Consumers only (plus search indexing and log retention); HTTP serves just /healthz, /readyz and /metrics.',
    )
    .action(async () => {
      exitCode = await runCommand(process.env, 'worker');
    });

  program
    .command('api')
    .description(
      'The REST API only (subscriptions, search, replay, dead letters, /healthz, /readyz, /metrics); consumes nothing.',
    )
    .action(async () => {
      exitCode = await runCommand(process.env, 'api');
    });

  program
    .command('config:check')
    .description('Read every async_events.xml and webapi.xml and show how each event resolves its payload.')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      exitCode = await configCheckCommand(process.env, { json: options.json === true });
    });

  program
    .command('reindex')
    .description(
      'Backfill the search engine (SEARCH_ENGINE) from async_event_subscriber_log, with progress; resumes from the checkpoint.',
    )
    .option('--from-start', 'reset the checkpoint and index every row again')
    .option('--batch-size <rows>', 'log rows per bulk request (default INDEX_BATCH_SIZE)', positiveInteger)
    .option('--json', 'print the summary as JSON')
    .action(async (options: { fromStart?: boolean; json?: boolean; batchSize?: number }) => {
      exitCode = await reindexCommand(process.env, {
        fromStart: options.fromStart === true,
        json: options.json === true,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      });
    });

  const runTool = makeToolRunner((code) => {
    exitCode = code;
  });
  registerToolCommands(program, runTool);
  registerOpsCommands(program, runTool);

  try {
    await program.parseAsync([...argv]);
  } catch (error: unknown) {
    // commander has already printed its message (unknown command, --help, --version).
    const code = (error as { exitCode?: unknown }).exitCode;
    return typeof code === 'number' ? code : 1;
  }
  return exitCode;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1 || parsed > 10_000) {
    throw new InvalidArgumentError('a whole number from 1 to 10000');
  }
  return parsed;
}

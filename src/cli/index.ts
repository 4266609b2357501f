import { Command } from 'commander';

import { configCheckCommand } from './configCheckCommand.js';
import { registerOpsCommands } from './opsCommands.js';
import { runCommand } from './runCommand.js';
import { makeToolRunner } from './toolAction.js';
import { registerToolCommands } from './toolCommands.js';

/**
 * The `async-events-sidecar` command line. Exit codes: 0 success; 1 runtime failure (a dependency
 * failed for good, or a forced shutdown); 2 invalid configuration or input; 3 config:check found problems.
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
    .description('Consume event.trigger and event.failover.retry and serve /healthz, /readyz and /metrics.')
    .action(async () => {
      exitCode = await runCommand(process.env);
    });

  program
    .command('config:check')
    .description('Read every async_events.xml and webapi.xml and show how each event resolves its payload.')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      exitCode = await configCheckCommand(process.env, { json: options.json === true });
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

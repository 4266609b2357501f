import type { Command } from 'commander';

import { DEAD_LETTER_QUEUES, type DeadLetterQueue, parseDeadLetterQueue } from '../deadletters/index.js';
import { ApiError } from '../shared/index.js';
import { findTrace, type LogItem } from '../store/index.js';
import { positive, type ToolRunner } from './toolAction.js';

/**
 * The operator commands over deliveries: search, trace, replay and the dead letters. Each prints a
 * readable report, or JSON with --json (exit codes: see toolAction.ts).
 */
export function registerToolCommands(program: Command, run: ToolRunner): void {
  program
    .command('search')
    .description("Search delivery attempts with a Lucene query (e.g. 'customer.* AND success:false').")
    .argument('[query]', 'Lucene query; empty for everything', '')
    .option('--page-size <n>', 'results per page', '20')
    .option('--page <n>', 'page number, from 1', '1')
    .option('--bodies', 'include the delivered bodies')
    .option('--json', 'print JSON')
    .action((query: string, options: { pageSize: string; page: string; bodies?: boolean; json?: boolean }) =>
      run(options.json === true, async (context, print) => {
        const page = await context.search().search(query, {
          pageSize: positive(options.pageSize, 'page-size', 500),
          currentPage: positive(options.page, 'page', 1_000_000),
          bodies: options.bodies === true,
        });
        print(`${page.total_count} attempt(s) match; page ${options.page}:\n${table(page.items)}`, page);
      })(),
    );

  program
    .command('trace')
    .description('Every attempt of one delivery chain (uuid), oldest first, with the delivered body.')
    .argument('<uuid>')
    .option('--json', 'print JSON')
    .action((uuid: string, options: { json?: boolean }) =>
      run(options.json === true, async (context, print) => {
        const items = await findTrace(context.pool(), uuid);
        if (items.length === 0) {
          throw new ApiError('SC_ERR_NOT_FOUND', 'No delivery with uuid %1 was logged', {
            parameters: [uuid],
          });
        }
        const human = items
          .map(
            (item, index) =>
              `#${index + 1} ${item.created} log ${item.log_id} ${item.success ? 'ok' : 'FAILED'}: ${item.response_data.slice(0, 200)}`,
          )
          .join('\n');
        print(`${human}\n\nBody:\n${prettyBody(items.at(-1)?.body ?? null)}`, { uuid, items });
      })(),
    );

  program
    .command('replay')
    .description(
      'Replay one delivery (--log-id) or every chain a query matches (--query; a dry run unless --no-dry-run).',
    )
    .option('--log-id <id>', 'the log row to replay')
    .option('--query <q>', 'Lucene query; the newest attempt of each matching chain is replayed')
    .option('--no-dry-run', 'really replay a query (the default only counts)')
    .option('--limit <n>', 'most chains to replay for a query', '100')
    .option('--fresh', 'resolve the payload again from Magento instead of the stored body')
    .option('--json', 'print JSON')
    .action(
      (options: {
        logId?: string;
        query?: string;
        dryRun: boolean;
        limit: string;
        fresh?: boolean;
        json?: boolean;
      }) =>
        run(options.json === true, async (context, print) => {
          const replay = await context.replay(options.fresh === true);
          const resolve = options.fresh === true ? 'fresh' : 'stored';
          if (options.logId !== undefined) {
            const result = await replay.replayOne(
              positive(options.logId, 'log-id', Number.MAX_SAFE_INTEGER),
              resolve,
            );
            print(
              `Replayed log ${options.logId} as chain ${result.replayed[0]?.uuid ?? '?'} (through event.retry.init).`,
              result,
            );
            return;
          }
          if (options.query === undefined) {
            throw new ApiError('SC_ERR_INPUT', 'Give --log-id N or --query "…".');
          }
          const result = await replay.replayQuery(options.query, {
            dryRun: options.dryRun,
            limit: positive(options.limit, 'limit', 10_000),
            resolve,
          });
          const human = result.dry_run
            ? `Dry run: ${result.count}${result.limited ? '+' : ''} chain(s) would be replayed. Sample:\n${table(result.sample)}\nRun again with --no-dry-run to replay them.`
            : `Replayed ${result.replayed.length} chain(s); skipped ${result.skipped.length}.${result.skipped.map((skip) => `\n  log ${skip.log_id}: ${skip.reason}`).join('')}`;
          print(human, result);
        })(),
    );

  program
    .command('deadletter:list')
    .description(
      `Look into the dead-letter queues without consuming them (${DEAD_LETTER_QUEUES.join(', ')}).`,
    )
    .option('--queue <queue>', 'one queue (default: all)')
    .option('--limit <n>', 'messages shown per queue', '20')
    .option('--json', 'print JSON')
    .action((options: { queue?: string; limit: string; json?: boolean }) =>
      run(options.json === true, async (context, print) => {
        const queues: readonly DeadLetterQueue[] =
          options.queue === undefined ? DEAD_LETTER_QUEUES : [parseDeadLetterQueue(options.queue)];
        const results = [];
        for (const queue of queues) {
          results.push(await context.deadLetters().list(queue, positive(options.limit, 'limit', 500)));
        }
        const human = results
          .map(
            (result) =>
              `${result.queue}: ${result.total} message(s)${result.messages.map((message) => `\n  ${message.message_id ?? '-'}  ${message.event_name ?? ''} ${message.subscription_id === null ? '' : `subscription ${message.subscription_id} `}${message.reason ?? ''}`).join('')}`,
          )
          .join('\n');
        print(human, { queues: results });
      })(),
    );

  program
    .command('deadletter:redrive')
    .description(
      'Send dead letters back: a killed delivery starts a new retry chain, a parked message returns to its queue.',
    )
    .requiredOption('--queue <queue>', `one of ${DEAD_LETTER_QUEUES.join(', ')}`)
    .option('--id <messageId...>', 'message ids to re-drive (see deadletter:list)')
    .option('--all', 're-drive every message of the queue')
    .option('--limit <n>', 'most messages with --all', '1000')
    .option('--json', 'print JSON')
    .action((options: { queue: string; id?: string[]; all?: boolean; limit: string; json?: boolean }) =>
      run(options.json === true, async (context, print) => {
        const queue = parseDeadLetterQueue(options.queue);
        let choice: { messageIds: string[] } | { all: true; limit: number };
        if (options.id !== undefined && options.id.length > 0) {
          choice = { messageIds: options.id };
        } else if (options.all === true) {
          choice = { all: true, limit: positive(options.limit, 'limit', 100_000) };
        } else {
          throw new ApiError('SC_ERR_INPUT', 'Give --id <messageId…> or --all.');
        }
        const result = await context.deadLetters().redrive(queue, choice);
        print(
          `Re-drove ${result.redriven.length} message(s) from ${queue}.${result.not_found.length > 0 ? ` Not found: ${result.not_found.join(', ')}` : ''}`,
          result,
        );
      })(),
    );
}

function table(items: readonly LogItem[]): string {
  if (items.length === 0) {
    return '  (none)';
  }
  return items
    .map(
      (item) =>
        `  ${String(item.log_id).padStart(7)}  ${item.created}  ${(item.event_name ?? '?').padEnd(26)} ${item.success ? 'ok    ' : 'FAILED'}  sub ${String(item.subscription_id).padEnd(5)} ${item.uuid ?? '-'}  ${item.response_data.replace(/\s+/g, ' ').slice(0, 60)}`,
    )
    .join('\n');
}

function prettyBody(body: string | null): string {
  if (body === null) {
    return '(no stored body)';
  }
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

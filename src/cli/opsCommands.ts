import type { Command } from 'commander';

import { checkTopology, fixTopology, type TopologyFinding } from '../amqp/index.js';
import { ApiError } from '../shared/index.js';
import { listSubscriptionHealth, type SubscriptionHealth } from '../store/index.js';
import { positive, type ToolRunner } from './toolAction.js';

export const PROBLEMS_EXIT_CODE = 3;

/** Operations commands: the broker topology and the subscriptions, as an operator checks them. */
export function registerOpsCommands(program: Command, run: ToolRunner): void {
  program
    .command('topology:check')
    .description(
      'Compare the RabbitMQ vhost with the exchanges and queues Magento and the sidecar declare (creates nothing unless --fix).',
    )
    .option('--fix', 'declare what is missing and (re)bind the queues; never changes or deletes anything')
    .option('--json', 'print JSON')
    .action((options: { fix?: boolean; json?: boolean }) =>
      run(options.json === true, async (context, print) => {
        const model = await context.brokerConnection();
        if (options.fix === true) {
          await fixTopology(model);
        }
        const findings = await checkTopology(model);
        const problems = findings.filter(
          (finding) => finding.status === 'missing' || finding.status === 'different',
        );
        const human = [
          ...findings.map(formatFinding),
          '',
          problems.length === 0
            ? 'Topology OK.'
            : `${problems.length} problem(s).${problems.some((problem) => problem.status === 'missing') ? ' Run with --fix to declare what is missing.' : ''}${problems.some((problem) => problem.status === 'different') ? ' An entity declared with other flags must be deleted and declared again by hand (its messages go with it).' : ''}`,
        ].join('\n');
        print(human, { ok: problems.length === 0, findings });
        return problems.length === 0 ? 0 : PROBLEMS_EXIT_CODE;
      })(),
    );

  program
    .command('subscriptions:list')
    .description('List subscriptions with their delivery health over the last --hours.')
    .option('--event <pattern>', "event name, with * as a wildcard (e.g. 'sales.*')")
    .option('--status <status>', 'active or inactive')
    .option('--store <id>', 'store id (0 = all stores)')
    .option('--hours <n>', 'window for the attempt counts', '24')
    .option('--json', 'print JSON')
    .action((options: { event?: string; status?: string; store?: string; hours: string; json?: boolean }) =>
      run(options.json === true, async (context, print) => {
        if (options.status !== undefined && !['active', 'inactive'].includes(options.status)) {
          throw new ApiError('SC_ERR_INPUT', '--status is active or inactive.');
        }
        const items = await listSubscriptionHealth(context.pool(), {
          ...(options.event === undefined ? {} : { eventPattern: options.event }),
          ...(options.status === undefined ? {} : { active: options.status === 'active' }),
          ...(options.store === undefined ? {} : { storeId: storeId(options.store) }),
          hours: positive(options.hours, 'hours', 24 * 90),
        });
        print(formatSubscriptions(items, options.hours), { items });
      })(),
    );
}

function storeId(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) {
    throw new ApiError('SC_ERR_INPUT', '--store must be a store id from 0 to 65535.');
  }
  return Number(raw);
}

function formatFinding(finding: TopologyFinding): string {
  const mark = { ok: 'ok  ', missing: 'MISS', different: 'DIFF', unconsumed: 'WARN' }[finding.status];
  const counts =
    finding.messages === undefined
      ? ''
      : ` (${finding.messages} messages, ${finding.consumers ?? 0} consumers)`;
  return `[${mark}] ${finding.kind.padEnd(8)} ${finding.name.padEnd(26)} ${finding.owner.padEnd(7)} ${finding.detail}${counts}`;
}

function formatSubscriptions(items: readonly SubscriptionHealth[], hours: string): string {
  if (items.length === 0) {
    return 'No subscriptions match.';
  }
  const lines = items.map((item) => {
    const rate =
      item.attempts === 0
        ? '   -  '
        : `${((100 * (item.attempts - item.failed)) / item.attempts).toFixed(1).padStart(5)}%`;
    return `${String(item.subscription_id).padStart(6)}  ${item.status ? 'active  ' : 'inactive'}  ${item.event_name.padEnd(30)} store ${String(item.store_id).padEnd(4)} ${rate} of ${String(item.attempts).padStart(6)}  last ${item.last_attempt ?? 'never'}  ${item.recipient_url}`;
  });
  return `${items.length} subscription(s); success rate and attempts over the last ${hours} h:\n${lines.join('\n')}`;
}

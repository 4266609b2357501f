import { runBacklog } from '../lib/backlogRun.js';
import type { BenchContext } from '../lib/context.js';
import { describeCpu, fmt, type ScenarioReport, target } from '../lib/report.js';

/**
 * Scenario 4: the stand-in answers every REST request after 100 ms (a PHP bootstrap), 1
 * subscriber → events/s with direct GET routes (one request per event, MAGENTO_CONCURRENCY of them
 * at once) and with the module's batched route (up to RESOLVE_BATCH_SIZE events per request).
 */
export const DIRECT_SETTINGS = { RESOLVE_STRATEGY: 'direct', MAGENTO_CONCURRENCY: '128' };
export const MODULE_SETTINGS = { RESOLVE_STRATEGY: 'module' };

export async function runSlowMagento(context: BenchContext): Promise<ScenarioReport> {
  const { receiver, args } = context;
  const modes = [
    { mode: 'direct', settings: DIRECT_SETTINGS, goal: 1000 },
    { mode: 'module', settings: MODULE_SETTINGS, goal: 2000 },
  ] as const;
  const results = [];
  for (const { mode, settings, goal } of modes) {
    receiver.clear();
    const run = await runBacklog({
      context,
      label: `slow_magento_${mode}`,
      recipients: [`${receiver.url}/slow-magento`],
      events: args.slowEvents,
      delivered: () => receiver.count(),
      magentoLatencyMs: args.magentoLatencyMs,
      settings,
    });
    process.stdout.write(
      `    ${mode}: ${fmt(run.perSecond)} events/s, ${fmt(run.deferred)} deferred; ${describeCpu(run.cpu)}\n`,
    );
    results.push({ mode, settings, goal, run });
  }
  return {
    name: 'slow-magento',
    title: `4. Slow Magento: stand-in at ${args.magentoLatencyMs} ms per request, ${fmt(args.slowEvents)} events per mode`,
    figures: Object.fromEntries(
      results.map(({ mode, settings, run }) => [
        mode,
        {
          settings,
          eventsPerSecond: run.perSecond,
          magentoRequests: run.magentoRequests,
          eventsPerMagentoRequest: run.deliveries / run.magentoRequests,
          successRows: run.successRows,
          deferred: run.deferred,
          cpu: run.cpu,
        },
      ]),
    ),
    rows: results.map(({ mode, settings, run }) => [
      mode === 'direct' ? 'direct GET routes' : 'batched module route',
      `${fmt(run.perSecond)} events/s (${fmt(run.magentoRequests)} Magento requests; ${Object.entries(
        settings,
      )
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')})`,
    ]),
    targets: results.map(({ mode, goal, run }) =>
      target(
        'slow-magento',
        `${mode === 'direct' ? 'direct routes' : 'batched resolution'}, events/s`,
        run.perSecond,
        {
          unit: '/s',
          goal: `≥ ${fmt(goal)}/s`,
          pass: run.perSecond >= goal && run.successRows === run.deliveries,
        },
      ),
    ),
  };
}

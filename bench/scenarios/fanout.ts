import { runBacklog } from '../lib/backlogRun.js';
import { startBenchReceiver } from '../lib/benchReceiver.js';
import type { BenchContext } from '../lib/context.js';
import { costPerDelivery } from '../lib/cpuMeter.js';
import { describeCpu, fmt, type ScenarioReport, target } from '../lib/report.js';

/**
 * Scenario 3: 1, 10 and 100 subscribers per event, the same number of deliveries in each step
 * (events = deliveries / subscribers) → deliveries/s and the cost per delivery: CPU ms of the
 * sidecar, and of the whole machine's measured processes, per delivery.
 */
export async function runFanout(context: BenchContext): Promise<ScenarioReport> {
  const { receiver, args } = context;
  const steps: Array<Record<string, number>> = [];
  for (const subscribers of args.fanout) {
    receiver.clear();
    // Each subscriber on its own receiver (its own origin), as distinct customers' endpoints are:
    // one shared origin would make them queue for one keep-alive pool.
    const receivers = [receiver];
    while (receivers.length < subscribers) {
      receivers.push(await startBenchReceiver());
    }
    const events = Math.max(1, Math.round(args.fanoutDeliveries / subscribers));
    const run = await runBacklog({
      context,
      label: `fanout_${subscribers}`,
      recipients: receivers.map((each, index) => `${each.url}/fanout/${index}`),
      events,
      delivered: () => receivers.reduce((sum, each) => sum + each.count(), 0),
    }).finally(() => Promise.all(receivers.slice(1).map((each) => each.close())));
    const cost = costPerDelivery(run.cpu, run.measuredDeliveries);
    steps.push({
      subscribers,
      events,
      deliveries: run.deliveries,
      deliveriesPerSecond: run.perSecond,
      eventsPerSecond: run.perSecond / subscribers,
      sidecarCpuMsPerDelivery: cost.byProcess.sidecar ?? Number.NaN,
      totalCpuMsPerDelivery: cost.system,
      successRows: run.successRows,
    });
    process.stdout.write(
      `    ${subscribers} subscriber(s): ${fmt(run.perSecond)} deliveries/s; ${describeCpu(run.cpu)}\n`,
    );
  }
  const first = steps[0]?.sidecarCpuMsPerDelivery ?? Number.NaN;
  const worst = Math.max(...steps.map((step) => step.sidecarCpuMsPerDelivery ?? Number.NaN));
  const growth = worst / first;
  return {
    name: 'fanout',
    title: `3. Fan-out: ${args.fanout.join(', ')} subscribers per event, ${fmt(args.fanoutDeliveries)} deliveries each`,
    figures: { steps, costGrowth: growth },
    rows: steps.map((step) => [
      `${step.subscribers} subscriber(s)`,
      `${fmt(step.deliveriesPerSecond ?? Number.NaN)} deliveries/s, sidecar ${fmt(step.sidecarCpuMsPerDelivery ?? Number.NaN, 3)} CPU ms/delivery, sidecar+broker+database+bench ${fmt(step.totalCpuMsPerDelivery ?? Number.NaN, 3)} CPU ms/delivery`,
    ]),
    targets: [
      target('fanout', 'sidecar CPU per delivery, highest step ÷ 1-subscriber step', growth, {
        unit: '×',
        digits: 2,
        goal: '≤ 1.25× (roughly flat)',
        pass: growth <= 1.25,
      }),
      target(
        'fanout',
        'every delivery logged',
        steps.reduce((sum, step) => sum + (step.successRows ?? 0), 0),
        {
          unit: ' rows',
          goal: `= ${fmt(steps.reduce((sum, step) => sum + (step.deliveries ?? 0), 0))}`,
          pass: steps.every((step) => step.successRows === step.deliveries),
        },
      ),
    ],
  };
}

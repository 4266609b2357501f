/**
 * `npm run bench`: the benchmark suite of issue 8 on this machine's RabbitMQ and MariaDB. The
 * sidecar runs as its own process, as deployed; this process plays Magento (the REST stand-in,
 * publishing triggers as PHP does) and the webhook receivers. See bench/README.md for the method.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { startMagentoStandIn } from '../fixtures/magento-stand-in/index.js';
import { encodeDeliveryBody } from '../src/delivery/index.js';
import { parseBenchArgs, type ScenarioName } from './lib/args.js';
import { startBenchReceiver } from './lib/benchReceiver.js';
import type { BenchContext } from './lib/context.js';
import { systemPids } from './lib/cpuMeter.js';
import { MAGENTO_TOKEN, MYSQL_ADMIN_URL } from './lib/environment.js';
import { describeMachine } from './lib/machine.js';
import { readmeBlock, writeReadmeBlock } from './lib/readmeBlock.js';
import { printTable, type ScenarioReport } from './lib/report.js';
import { log } from './lib/wait.js';
import { measureLimits } from './limits/index.js';
import { runFanout } from './scenarios/fanout.js';
import { runIsolation } from './scenarios/isolation.js';
import { runLatency } from './scenarios/latency.js';
import { runMemory } from './scenarios/memory.js';
import { runSlowMagento } from './scenarios/slowMagento.js';
import { runThroughput } from './scenarios/throughput.js';

const RUNNERS: Record<ScenarioName, (context: BenchContext) => Promise<ScenarioReport>> = {
  throughput: runThroughput,
  latency: runLatency,
  fanout: runFanout,
  'slow-magento': runSlowMagento,
  isolation: runIsolation,
  memory: runMemory,
};

/** One delivery body as the pipeline builds it: a synthesized order in a structured CloudEvent. */
async function sampleDeliveryBody(): Promise<Buffer> {
  const standIn = await startMagentoStandIn({ token: MAGENTO_TOKEN, synthesize: true });
  try {
    const response = await fetch(`${standIn.url}/rest/V1/orders/123456`, {
      headers: { authorization: `Bearer ${MAGENTO_TOKEN}` },
    });
    const payload = Buffer.from(await response.arrayBuffer());
    return encodeDeliveryBody({
      format: 'cloudevents',
      uuid: '6f1c1f43-7f4b-4d0e-9a59-0d8a4f1e2b3c',
      storeId: 0,
      eventName: 'sales.order.created',
      payload,
    });
  } finally {
    await standIn.close();
  }
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  // The note is printed on its own line of the README block, not inside the command.
  const shown = process.argv
    .slice(2)
    .filter((arg, index, all) => arg !== '--note' && all[index - 1] !== '--note');
  const command = `npm run bench${shown.length > 0 ? ` -- ${shown.join(' ')}` : ''}`;
  const machine = await describeMachine(MYSQL_ADMIN_URL);
  log(
    `machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, RabbitMQ ${machine.rabbitmq}, MariaDB ${machine.mariadb}`,
  );
  const receiver = await startBenchReceiver();
  const deliveryBody = await sampleDeliveryBody();
  try {
    log('raw limits:');
    const limits = await measureLimits({
      receiver,
      body: deliveryBody,
      seconds: args.limitSeconds,
      quick: args.quick,
    });
    const context: BenchContext = { args, receiver, pids: systemPids(), limits, deliveryBody, results: {} };
    const reports: ScenarioReport[] = [];
    for (const name of args.only) {
      log(`scenario ${name}:`);
      const report = await RUNNERS[name](context);
      context.results[name] = report;
      reports.push(report);
      log(
        printTable(
          report.title,
          report.rows.map(([label, value]) => [`  ${label}`, value]),
        ),
      );
    }

    const targets = reports.flatMap((report) => report.targets);
    log('');
    log(
      printTable(
        'Targets:',
        targets.map((t) => [`  ${t.scenario}`, t.what, t.measured, t.goal, t.pass ? 'pass' : 'MISS']),
      ),
    );
    const result = {
      machine,
      command,
      args,
      limits,
      scenarios: Object.fromEntries(
        reports.map((report) => [report.name, { title: report.title, ...report.figures }]),
      ),
      targets,
    };
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    log('written to bench/results/latest.json');
    const block = readmeBlock({ machine, args, command, limits, reports });
    if (args.writeReadme) {
      writeReadmeBlock(fileURLToPath(new URL('../README.md', import.meta.url)), block);
      log('README.md Performance block rewritten');
    } else {
      log(
        `\nREADME block (paste between <!-- bench:start --> and <!-- bench:end -->, or run with --write-readme):\n${block}`,
      );
    }
  } finally {
    await receiver.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  // Exit now: a failed scenario can leave its servers, broker channels and drain timers behind,
  // and the benchmark would otherwise sit there until they time out.
  process.exit(1);
});

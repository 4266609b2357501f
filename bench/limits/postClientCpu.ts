import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { Agent } from 'undici';

import { postWhile } from './postRate.js';

/**
 * CPU milliseconds the client side of one plain undici POST costs: the same keep-alive POSTs as
 * the raw rate (postRate.ts), sent from a child process of their own so that its CPU time is the
 * client's alone (the receiver answers in this process). The sidecar makes two such requests per
 * delivery (the Magento GET, a small request with a 9 KB answer, and the webhook POST, the
 * reverse), so twice this is about the least those two can cost it on undici: a floor under its CPU
 * per delivery, before AMQP, SQL and signing.
 */
export async function postClientCpuMs(
  url: string,
  body: Buffer,
  options: { inFlight: number; requests: number },
): Promise<number> {
  const child = fork(fileURLToPath(import.meta.url), [CHILD_ROLE], {
    // The benchmark runs under tsx: the child needs the same loader to run this TypeScript file.
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const answer = new Promise<ClientCost>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ClientCost));
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`POST client process exited (${code}) before answering`)),
      );
    });
    const job: ClientJob = { url, body: body.toString('base64'), ...options };
    child.send(job);
    return (await answer).cpuMsPerRequest;
  } finally {
    child.kill();
  }
}

const CHILD_ROLE = 'post-client';

interface ClientJob {
  url: string;
  body: string;
  inFlight: number;
  requests: number;
}

interface ClientCost {
  cpuMsPerRequest: number;
}

async function runClient(job: ClientJob): Promise<ClientCost> {
  const target = { url: job.url, body: Buffer.from(job.body, 'base64'), inFlight: job.inFlight };
  const agent = new Agent({ connections: job.inFlight, pipelining: 1 });
  const postCount = (count: number): Promise<number> => {
    let started = 0;
    return postWhile(agent, target, () => started++ < count);
  };
  try {
    // Connections and JIT warm first, as they are in a sidecar that has been running.
    await postCount(Math.ceil(job.requests / 5));
    const before = process.cpuUsage();
    await postCount(job.requests);
    const used = process.cpuUsage(before);
    return { cpuMsPerRequest: (used.user + used.system) / 1000 / job.requests };
  } finally {
    await agent.close();
  }
}

if (process.argv[2] === CHILD_ROLE) {
  process.once('message', (job) => {
    runClient(job as ClientJob).then(
      (cost) => process.send?.(cost),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

import { Agent, request } from 'undici';

/**
 * The plain undici POST rate against a receiver: keep-alive pool, `inFlight` requests at once,
 * for `seconds`. `bestPostRate` tries several in-flight levels and keeps the best, so the ratio
 * the pipeline is judged by uses the client's real best, not a handicapped figure.
 */
export async function postRate(
  url: string,
  body: Buffer,
  inFlight: number,
  seconds: number,
): Promise<number> {
  const agent = new Agent({ connections: inFlight, pipelining: 1 });
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  const done = await postWhile(agent, { url, body, inFlight }, () => performance.now() < until);
  const elapsed = (performance.now() - started) / 1000;
  await agent.close();
  return done / elapsed;
}

/**
 * Keep-alive POSTs of `body`, `inFlight` at a time, each answer read to the end; a sender starts
 * another while `another()` says so. Resolves with the number sent.
 */
export async function postWhile(
  agent: Agent,
  target: { url: string; body: Buffer; inFlight: number },
  another: () => boolean,
): Promise<number> {
  let done = 0;
  await Promise.all(
    Array.from({ length: target.inFlight }, async () => {
      while (another()) {
        const response = await request(target.url, {
          method: 'POST',
          body: target.body,
          dispatcher: agent,
          headers: { 'content-type': 'application/json' },
        });
        await response.body.dump();
        done += 1;
      }
    }),
  );
  return done;
}

export async function bestPostRate(
  url: string,
  body: Buffer,
  seconds: number,
): Promise<{ perSecond: number; inFlight: number; tried: Record<string, number> }> {
  const tried: Record<string, number> = {};
  let best = { perSecond: 0, inFlight: 0 };
  for (const inFlight of [16, 64, 256]) {
    const perSecond = await postRate(url, body, inFlight, seconds);
    tried[String(inFlight)] = Math.round(perSecond);
    if (perSecond > best.perSecond) {
      best = { perSecond, inFlight };
    }
  }
  return { ...best, tried };
}

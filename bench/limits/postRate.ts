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
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < until) {
        const response = await request(url, {
          method: 'POST',
          body,
          dispatcher: agent,
          headers: { 'content-type': 'application/json' },
        });
        await response.body.dump();
        done += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await agent.close();
  return done / elapsed;
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

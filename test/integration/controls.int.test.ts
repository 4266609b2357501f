import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeApiClient } from '../helpers/apiClient.js';
import { API_TOKEN, eventually, type Harness, startHarness } from '../helpers/harness.js';

/**
 * Delivery controls on the real broker and database: the controls API, in-flight caps and rate
 * limits under load (with loose timing: two shared cores, other files running alongside), the
 * isolation guarantee, the circuit breaker, 410 Gone, auto-disable and the extended schedule.
 * Subscriptions are created through the API (which refreshes this process's cache at once); the
 * periodic refresh is slow on purpose, so "at once" is really at once.
 */
describe('delivery controls', () => {
  let harness: Harness;
  const api = (...args: Parameters<ReturnType<typeof makeApiClient>>) =>
    makeApiClient(harness.sidecar.httpUrl, API_TOKEN)(...args);

  beforeAll(async () => {
    harness = await startHarness({
      synthesize: true,
      env: {
        SUBSCRIPTION_REFRESH_MS: '60000',
        TRIGGER_PREFETCH: '4',
        MAX_DEATHS: '20',
        CIRCUIT_FAILURE_THRESHOLD: '3',
        CIRCUIT_COOLDOWN_MS: '3000',
      },
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  const subscribe = async (eventName: string, path: string, controls?: Record<string, unknown>) => {
    const answer = await api('POST', '/V1/async_event', {
      asyncEvent: {
        event_name: eventName,
        recipient_url: `${harness.receiver.url}${path}`,
        verification_token: 'secret',
        metadata: 'http',
      },
    });
    expect(answer.status, answer.text).toBe(200);
    const id = (answer.body as { subscription_id: number }).subscription_id;
    if (controls !== undefined) {
      const changed = await api('PUT', `/V1/async_event/${id}/controls`, { controls });
      expect(changed.status, changed.text).toBe(200);
    }
    return id;
  };
  const metricsText = async () => (await fetch(`${harness.sidecar.httpUrl}/metrics`)).text();
  const backlogRows = async (subscriptionId: number): Promise<number> => {
    const [rows] = await harness.db.pool.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS held FROM async_event_sidecar_backlog WHERE subscription_id = ?',
      [subscriptionId],
    );
    return Number(rows[0]?.held);
  };
  /** Tracks how many requests a path has open at once. */
  const trackConcurrency = (path: string, delayMs: number) => {
    const seen = { now: 0, max: 0 };
    harness.receiver.respond(path, async () => {
      seen.now += 1;
      seen.max = Math.max(seen.max, seen.now);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      seen.now -= 1;
      return { status: 200, body: 'ok' };
    });
    return seen;
  };

  describe('API', () => {
    it('shows the defaults, changes controls, resets them with null, under every prefix', async () => {
      const id = await subscribe('customer.created', '/api');
      const fresh = await api('GET', `/rest/V1/async_event/${id}/controls`);
      expect(fresh).toMatchObject({
        status: 200,
        body: {
          subscription_id: id,
          status: true,
          max_in_flight: 16,
          rate_limit_per_second: 0,
          standard_webhooks: false,
          cloudevents_mode: 'structured',
          retry_schedule: 'upstream',
          auto_disable_after_s: 432_000,
          overridden: [],
          failing_since: null,
          disabled_at: null,
          disabled_reason: null,
          circuit: 'closed',
        },
      });
      const changed = await api('PUT', `/rest/default/V1/async_event/${id}/controls`, {
        controls: { maxInFlight: 4, rate_limit_per_second: 2.5, retry_schedule: 'extended' },
      });
      expect(changed.body).toMatchObject({
        max_in_flight: 4,
        rate_limit_per_second: 2.5,
        retry_schedule: 'extended',
        overridden: ['max_in_flight', 'rate_limit_per_second', 'retry_schedule'],
      });
      const reset = await api('PUT', `/V1/async_event/${id}/controls`, { controls: { max_in_flight: null } });
      expect(reset.body).toMatchObject({
        max_in_flight: 16,
        overridden: ['rate_limit_per_second', 'retry_schedule'],
      });
      expect((await api('GET', `/V1/async_event/${id}/controls`)).body).toEqual(reset.body);
    });

    it('answers Magento-shaped errors', async () => {
      const id = await subscribe('customer.created', '/api-errors');
      expect(await api('GET', '/V1/async_event/999999/controls')).toMatchObject({
        status: 404,
        body: { message: 'Async event with subscription ID %1 does not exist', parameters: [999999] },
      });
      expect(await api('GET', '/V1/async_event/abc/controls')).toMatchObject({ status: 400 });
      const bad = await api('PUT', `/V1/async_event/${id}/controls`, {
        controls: { max_in_flight: 0, cloudevents_mode: 'xml', shoe_size: 44, disabled_reason: 'x' },
      });
      expect(bad.status).toBe(400);
      expect(
        (bad.body as { errors: Array<{ parameters: { fieldName: string } }> }).errors.map(
          (e) => e.parameters.fieldName,
        ),
      ).toEqual(['max_in_flight', 'cloudevents_mode', 'shoe_size', 'disabled_reason']);
      expect(await api('PUT', `/V1/async_event/${id}/controls`, { controls: {} })).toMatchObject({
        status: 400,
        body: { message: expect.stringMatching(/at least one control/) as unknown },
      });
      expect(await api('PUT', `/V1/async_event/${id}/controls`, { max_in_flight: 3 })).toMatchObject({
        status: 400,
      });
      expect(
        await makeApiClient(harness.sidecar.httpUrl, 'wrong-token')('GET', `/V1/async_event/${id}/controls`),
      ).toMatchObject({ status: 401 });
    });
  });

  it('isolation: a slow subscriber capped at 2 in flight never holds back a fast one', async () => {
    const slow = trackConcurrency('/slow', 1000);
    const slowId = await subscribe('sales.invoice.created', '/slow', { max_in_flight: 2 });
    await subscribe('sales.invoice.created', '/fast');
    const started = Date.now();
    for (let id = 1; id <= 20; id += 1) {
      harness.publish('sales.invoice.created', { id });
    }
    // Were triggers held until their slow delivery ends (ADMISSION_WAIT_MS=10000 shows it), the
    // prefetch of 4 would let ≈ 2 per second through: ≈ 8 s for 20. Held in the backlog, ≈ 1.5 s here.
    await harness.receiver.waitFor(20, { path: '/fast', timeoutMs: 20_000 });
    const fastTook = Date.now() - started;
    expect(fastTook, `the fast subscriber took ${fastTook} ms`).toBeLessThan(4000);
    expect(slow.max).toBeLessThanOrEqual(2);
    // The slow one gets everything, from the backlog, at its own pace.
    const delivered = await harness.receiver.waitFor(20, { path: '/slow', timeoutMs: 60_000 });
    expect(new Set(delivered.map((request) => request.eventId)).size).toBe(20);
    expect(slow.max).toBeLessThanOrEqual(2);
    const rows = await eventually(async () => {
      const found = await harness.db.logRows({ subscriptionId: slowId });
      return found.length === 20 ? found : undefined;
    });
    // One row per delivery, every one a success: a held delivery has no row until it is made.
    expect(rows.every((row) => row.success === 1)).toBe(true);
    expect(new Set(rows.map((row) => row.uuid)).size).toBe(20);
    const metrics = await metricsText();
    expect(metrics).toMatch(
      new RegExp(`sidecar_deliveries_deferred_total\\{subscription="${slowId}",reason="concurrency"\\} \\d+`),
    );
    expect(metrics).toMatch(new RegExp(`sidecar_deliveries_held_total\\{subscription="${slowId}"\\} [1-9]`));
    expect(harness.logs.find('Draining held deliveries').some((line) => line.subscriptionId === slowId)).toBe(
      true,
    );
    expect(await backlogRows(slowId)).toBe(0);
  }, 90_000);

  it('adoption: a delivery still running after the bound lets its trigger message go, and is logged when it ends', async () => {
    let arrived = 0;
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    harness.receiver.respond('/adopted', async () => {
      arrived += 1;
      await answered;
      return { status: 200, body: 'ok' };
    });
    const id = await subscribe('sales.creditmemo.created', '/adopted');
    harness.publish('sales.creditmemo.created', { id: 7 });
    // The receiver holds the request; after ADMISSION_WAIT_MS (250 ms) the backlog drainer adopts
    // the delivery and the trigger consumer lets its message go while the request is still open.
    const adopted = new RegExp(`sidecar_deliveries_adopted_total\\{subscription="${id}"\\} 1`);
    await eventually(async () => {
      const text = await metricsText();
      return arrived === 1 &&
        adopted.test(text) &&
        /sidecar_in_flight_messages\{consumer="trigger"\} 0/.test(text) &&
        /sidecar_in_flight_messages\{consumer="backlog"\} 1/.test(text)
        ? true
        : undefined;
    }, 10_000);
    expect(await backlogRows(id)).toBe(1); // its leased row, until the outcome is durable
    expect(await harness.db.logRows({ subscriptionId: id })).toHaveLength(0);
    answer();
    const rows = await eventually(async () => {
      const found = await harness.db.logRows({ subscriptionId: id });
      return found.length === 1 ? found : undefined;
    });
    expect(rows[0]?.success).toBe(1);
    await eventually(async () => ((await backlogRows(id)) === 0 ? true : undefined));
    expect(arrived).toBe(1); // made once: the leased row was never drained beside it
  }, 30_000);

  it('rate limit: no more than the rate (plus a one-second burst) per second, and nothing lost', async () => {
    const id = await subscribe('sales.shipment.created', '/rated', { rate_limit_per_second: 5 });
    for (let entity = 1; entity <= 25; entity += 1) {
      harness.publish('sales.shipment.created', { id: entity });
    }
    const delivered = await harness.receiver.waitFor(25, { path: '/rated', timeoutMs: 50_000 });
    expect(new Set(delivered.map((request) => request.eventId)).size).toBe(25);
    const times = delivered.map((request) => request.receivedAt).sort((a, b) => a - b);
    let busiest = 0;
    for (const [index, at] of times.entries()) {
      busiest = Math.max(busiest, times.slice(index).filter((later) => later < at + 1000).length);
    }
    expect(busiest).toBeLessThanOrEqual(11); // 5 burst + 5 per second, with timer slack
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThan(3000); // (25 − 5) / 5 s at best
    await eventually(async () => {
      const rows = await harness.db.logRows({ subscriptionId: id });
      return rows.filter((row) => row.success === 1).length === 25 ? true : undefined;
    });
    // The deliveries over the rate were held, then drained within the same limit (asserted above).
    expect(await metricsText()).toMatch(
      new RegExp(`sidecar_deliveries_held_total\\{subscription="${id}"\\} [1-9]`),
    );
    expect(harness.logs.find('Draining held deliveries').some((line) => line.subscriptionId === id)).toBe(
      true,
    );
  }, 90_000);

  it('circuit breaker: opens after 3 failures, holds deliveries in the backlog, probes and recovers', async () => {
    harness.receiver.respond('/down', { status: 503, body: 'down' });
    const id = await subscribe('sales.order.paid', '/down');
    for (let i = 0; i < 3; i += 1) {
      harness.publish('sales.order.paid', { id: 5 });
      await harness.receiver.waitFor(i + 1, { path: '/down' });
    }
    await eventually(async () =>
      (await metricsText()).includes(`sidecar_circuit_state{subscription="${id}"} 2`) ? true : undefined,
    );
    expect((await api('GET', `/V1/async_event/${id}/controls`)).body).toMatchObject({ circuit: 'open' });
    for (let i = 0; i < 4; i += 1) {
      harness.publish('sales.order.paid', { id: 5 });
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(harness.receiver.count('/down')).toBe(3); // held: neither the new ones nor the retries went out
    expect(await backlogRows(id)).toBeGreaterThan(0);
    harness.receiver.respond('/down', { status: 200, body: 'back' });
    const rows = await eventually(
      async () => {
        const found = await harness.db.logRows({ subscriptionId: id });
        const succeeded = new Set(found.filter((row) => row.success === 1).map((row) => row.uuid));
        return succeeded.size === 7 ? found : undefined;
      },
      30_000,
      'all 7 deliveries to succeed',
    );
    // Rows are attempts only: a held or deferred delivery has none until it is made.
    expect(rows.some((row) => row.response_data.startsWith('Not attempted'))).toBe(false);
    expect(
      harness.logs
        .find('Backlog paused')
        .some(
          (line) =>
            line.subscriptionId === id &&
            /^the circuit of subscription \d+'s destination is open/.test(String(line.reason)),
        ),
    ).toBe(true);
    expect(await metricsText()).toContain(`sidecar_circuit_state{subscription="${id}"} 0`);
    expect(
      harness.logs.find('Circuit opened: deliveries to this destination are held until it answers again'),
    ).not.toHaveLength(0);
    expect(await eventually(async () => ((await backlogRows(id)) === 0 ? true : undefined))).toBe(true);
    expect(harness.logs.find('Circuit closed').some((line) => line.subscriptionId === id)).toBe(true);
  }, 60_000);

  it('410 Gone disables the subscription at once, with the reason shown', async () => {
    harness.receiver.respond('/gone', { status: 410, body: 'gone' });
    const id = await subscribe('sales.order.holded', '/gone');
    harness.publish('sales.order.holded', { id: 5 });
    await harness.receiver.waitFor(1, { path: '/gone' });
    const controls = await eventually(async () => {
      const answer = await api('GET', `/V1/async_event/${id}/controls`);
      return (answer.body as { status: boolean }).status === false ? answer.body : undefined;
    });
    expect(controls).toMatchObject({
      status: false,
      disabled_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) as unknown,
      disabled_reason: expect.stringMatching(
        /^The receiver answered 410 Gone on .*: the endpoint no longer exists$/,
      ) as unknown,
    });
    // This process stopped delivering at once (the periodic refresh is a minute away).
    harness.publish('sales.order.holded', { id: 5 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(harness.receiver.count('/gone')).toBe(1);
    expect(await metricsText()).toMatch(/sidecar_subscriptions_disabled_total\{reason="gone"\} 1/);
    // Enabling it again through the API clears the record.
    await api('PUT', `/V1/async_event/${id}`, { asyncEvent: { status: true } });
    expect((await api('GET', `/V1/async_event/${id}/controls`)).body).toMatchObject({
      status: true,
      disabled_at: null,
      disabled_reason: null,
    });
  });

  it('disables a subscription that keeps failing for its auto-disable period', async () => {
    harness.receiver.respond('/failing', { status: 500, body: 'still broken' });
    const id = await subscribe('sales.order.unholded', '/failing', { auto_disable_after_s: 2 });
    harness.publish('sales.order.unholded', { id: 5 });
    await eventually(async () => {
      const body = (await api('GET', `/V1/async_event/${id}/controls`)).body as {
        failing_since: string | null;
      };
      return body.failing_since === null ? undefined : true;
    });
    const controls = await eventually(
      async () => {
        const answer = await api('GET', `/V1/async_event/${id}/controls`);
        return (answer.body as { status: boolean }).status === false ? answer.body : undefined;
      },
      15_000,
      'the subscription to be disabled',
    );
    expect(controls).toMatchObject({
      failing_since: null,
      disabled_reason: expect.stringMatching(
        /^Every delivery failed from .* \(auto_disable_after_s = 2\)$/,
      ) as unknown,
    });
    const count = harness.receiver.count('/failing');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(harness.receiver.count('/failing')).toBe(count); // its retry chain ended with it
  }, 30_000);

  it('a success ends a run of failures', async () => {
    harness.receiver.respond('/flaky', [{ status: 500 }, { status: 200 }]);
    const id = await subscribe('customer.address.created', '/flaky');
    harness.publish('customer.address.created', { addressId: 1 });
    await harness.receiver.waitFor(1, { path: '/flaky' });
    const failing = await eventually(async () => {
      const body = (await api('GET', `/V1/async_event/${id}/controls`)).body as {
        failing_since: string | null;
      };
      return body.failing_since ?? undefined;
    });
    expect(failing).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await harness.receiver.waitFor(2, { path: '/flaky', timeoutMs: 8000 });
    await eventually(async () => {
      const body = (await api('GET', `/V1/async_event/${id}/controls`)).body as {
        failing_since: string | null;
      };
      return body.failing_since === null ? true : undefined;
    });
    expect((await api('GET', `/V1/async_event/${id}/controls`)).body).toMatchObject({
      status: true,
      disabled_at: null,
    });
  });

  it('extended schedule: the first retry waits about a minute, in a quantized delay queue', async () => {
    harness.receiver.respond('/extended', { status: 503 });
    const id = await subscribe('cms.page.created', '/extended', { retry_schedule: 'extended' });
    harness.publish('cms.page.created', { pageId: 2 });
    await harness.receiver.waitFor(1, { path: '/extended' });
    const queue = await eventually(async () => {
      const queues = await harness.vhost.queues();
      return ['event.delay.51', 'event.delay.57', 'event.delay.63', 'event.delay.69'].find(
        (name) => (queues.get(name)?.messages ?? 0) > 0,
      );
    });
    expect(queue).toBeDefined();
    expect((await harness.db.logRows({ subscriptionId: id }))[0]).toMatchObject({ success: 0 });
  });
});

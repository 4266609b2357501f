import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeApiClient } from '../helpers/apiClient.js';
import { assertDashboardBuilt, type BrowserSession, openBrowser } from '../helpers/browser.js';
import { API_TOKEN, eventually, type Harness, startHarness } from '../helpers/harness.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many of the SVG shapes have a height, i.e. were drawn. */
async function drawnBars(bars: Locator): Promise<number> {
  let drawn = 0;
  for (const bar of await bars.all()) {
    drawn += Number(await bar.getAttribute('height')) > 0 ? 1 : 0;
  }
  return drawn;
}
/** Untrusted text that would run if the page ever put data in as markup. */
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'">';

/**
 * The operator dashboard in a real headless Chromium against a real sidecar (RabbitMQ, MariaDB, the
 * Magento stand-in, a webhook receiver): log in, create a subscription through the form, see its
 * delivery, search it, trace it, replay it (one and bulk), read the overview chart and the dead
 * letters, log out; then the same page without authentication. Offline: no request leaves loopback.
 */
describe('dashboard in Chromium', () => {
  let harness: Harness;
  let browser: BrowserSession;
  let uuid = '';
  const at = (hash: string) => `${harness.sidecar.httpUrl}/${hash}`;

  beforeAll(async () => {
    // Fails first, and by name, when /usr/bin/chromium is missing.
    browser = await openBrowser();
    assertDashboardBuilt();
    harness = await startHarness();
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.stop();
  });

  it('serves a static page with strict security headers and only its own files', async () => {
    const get = makeApiClient(harness.sidecar.httpUrl, undefined);
    const page = await get('GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.text).not.toMatch(/<script>|\son[a-z]+=|style=/i);
    const script = await get('GET', '/dashboard/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    for (const hidden of [
      '/dashboard/tsconfig.json',
      '/dashboard/app.ts',
      '/dashboard/index.html',
      '/dashboard/../main.js',
    ]) {
      expect((await get('GET', hidden)).status, hidden).toBe(404);
    }
    expect((await get('GET', '/dashboard/auth.json')).body).toEqual({ login_required: true });
  });

  it('asks for a token, refuses a wrong one, and keeps the right one in sessionStorage only', async () => {
    const { page } = browser;
    await page.goto(at(''));
    await page.getByLabel('API token').fill('not-the-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('This token was refused.').waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await browser.screenshot('01-login-refused');

    await page.getByLabel('API token').fill(API_TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).toEqual([API_TOKEN]);
    expect(await page.evaluate<string>('document.body.innerText')).not.toContain(API_TOKEN);
    expect(page.url()).not.toContain(API_TOKEN);
  });

  it('creates a subscription through the form, showing the API validation errors verbatim', async () => {
    const { page, receiver } = { page: browser.page, receiver: harness.receiver };
    await page.goto(at('#/subscriptions'));
    const form = page.getByRole('form', { name: 'Create a subscription' });
    await form.getByLabel('Event').fill('sales.ordr.created');
    await form.getByLabel('Destination URL').fill(`${receiver.url}/dash`);
    await form.getByLabel('Verification token').fill('dashboard-secret');
    await form.getByRole('button', { name: 'Create subscription' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe(
      'Unknown async event "sales.ordr.created"; did you mean sales.order.created, sales.order.updated, sales.invoice.created?',
    );
    await browser.screenshot('02-subscription-invalid');

    await form.getByLabel('Event').fill('sales.order.created');
    await form.getByLabel('Verification token').fill('dashboard-secret');
    await form.getByRole('button', { name: 'Create subscription' }).click();
    await form.getByText(/^Subscription #\d+ created for sales\.order\.created\.$/).waitFor();
    const row = page.locator('tr[data-subscription-id]', { hasText: `${receiver.url}/dash` });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/enabled/);
    await browser.screenshot('03-subscription-created');

    // Disable and enable again through the list.
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled').waitFor();
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByText('enabled').waitFor();
  });

  it('edits a subscription’s delivery controls on its page, with the API’s validation shown verbatim', async () => {
    const { page } = browser;
    await page.goto(at('#/subscriptions'));
    const row = page.locator('tr[data-subscription-id]', { hasText: `${harness.receiver.url}/dash` });
    const id = Number(await row.getAttribute('data-subscription-id'));
    await row.getByRole('link', { name: `#${id}` }).click();
    await page.getByRole('heading', { name: `Subscription #${id}` }).waitFor();
    const facts = page.getByTestId('subscription-facts');
    expect(await facts.innerText()).toMatch(/closed \(delivering\)/);
    const controls = page
      .getByRole('form', { name: 'Delivery controls' })
      .or(page.locator('[aria-label="Delivery controls"]'));
    expect(await controls.getByLabel('Max in flight').getAttribute('placeholder')).toBe('default: 16');

    await controls.getByLabel('Max in flight').fill('0');
    await controls.getByRole('button', { name: 'Save controls' }).click();
    const alert = controls.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe('"max_in_flight" must be a whole number from 1 to 10000.');

    await controls.getByLabel('Max in flight').fill('4');
    await controls.getByLabel('Retry schedule').selectOption('extended');
    await controls.getByRole('button', { name: 'Save controls' }).click();
    await page.getByText('Saved: the controls apply at once.').waitFor();
    const api = makeApiClient(harness.sidecar.httpUrl, API_TOKEN);
    expect((await api('GET', `/V1/async_event/${id}/controls`)).body).toMatchObject({
      max_in_flight: 4,
      retry_schedule: 'extended',
      overridden: ['max_in_flight', 'retry_schedule'],
    });
    await browser.screenshot('04a-subscription-controls');

    // Blank returns a control to the default.
    await page.reload();
    await controls.getByLabel('Max in flight').fill('');
    await controls.getByLabel('Retry schedule').selectOption('');
    await controls.getByRole('button', { name: 'Save controls' }).click();
    await page.getByText('Saved: the controls apply at once.').waitFor();
    expect((await api('GET', `/V1/async_event/${id}/controls`)).body).toMatchObject({
      max_in_flight: 16,
      overridden: [],
    });
  });

  it('shows the delivery in the grid, finds it with a Lucene query, and traces it', async () => {
    const { page } = browser;
    // A second subscriber that is down, so the overview has failures to draw.
    harness.receiver.respond('/down', { status: 500, body: 'down for maintenance' });
    await harness.db.addSubscription({
      eventName: 'sales.order.created',
      recipientUrl: `${harness.receiver.url}/down`,
    });
    await settle(400); // the subscription cache refreshes every 200 ms in the harness
    harness.publish('sales.order.created', { id: '5' });
    const [delivered] = await harness.receiver.waitFor(1, { path: '/dash', timeoutMs: 10_000 });
    uuid = String(delivered?.event?.id);

    await page.goto(at('#/deliveries'));
    await page.locator(`tr[data-uuid="${uuid}"]`).waitFor({ timeout: 15_000 });

    await page.getByLabel('Lucene query').fill('data.data.increment_id:000000005 AND success:true');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/#\/deliveries\?q=data\.data\.increment_id/);
    await page
      .getByTestId('delivery-total')
      .getByText(/^1 attempt · page 1 of 1$/)
      .waitFor();
    expect(await page.locator('tr[data-uuid]').count()).toBe(1);
    await browser.screenshot('04-deliveries-search');

    await page.getByLabel('Lucene query').fill('data.data.increment_id:999 AND success:true');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No delivery matches.').waitFor();
    await page.getByLabel('Lucene query').fill('event_name:/regex/');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('delivery-results').getByRole('alert').waitFor();

    await page.goto(at('#/deliveries?q=data.data.increment_id%3A000000005'));
    await page.locator(`tr[data-uuid="${uuid}"] a`).click();
    await page.waitForURL(new RegExp(`#/trace/${uuid}$`));
    await page.locator('li.attempt').first().waitFor();
    expect(await page.locator('li.attempt').count()).toBe(1);
    const payload = await page.getByTestId('payload').innerText();
    expect(payload).toContain('\n  "type": "sales.order.created",\n');
    expect(payload).toContain('"increment_id": "000000005"');
    await browser.screenshot('05-trace');
  });

  it('replays the delivery from its trace, and every chain of a query after a dry run', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByText(/^Replayed log \d+ under uuid/).waitFor();
    const [, replayed] = await harness.receiver.waitFor(2, { path: '/dash', timeoutMs: 10_000 });
    expect(replayed?.event?.id).toBe(uuid);
    await eventually(
      async () => ((await page.locator('li.attempt').count()) === 2 ? true : undefined),
      10_000,
      'two attempts in the trace',
    );
    await browser.screenshot('06-trace-replayed');

    await page.goto(at(`#/deliveries?q=${encodeURIComponent(`uuid:"${uuid}"`)}`));
    await page.getByRole('button', { name: 'Replay all matching…' }).click();
    const summary = page.getByTestId('dry-run-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toBe('Dry run: 1 chain would be replayed.');
    expect(harness.receiver.count('/dash')).toBe(2);
    await browser.screenshot('07-bulk-replay-dry-run');
    await page.getByRole('button', { name: 'Replay 1 chain' }).click();
    await page.getByText('Replayed 1 chain.').waitFor();
    await harness.receiver.waitFor(3, { path: '/dash', timeoutMs: 10_000 });
  });

  it('draws the overview chart from real numbers, with the per-event and per-subscription tables', async () => {
    const { page } = browser;
    await page.goto(at('#/overview'));
    const chart = page.locator('svg.chart');
    await chart.waitFor();
    const total = Number(await chart.getAttribute('data-total'));
    expect(total).toBeGreaterThanOrEqual(3);
    // Drawn bars: succeeded parts (/dash) and failed parts (/down) of the buckets, and the rate line.
    expect(await drawnBars(page.locator('svg.chart rect.bar-ok'))).toBeGreaterThanOrEqual(1);
    expect(await drawnBars(page.locator('svg.chart rect.bar-failed'))).toBeGreaterThanOrEqual(1);
    expect(await page.locator('svg.chart circle.rate-dot').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('card-failure-rate').innerText()).not.toMatch(/\n(0%|–)\n/);
    expect(await page.locator('svg.chart .tick text').count()).toBeGreaterThan(4);
    expect(await page.locator('table.by-event').innerText()).toContain('sales.order.created');
    expect(await page.getByTestId('card-attempts').innerText()).toContain(String(total));
    expect(await page.getByTestId('card-indexing-lag').innerText()).toContain('n/a');
    expect(await page.getByTestId('card-resolution').innerText()).toMatch(/p50 [\d.]+ (ms|s)/);
    await browser.screenshot('08-overview');
  });

  it('lists dead letters as text, whatever they hold, and re-drives a selected one', async () => {
    const { page } = browser;
    harness.publishRaw(Buffer.from(`["${HOSTILE}"`));
    await eventually(
      async () =>
        (await harness.vhost.queues()).get('event.trigger.invalid')?.messages === 1 ? true : undefined,
      10_000,
      'the parked trigger',
    );
    await page.goto(at('#/deadletters'));
    const queue = page.locator('section[data-queue="event.trigger.invalid"]');
    await queue.getByText(/^Malformed trigger message/).waitFor();
    expect(await queue.locator('code.preview').innerText()).toBe(`["${HOSTILE}"`);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
    await browser.screenshot('09-dead-letters');

    await queue.locator('tbody input[type=checkbox]').check();
    await queue.getByRole('button', { name: 'Re-drive selected' }).click();
    await page.getByText('Re-drove 1 message from event.trigger.invalid.').waitFor();
  });

  it('logs out, forgetting the token', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByText('Logged out.').waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await page.goto(at('#/overview'));
    await page.getByLabel('API token').waitFor();
  });

  it('skips the login with API_INSECURE_NO_AUTH=true', async () => {
    await harness.restartSidecar({ API_INSECURE_NO_AUTH: 'true', API_TOKENS: '' });
    const { page } = browser;
    await page.goto(at('#/overview'));
    await page.locator('svg.chart').waitFor();
    await page.getByText(/Authentication is off/).waitFor();
    expect(await page.getByRole('button', { name: 'Log out' }).isVisible()).toBe(false);
    await browser.screenshot('10-no-auth');
  });

  it('made no request off the machine and logged no console error besides the refusals it provoked', () => {
    expect(browser.offHostRequests).toEqual([]);
    const unexpected = browser.consoleErrors.filter(
      (problem) =>
        !(
          (/status of 401/.test(problem.text) && /\/V1\/async_events\?/.test(problem.url)) ||
          (/status of 400/.test(problem.text) && /\/V1\/async_event$/.test(problem.url)) ||
          (/status of 400/.test(problem.text) && /\/V1\/async_event\/\d+\/controls$/.test(problem.url)) ||
          (/status of 400/.test(problem.text) &&
            /\/V1\/async_event_logs\?q=event_name%3A%2Fregex%2F/.test(problem.url))
        ),
    );
    expect(unexpected).toEqual([]);
    expect(browser.consoleErrors.length).toBe(4);
  });
});

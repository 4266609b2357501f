import { deliveryChart } from '../chart.js';
import { el, show } from '../dom.js';
import { formatCount, formatFailureRate, formatSeconds } from '../format.js';
import { routeHash } from '../route.js';
import { link, section, showError, table } from '../ui.js';
import type { DeliveryStats, QueueDepth } from '../wire.js';
import { refreshEvery, type View } from './view.js';

const WINDOWS = [
  { minutes: 15, label: '15 min' },
  { minutes: 60, label: '1 hour' },
  { minutes: 360, label: '6 hours' },
  { minutes: 1440, label: '24 hours' },
  { minutes: 10_080, label: '7 days' },
] as const;
const REFRESH_MS = 15_000;

const deliveriesOf = (q: string) => routeHash({ view: 'deliveries', q, page: 1 });

function card(title: string, value: string, detail: string, testId: string): HTMLElement {
  return el(
    'div',
    { class: 'card', attrs: { 'data-testid': testId } },
    el('div', { class: 'card-title' }, title),
    el('div', { class: 'card-value' }, value),
    el('div', { class: 'card-detail' }, detail),
  );
}

function cards(stats: DeliveryStats): HTMLElement {
  const { totals, resolution } = stats;
  const backlog = stats.queues.available
    ? stats.queues.backlog.reduce((sum, queue) => sum + queue.messages, 0)
    : undefined;
  const dead = stats.queues.available
    ? stats.queues.dead_letters.reduce((sum, queue) => sum + queue.messages, 0)
    : undefined;
  return el(
    'div',
    { class: 'cards' },
    card('Attempts', formatCount(totals.total), `${formatCount(totals.failed)} failed`, 'card-attempts'),
    card(
      'Failure rate',
      formatFailureRate(totals.failed, totals.total),
      'failed attempts / attempts',
      'card-failure-rate',
    ),
    card(
      'Retry backlog',
      backlog === undefined ? 'n/a' : formatCount(backlog),
      'messages waiting in queues',
      'card-backlog',
    ),
    card(
      'Dead letters',
      dead === undefined ? 'n/a' : formatCount(dead),
      'messages parked',
      'card-dead-letters',
    ),
    card(
      'Magento resolution',
      `p50 ${formatSeconds(resolution.p50_seconds)}`,
      `p95 ${formatSeconds(resolution.p95_seconds)} · p99 ${formatSeconds(resolution.p99_seconds)} · ${formatCount(resolution.count)} requests since start`,
      'card-resolution',
    ),
    card(
      'Indexing lag',
      formatSeconds(stats.indexing_lag_seconds),
      stats.indexing_lag_seconds === null ? 'no search engine configured' : 'newest row to searchable',
      'card-indexing-lag',
    ),
  );
}

function queueTable(queues: readonly QueueDepth[], empty: string): HTMLTableElement {
  return table(
    [
      { title: 'Queue', cell: (queue) => el('code', {}, queue.queue) },
      { title: 'Messages', cell: (queue) => formatCount(queue.messages), class: 'number' },
      { title: 'Consumers', cell: (queue) => formatCount(queue.consumers), class: 'number' },
    ],
    queues,
    { empty },
  );
}

function queuesPanel(stats: DeliveryStats): HTMLElement {
  if (!stats.queues.available) {
    return section(
      'Queues',
      el('p', { class: 'muted' }, `RabbitMQ cannot be asked now: ${stats.queues.reason}`),
    );
  }
  const counters = Object.entries(stats.retries_scheduled).map(
    ([kind, count]) => `${kind}: ${formatCount(count)}`,
  );
  return section(
    'Queues',
    el(
      'div',
      { class: 'columns' },
      el('div', {}, el('h3', {}, 'Retry backlog'), queueTable(stats.queues.backlog, 'No queue found.')),
      el(
        'div',
        {},
        el('h3', {}, 'Dead letters ', link('#/deadletters', '(open)')),
        queueTable(stats.queues.dead_letters, 'No dead-letter queue found.'),
      ),
    ),
    el(
      'p',
      { class: 'muted' },
      `Retries scheduled by this process since it started: ${counters.length === 0 ? 'none' : counters.join(', ')}.`,
    ),
  );
}

function breakdowns(stats: DeliveryStats): HTMLElement {
  const byEvent = table(
    [
      {
        title: 'Event',
        cell: (row) =>
          row.event_name === null
            ? '(deleted)'
            : link(deliveriesOf(`event_name:"${row.event_name}"`), row.event_name),
      },
      { title: 'Attempts', cell: (row) => formatCount(row.total), class: 'number' },
      { title: 'Failed', cell: (row) => formatCount(row.failed), class: 'number' },
      { title: 'Failure rate', cell: (row) => formatFailureRate(row.failed, row.total), class: 'number' },
    ],
    stats.by_event,
    { empty: 'No attempts in this window.', class: 'grid by-event' },
  );
  const bySubscription = table(
    [
      {
        title: 'Subscription',
        cell: (row) =>
          link(deliveriesOf(`subscription_id:${row.subscription_id}`), `#${row.subscription_id}`),
      },
      { title: 'Event', cell: (row) => row.event_name ?? '(deleted)' },
      { title: 'Attempts', cell: (row) => formatCount(row.total), class: 'number' },
      { title: 'Failed', cell: (row) => formatCount(row.failed), class: 'number' },
      { title: 'Failure rate', cell: (row) => formatFailureRate(row.failed, row.total), class: 'number' },
      { title: 'Last attempt (UTC)', cell: (row) => row.last_created },
    ],
    stats.by_subscription,
    { empty: 'No attempts in this window.', class: 'grid by-subscription' },
  );
  return el(
    'div',
    { class: 'columns' },
    section('Per event', byEvent),
    section('Per subscription', bySubscription),
  );
}

export const overviewView: View = (root, { api }) => {
  let minutes = 60;
  const body = el('div', { class: 'overview-body' }, el('p', { class: 'muted' }, 'Loading…'));
  const picker = el(
    'select',
    {
      attrs: { 'aria-label': 'Window' },
      on: {
        change: () => {
          minutes = Number(picker.value);
          void load();
        },
      },
    },
    ...WINDOWS.map((choice) =>
      el('option', { attrs: { value: choice.minutes, selected: choice.minutes === minutes } }, choice.label),
    ),
  );
  const updated = el('span', { class: 'muted' });
  show(
    root,
    el('div', { class: 'toolbar' }, el('h1', {}, 'Overview'), el('label', {}, 'Window ', picker), updated),
    body,
  );

  const load = async (): Promise<void> => {
    try {
      const params = new URLSearchParams({ minutes: String(minutes) });
      const stats = await api.get<DeliveryStats>('V1/async_event_stats', params);
      show(
        body,
        cards(stats),
        section('Delivery attempts', deliveryChart(stats)),
        queuesPanel(stats),
        breakdowns(stats),
      );
      updated.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (error: unknown) {
      showError(body, error);
    }
  };
  return refreshEvery(REFRESH_MS, load);
};

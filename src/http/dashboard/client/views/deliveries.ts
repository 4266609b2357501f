import { el, show } from '../dom.js';
import { countOf, shorten } from '../format.js';
import { routeHash } from '../route.js';
import { actionButton, badge, link, notice, pager, section, showError, table } from '../ui.js';
import type { LogItem, LogPage, ReplayedOne } from '../wire.js';
import { bulkReplay } from './bulkReplay.js';
import { refreshEvery, type View } from './view.js';

const PAGE_SIZE = 50;
const LIVE_REFRESH_MS = 5000;
const EXAMPLES = [
  'success:false',
  'event_name:customer.*',
  'created:[now-1h TO now]',
  'data.data.increment_id:00000*',
];

export const deliveriesView: View<{ view: 'deliveries'; q: string; page: number }> = (
  root,
  { api, route, navigate },
) => {
  const query = el('input', {
    attrs: {
      type: 'search',
      name: 'q',
      value: route.q,
      placeholder: 'Lucene query, e.g. event_name:sales.* AND success:false',
      'aria-label': 'Lucene query',
      spellcheck: 'false',
      autocomplete: 'off',
    },
  });
  const form = el(
    'form',
    { class: 'search', attrs: { role: 'search' } },
    query,
    el('button', { class: 'button button-primary', attrs: { type: 'submit' } }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate({ view: 'deliveries', q: query.value.trim(), page: 1 });
  });
  const live = el('input', { attrs: { type: 'checkbox', checked: true } });
  const results = el(
    'div',
    { attrs: { 'data-testid': 'delivery-results' } },
    el('p', { class: 'muted' }, 'Searching…'),
  );
  const feedback = el('div', { class: 'feedback' });

  const replayButton = (item: LogItem) =>
    actionButton(
      'Replay',
      async () => {
        const answer = await api.post<ReplayedOne>('V1/async_event_logs/replay', { log_id: item.log_id });
        const uuid = answer.replayed[0]?.uuid ?? item.uuid ?? '';
        show(feedback, notice('success', [`Log ${item.log_id} replayed as a new chain under uuid ${uuid}.`]));
      },
      { feedback, class: 'button button-small', attrs: { 'data-action': 'replay' } },
    );

  const grid = (page: LogPage): HTMLElement => {
    return el(
      'div',
      {},
      table(
        [
          { title: 'Log id', cell: (item) => String(item.log_id), class: 'number' },
          { title: 'Created (UTC)', cell: (item) => item.created },
          { title: 'Event', cell: (item) => item.event_name ?? '(deleted)' },
          { title: 'Subscription', cell: (item) => `#${item.subscription_id}`, class: 'number' },
          {
            title: 'Store',
            cell: (item) => (item.store_id === null ? '' : String(item.store_id)),
            class: 'number',
          },
          { title: 'Status', cell: (item) => badge(item.success) },
          {
            title: 'Response',
            cell: (item) =>
              el(
                'span',
                { class: 'response', attrs: { title: shorten(item.response_data, 2000) } },
                shorten(item.response_data, 80),
              ),
          },
          {
            title: 'Uuid',
            cell: (item) =>
              item.uuid === null
                ? ''
                : link(routeHash({ view: 'trace', uuid: item.uuid }), el('code', {}, item.uuid)),
          },
          { title: '', cell: replayButton },
        ],
        page.items,
        {
          empty: 'No delivery matches.',
          rowAttrs: (item) => ({ 'data-log-id': String(item.log_id), 'data-uuid': item.uuid ?? '' }),
        },
      ),
      pager({
        summary: countOf(page.total_count, 'attempt'),
        page: route.page,
        pageSize: PAGE_SIZE,
        total: page.total_count,
        go: (to) => navigate({ view: 'deliveries', q: route.q, page: to }),
        labels: { previous: 'Newer', next: 'Older' },
        testId: 'delivery-total',
      }),
    );
  };

  const load = async (): Promise<void> => {
    const params = new URLSearchParams({
      q: route.q,
      pageSize: String(PAGE_SIZE),
      currentPage: String(route.page),
    });
    try {
      show(results, grid(await api.get<LogPage>('V1/async_event_logs', params)));
    } catch (error: unknown) {
      showError(results, error);
    }
  };

  show(
    root,
    el(
      'div',
      { class: 'toolbar' },
      el('h1', {}, 'Deliveries'),
      el('label', { class: 'muted' }, live, ' live (every 5 s)'),
    ),
    form,
    el(
      'p',
      { class: 'muted examples' },
      'Examples: ',
      ...EXAMPLES.flatMap((example) => [
        link(routeHash({ view: 'deliveries', q: example, page: 1 }), el('code', {}, example)),
        ' ',
      ]),
    ),
    feedback,
    section('Results', results),
    section(
      'Bulk replay',
      el(
        'p',
        { class: 'muted' },
        'Sends the newest attempt of every chain this query matches again, once per chain.',
      ),
      bulkReplay(api, route.q),
    ),
  );
  return refreshEvery(LIVE_REFRESH_MS, async () => {
    // The first load always runs; later ones only while "live" is ticked.
    if (live.checked || results.querySelector('table') === null) {
      await load();
    }
  });
};

import { el, show } from '../dom.js';
import { countOf, formatGap, prettyBody } from '../format.js';
import { routeHash } from '../route.js';
import { actionButton, badge, link, notice, section, showError } from '../ui.js';
import type { LogItem, ReplayedOne, Trace } from '../wire.js';
import type { View } from './view.js';

function attempt(item: LogItem, index: number, previous: LogItem | undefined): HTMLElement {
  const gap = previous === undefined ? '' : formatGap(previous.created, item.created);
  return el(
    'li',
    {
      class: `attempt ${item.success ? 'attempt-ok' : 'attempt-failed'}`,
      attrs: { 'data-log-id': String(item.log_id) },
    },
    el(
      'div',
      { class: 'attempt-head' },
      el('strong', {}, `Attempt ${index + 1}`),
      badge(item.success),
      el('span', {}, `${item.created} UTC`),
      gap === ''
        ? null
        : el(
            'span',
            { class: 'muted', attrs: { title: 'time since the previous attempt (the retry delay)' } },
            gap,
          ),
      el('span', { class: 'muted' }, `log ${item.log_id} · subscription #${item.subscription_id}`),
    ),
    el(
      'div',
      { class: 'attempt-response' },
      el('span', { class: 'field-label' }, 'Response'),
      el('pre', { class: 'response-body' }, item.response_data === '' ? '(empty)' : item.response_data),
    ),
  );
}

/** One delivery chain: every attempt in order, the delivered payload, and a Replay of the newest attempt. */
export const traceView: View<{ view: 'trace'; uuid: string }> = (root, { api, route }) => {
  const feedback = el('div', { class: 'feedback' });
  const content = el('div', {}, el('p', { class: 'muted' }, 'Loading…'));
  show(
    root,
    el(
      'div',
      { class: 'toolbar' },
      el('h1', {}, 'Trace ', el('code', {}, route.uuid)),
      link(routeHash({ view: 'deliveries', q: `uuid:"${route.uuid}"`, page: 1 }), 'in the search'),
    ),
    feedback,
    content,
  );

  const load = async (): Promise<void> => {
    try {
      const trace = await api.get<Trace>(`V1/async_event_logs/${encodeURIComponent(route.uuid)}`);
      const newest = trace.items[trace.items.length - 1];
      const first = trace.items[0];
      const replay =
        newest === undefined
          ? null
          : actionButton(
              'Replay',
              async () => {
                const answer = await api.post<ReplayedOne>('V1/async_event_logs/replay', {
                  log_id: newest.log_id,
                });
                show(
                  feedback,
                  notice('success', [
                    `Replayed log ${newest.log_id} under uuid ${answer.replayed[0]?.uuid ?? route.uuid}; its attempts appear below.`,
                  ]),
                );
                setTimeout(() => void load(), 1500);
              },
              { feedback, class: 'button button-primary', attrs: { 'data-action': 'replay' } },
            );
      show(
        content,
        el(
          'div',
          { class: 'trace-summary' },
          el(
            'span',
            {},
            `${first?.event_name ?? '(deleted subscription)'} · ${countOf(trace.items.length, 'attempt')} · `,
          ),
          newest === undefined ? null : badge(newest.success, 'delivered', 'not delivered'),
          replay,
        ),
        section(
          'Attempts',
          el(
            'ol',
            { class: 'timeline' },
            ...trace.items.map((item, index) => attempt(item, index, trace.items[index - 1])),
          ),
        ),
        section(
          'Payload',
          el('pre', { class: 'payload', attrs: { 'data-testid': 'payload' } }, prettyBody(newest?.body)),
        ),
      );
    } catch (error: unknown) {
      showError(content, error);
    }
  };
  void load();
};

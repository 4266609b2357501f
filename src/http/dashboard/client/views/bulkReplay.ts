import type { Api } from '../api.js';
import { el, show } from '../dom.js';
import { countOf, formatCount } from '../format.js';
import { routeHash } from '../route.js';
import { actionButton, link, notice, table } from '../ui.js';
import type { ReplayDone, ReplayDryRun } from '../wire.js';

/** Chains one bulk replay may send; the dry run is asked with the same bound so its count is what runs. */
const BULK_LIMIT = 1000;

/**
 * Replay of every chain the current query matches, in two steps: a dry run shows how many chains
 * (and a sample), and only the confirmation replays, bounded by the count that was shown.
 */
export function bulkReplay(api: Api, q: string): HTMLElement {
  const area = el('div', { class: 'bulk-replay' });
  const feedback = el('div', { class: 'feedback' });

  const confirmStep = (dry: ReplayDryRun): void => {
    const sample = table(
      [
        { title: 'Log id', cell: (item) => String(item.log_id), class: 'number' },
        {
          title: 'Uuid',
          cell: (item) =>
            item.uuid === null ? '' : link(routeHash({ view: 'trace', uuid: item.uuid }), item.uuid),
        },
        { title: 'Subscription', cell: (item) => `#${item.subscription_id}`, class: 'number' },
      ],
      dry.sample,
      { empty: 'No chain matches.' },
    );
    const summary = `Dry run: ${countOf(dry.count, 'chain')} would be replayed${dry.limited ? ` (more match: at most ${formatCount(BULK_LIMIT)} at once)` : ''}.`;
    const confirm = actionButton(
      `Replay ${countOf(dry.count, 'chain')}`,
      async () => {
        const done = await api.post<ReplayDone>('V1/async_event_logs/replay', {
          q,
          dryRun: false,
          limit: Math.max(1, dry.count),
        });
        const lines = [`Replayed ${countOf(done.replayed.length, 'chain')}.`];
        for (const skipped of done.skipped) {
          lines.push(`Skipped ${skipped.uuid ?? '(no uuid)'}: ${skipped.reason}`);
        }
        show(area, notice(done.skipped.length === 0 ? 'success' : 'info', lines), start);
      },
      { feedback, class: 'button button-danger', attrs: { 'data-action': 'confirm-bulk-replay' } },
    );
    confirm.disabled = dry.count === 0;
    const cancel = el(
      'button',
      { class: 'button', attrs: { type: 'button' }, on: { click: () => show(area, start) } },
      'Cancel',
    );
    show(
      area,
      el('p', { attrs: { 'data-testid': 'dry-run-summary' } }, summary),
      sample,
      el('div', { class: 'form-actions' }, confirm, cancel),
      feedback,
    );
  };

  const start = actionButton(
    'Replay all matching…',
    async () => {
      confirmStep(
        await api.post<ReplayDryRun>('V1/async_event_logs/replay', { q, dryRun: true, limit: BULK_LIMIT }),
      );
    },
    { feedback, attrs: { 'data-action': 'bulk-replay' } },
  );
  if (q.trim() === '') {
    start.disabled = true;
    start.title = 'Type a query first: a bulk replay of every delivery is not offered.';
  }
  show(area, start, feedback);
  return area;
}

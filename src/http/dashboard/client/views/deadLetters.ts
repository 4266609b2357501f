import { el, show } from '../dom.js';
import { countOf, formatCount, shorten } from '../format.js';
import { routeHash } from '../route.js';
import { actionButton, confirmingButton, link, notice, showError, table } from '../ui.js';
import type { DeadLetter, DeadLetterQueue, Redriven } from '../wire.js';
import type { View } from './view.js';

const LIST_LIMIT = 100;

const WHAT_IT_MEANS: Record<string, string> = {
  'event.failover.deadletter':
    'Deliveries that failed max_deaths times. Re-driving starts a new retry chain under the same uuid.',
  'event.trigger.deadletter':
    'Triggers whose payload Magento could not resolve. Re-driving sends them back to event.trigger.',
  'event.trigger.invalid':
    'Malformed or unknown triggers. Re-driving sends them back to event.trigger (they are parked again unless fixed).',
  'event.failover.invalid':
    'Malformed retry messages or retries of deleted subscriptions. Re-driving sends them back to event.failover.retry.',
};

export const deadLettersView: View = (root, { api }) => {
  const content = el('div', {}, el('p', { class: 'muted' }, 'Loading…'));
  const feedback = el('div', { class: 'feedback' });

  const queuePanel = (queue: DeadLetterQueue): HTMLElement => {
    const selected = new Set<string>();
    const checkbox = (message: DeadLetter) => {
      if (message.message_id === null) {
        return el('span', { class: 'muted', attrs: { title: 'no message id: re-drive with "all"' } }, '–');
      }
      const id = message.message_id;
      const box = el('input', { attrs: { type: 'checkbox', 'aria-label': `select ${id}` } });
      box.addEventListener('change', () => (box.checked ? selected.add(id) : selected.delete(id)));
      return box;
    };
    const redrive = async (body: Record<string, unknown>): Promise<void> => {
      const answer = await api.post<Redriven>('V1/async_event_deadletters/redrive', {
        queue: queue.queue,
        ...body,
      });
      const lines = [`Re-drove ${countOf(answer.redriven.length, 'message')} from ${answer.queue}.`];
      if (answer.not_found.length > 0) {
        lines.push(`Not found (already gone?): ${answer.not_found.join(', ')}`);
      }
      await load();
      show(feedback, notice('success', lines));
    };
    const grid = table(
      [
        { title: '', cell: checkbox },
        { title: 'Parked (UTC)', cell: (message) => message.parked_at ?? '' },
        { title: 'Event', cell: (message) => message.event_name ?? '' },
        {
          title: 'Subscription',
          cell: (message) => (message.subscription_id === null ? '' : `#${message.subscription_id}`),
          class: 'number',
        },
        {
          title: 'Uuid',
          cell: (message) =>
            message.uuid === null
              ? ''
              : link(routeHash({ view: 'trace', uuid: message.uuid }), el('code', {}, message.uuid)),
        },
        { title: 'Reason', cell: (message) => message.reason ?? '' },
        {
          title: 'Message',
          cell: (message) =>
            el(
              'code',
              { class: 'preview', attrs: { title: message.body_preview } },
              shorten(message.body_preview, 120),
            ),
        },
      ],
      queue.messages,
      { empty: 'Empty.', rowAttrs: (message) => ({ 'data-message-id': message.message_id ?? '' }) },
    );
    const shown =
      queue.messages.length < queue.total ? ` (showing the first ${formatCount(queue.messages.length)})` : '';
    return el(
      'section',
      { class: 'panel', attrs: { 'data-queue': queue.queue } },
      el('h2', {}, el('code', {}, queue.queue), ` · ${countOf(queue.total, 'message')}${shown}`),
      el('p', { class: 'muted' }, WHAT_IT_MEANS[queue.queue] ?? ''),
      queue.total === 0 ? el('p', { class: 'muted' }, 'Empty.') : grid,
      queue.total === 0
        ? null
        : el(
            'div',
            { class: 'form-actions' },
            actionButton(
              'Re-drive selected',
              () =>
                selected.size === 0
                  ? Promise.reject(new Error('Select messages first.'))
                  : redrive({ message_ids: [...selected] }),
              { feedback, attrs: { 'data-action': 'redrive-selected' } },
            ),
            confirmingButton(
              `Re-drive all ${formatCount(queue.total)}`,
              `Click again to re-drive all ${formatCount(queue.total)}`,
              () => redrive({ all: true, limit: queue.total }),
              { feedback, class: 'button button-danger', attrs: { 'data-action': 'redrive-all' } },
            ),
          ),
    );
  };

  const load = async (): Promise<void> => {
    try {
      const answer = await api.get<{ queues: DeadLetterQueue[] }>(
        'V1/async_event_deadletters',
        new URLSearchParams({ limit: String(LIST_LIMIT) }),
      );
      show(content, ...answer.queues.map(queuePanel));
    } catch (error: unknown) {
      showError(content, error);
    }
  };

  show(
    root,
    el(
      'div',
      { class: 'toolbar' },
      el('h1', {}, 'Dead letters'),
      el(
        'button',
        { class: 'button', attrs: { type: 'button' }, on: { click: () => void load() } },
        'Refresh',
      ),
    ),
    el(
      'p',
      { class: 'muted' },
      'Listing looks without consuming: messages stay in their queues, in order, until re-driven.',
    ),
    feedback,
    content,
  );
  void load();
};

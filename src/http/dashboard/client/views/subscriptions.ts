import { el, show } from '../dom.js';
import { countOf, formatCount, formatSuccessRate } from '../format.js';
import { routeHash } from '../route.js';
import { subscriptionListParams } from '../searchCriteria.js';
import { actionButton, badge, link, pager, section, showError, table } from '../ui.js';
import type { DeliveryStats, Subscription, SubscriptionPage } from '../wire.js';
import { subscriptionForm } from './subscriptionForm.js';
import type { View } from './view.js';

const PAGE_SIZE = 50;
/** "Recent" success rate: the last 24 hours. */
const RATE_MINUTES = 1440;

type Rates = Map<number, { total: number; failed: number }>;

export const subscriptionsView: View = (root, { api }) => {
  let page = 1;
  const filter = el('input', {
    attrs: { type: 'search', placeholder: 'event name contains…', 'aria-label': 'Filter by event name' },
  });
  const listArea = el('div', {}, el('p', { class: 'muted' }, 'Loading…'));
  const feedback = el('div', { class: 'feedback' });

  const load = async (): Promise<void> => {
    try {
      const [list, stats] = await Promise.all([
        api.get<SubscriptionPage>(
          'V1/async_events',
          subscriptionListParams({ page, pageSize: PAGE_SIZE, eventContains: filter.value }),
        ),
        // The rates are a nicety: the list still shows when the stats cannot be had.
        api
          .get<DeliveryStats>('V1/async_event_stats', new URLSearchParams({ minutes: String(RATE_MINUTES) }))
          .catch(() => undefined),
      ]);
      const rates: Rates | undefined =
        stats === undefined
          ? undefined
          : new Map(stats.by_subscription.map((entry) => [entry.subscription_id, entry]));
      const toggle = (subscription: Subscription) =>
        actionButton(
          subscription.status ? 'Disable' : 'Enable',
          async () => {
            await api.put(`V1/async_event/${subscription.subscription_id}`, {
              asyncEvent: { status: !subscription.status },
            });
            await load();
          },
          { feedback, class: 'button button-small', attrs: { 'data-action': 'toggle' } },
        );
      const rateCell = (subscription: Subscription): string => {
        if (rates === undefined) {
          return 'n/a';
        }
        const counts = rates.get(subscription.subscription_id);
        return counts === undefined
          ? '–'
          : `${formatSuccessRate(counts.failed, counts.total)} of ${formatCount(counts.total)}`;
      };
      show(
        listArea,
        table(
          [
            {
              title: 'Id',
              cell: (subscription) =>
                link(
                  routeHash({ view: 'subscription', id: subscription.subscription_id }),
                  `#${subscription.subscription_id}`,
                ),
            },
            { title: 'Status', cell: (subscription) => badge(subscription.status, 'enabled', 'disabled') },
            { title: 'Event', cell: (subscription) => subscription.event_name },
            {
              title: 'Store',
              cell: (subscription) => (subscription.store_id === 0 ? 'all' : String(subscription.store_id)),
              class: 'number',
            },
            {
              title: 'Destination',
              cell: (subscription) => el('code', { class: 'url' }, subscription.recipient_url),
            },
            { title: 'Success (24 h)', cell: rateCell, class: 'number' },
            {
              title: 'Deliveries',
              cell: (subscription) =>
                link(
                  routeHash({
                    view: 'deliveries',
                    q: `subscription_id:${subscription.subscription_id}`,
                    page: 1,
                  }),
                  'search',
                ),
            },
            { title: 'Subscribed (UTC)', cell: (subscription) => subscription.subscribed_at ?? '' },
            { title: '', cell: toggle },
          ],
          list.items,
          {
            empty:
              filter.value.trim() === ''
                ? 'No subscriptions yet: create one below.'
                : 'No subscription matches.',
            rowAttrs: (subscription) => ({ 'data-subscription-id': String(subscription.subscription_id) }),
          },
        ),
        pager({
          summary: countOf(list.total_count, 'subscription'),
          page,
          pageSize: PAGE_SIZE,
          total: list.total_count,
          go: (to) => {
            page = to;
            void load();
          },
        }),
      );
    } catch (error: unknown) {
      showError(listArea, error);
    }
  };

  // One request per pause in typing, not per key.
  let typing: ReturnType<typeof setTimeout> | undefined;
  filter.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      page = 1;
      void load();
    }, 300);
  });
  show(
    root,
    el('div', { class: 'toolbar' }, el('h1', {}, 'Subscriptions'), filter),
    feedback,
    section('All subscriptions', listArea),
    section(
      'New subscription',
      subscriptionForm(api, () => void load()),
    ),
  );
  void load();
};

import type { Api } from '../api.js';
import { CONTROL_FIELDS, type ControlName, controlsBody, formValueOf } from '../controlsForm.js';
import { el, show } from '../dom.js';
import { routeHash } from '../route.js';
import { actionButton, badge, link, notice, section, showError } from '../ui.js';
import type { Subscription, SubscriptionControls } from '../wire.js';
import type { View } from './view.js';

const CIRCUIT_TEXT: Record<SubscriptionControls['circuit'], string> = {
  closed: 'closed (delivering)',
  'half-open': 'half-open (probing)',
  open: 'open (holding deliveries in the retry path)',
};

function fact(label: string, value: Node | string): HTMLElement {
  return el('div', { class: 'fact' }, el('span', { class: 'field-label' }, label), el('span', {}, value));
}

function facts(subscription: Subscription, controls: SubscriptionControls): HTMLElement {
  return el(
    'div',
    { class: 'facts', attrs: { 'data-testid': 'subscription-facts' } },
    fact('Status', badge(subscription.status, 'enabled', 'disabled')),
    fact('Event', subscription.event_name),
    fact('Destination', el('code', { class: 'url' }, subscription.recipient_url)),
    fact('Store', subscription.store_id === 0 ? 'all stores' : String(subscription.store_id)),
    fact('Subscribed (UTC)', subscription.subscribed_at ?? ''),
    fact('Circuit', CIRCUIT_TEXT[controls.circuit]),
    fact('Failing since (UTC)', controls.failing_since ?? '–'),
    controls.disabled_at === null
      ? null
      : fact(
          'Disabled (UTC)',
          `${controls.disabled_at}: ${controls.disabled_reason ?? 'no reason recorded'}`,
        ),
  );
}

/** An input or a select for one control; '' means "the global default", shown as the placeholder. */
function controlInput(
  field: (typeof CONTROL_FIELDS)[number],
  controls: SubscriptionControls,
): HTMLInputElement | HTMLSelectElement {
  const value = formValueOf(controls, field.name);
  const effective = String(controls[field.name]);
  if (field.kind === 'number') {
    return el('input', {
      attrs: { name: field.name, inputmode: 'decimal', value, placeholder: `default: ${effective}` },
    });
  }
  const choices = field.kind === 'boolean' ? ['true', 'false'] : [...field.kind];
  return el(
    'select',
    { attrs: { name: field.name } },
    el('option', { attrs: { value: '', selected: value === '' } }, `default (${effective})`),
    ...choices.map((choice) =>
      el('option', { attrs: { value: choice, selected: value === choice } }, choice),
    ),
  );
}

function controlsEditor(api: Api, controls: SubscriptionControls, onSaved: () => Promise<void>): HTMLElement {
  const inputs = new Map<ControlName, HTMLInputElement | HTMLSelectElement>();
  const feedback = el('div', { class: 'feedback', attrs: { 'aria-live': 'polite' } });
  const rows = CONTROL_FIELDS.map((field) => {
    const input = controlInput(field, controls);
    inputs.set(field.name, input);
    return el(
      'label',
      { class: 'field' },
      el('span', { class: 'field-label' }, field.label),
      input,
      el('span', { class: 'field-hint' }, field.hint),
    );
  });
  const save = actionButton(
    'Save controls',
    async () => {
      const values = Object.fromEntries(
        CONTROL_FIELDS.map((field) => [field.name, inputs.get(field.name)?.value ?? '']),
      ) as Record<ControlName, string>;
      await api.put(`V1/async_event/${controls.subscription_id}/controls`, controlsBody(values));
      await onSaved();
    },
    { feedback, class: 'button button-primary', attrs: { 'data-action': 'save-controls' } },
  );
  return el(
    'div',
    { class: 'form', attrs: { 'aria-label': 'Delivery controls' } },
    ...rows,
    el('div', { class: 'form-actions' }, save),
    feedback,
  );
}

/** One subscription: what it is, how it is doing, and its delivery controls (editable). */
export const subscriptionDetailView: View<{ view: 'subscription'; id: number }> = (root, { api, route }) => {
  const body = el('div', {}, el('p', { class: 'muted' }, 'Loading…'));
  const actions = el('div', { class: 'toolbar-actions' });
  const feedback = el('div', { class: 'feedback' });

  const load = async (): Promise<void> => {
    feedback.replaceChildren();
    try {
      const [subscription, controls] = await Promise.all([
        api.get<Subscription>(`V1/async_event/${route.id}`),
        api.get<SubscriptionControls>(`V1/async_event/${route.id}/controls`),
      ]);
      show(
        actions,
        actionButton(
          subscription.status ? 'Disable' : 'Enable',
          async () => {
            await api.put(`V1/async_event/${route.id}`, { asyncEvent: { status: !subscription.status } });
            await load();
          },
          { feedback, class: 'button', attrs: { 'data-action': 'toggle' } },
        ),
        link(routeHash({ view: 'deliveries', q: `subscription_id:${route.id}`, page: 1 }), 'Its deliveries'),
      );
      show(
        body,
        section('Subscription', facts(subscription, controls)),
        section(
          'Delivery controls',
          el(
            'p',
            { class: 'muted' },
            'Blank fields follow the global defaults (SUBSCRIPTION_* settings); a value here is this subscription’s own.',
          ),
          controlsEditor(api, controls, async () => {
            await load();
            // After the reload, which draws the form again: the message must outlive it.
            show(feedback, notice('success', ['Saved: the controls apply at once.']));
          }),
        ),
      );
    } catch (error: unknown) {
      showError(body, error);
    }
  };

  show(
    root,
    el('div', { class: 'toolbar' }, el('h1', {}, `Subscription #${route.id}`), actions),
    feedback,
    body,
  );
  void load();
};

import type { Api } from '../api.js';
import { el, show } from '../dom.js';
import { notice, showError } from '../ui.js';
import type { Subscription } from '../wire.js';

function field(label: string, input: HTMLInputElement, hint?: string): HTMLElement {
  return el(
    'label',
    { class: 'field' },
    el('span', { class: 'field-label' }, label),
    input,
    hint === undefined ? null : el('span', { class: 'field-hint' }, hint),
  );
}

/**
 * The create form: sends what was typed to `POST /V1/async_event` as is, so the API's own
 * validation decides, and shows its messages verbatim (placeholders filled in).
 */
export function subscriptionForm(api: Api, onCreated: (created: Subscription) => void): HTMLElement {
  const eventName = el('input', {
    attrs: { name: 'event_name', required: true, placeholder: 'sales.order.created', autocomplete: 'off' },
  });
  const recipientUrl = el('input', {
    attrs: {
      name: 'recipient_url',
      type: 'url',
      required: true,
      placeholder: 'https://erp.example.com/hooks/orders',
    },
  });
  const token = el('input', {
    attrs: { name: 'verification_token', type: 'password', required: true, autocomplete: 'new-password' },
  });
  const metadata = el('input', { attrs: { name: 'metadata', value: 'http', required: true } });
  const storeId = el('input', { attrs: { name: 'store_id', type: 'number', min: 0, value: 0 } });
  const feedback = el('div', { class: 'feedback', attrs: { 'aria-live': 'polite' } });
  const submit = el(
    'button',
    { class: 'button button-primary', attrs: { type: 'submit' } },
    'Create subscription',
  );

  const form = el(
    'form',
    { class: 'form', attrs: { novalidate: true, 'aria-label': 'Create a subscription' } },
    field('Event', eventName, 'as declared in async_events.xml'),
    field('Destination URL', recipientUrl),
    field('Verification token', token, 'signs each delivery (x-magento-signature); stored encrypted'),
    field('Metadata', metadata, 'the sink: http'),
    field('Store id', storeId, '0 = all stores'),
    el('div', { class: 'form-actions' }, submit),
    feedback,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    feedback.replaceChildren();
    const asyncEvent: Record<string, unknown> = {
      event_name: eventName.value,
      recipient_url: recipientUrl.value,
      verification_token: token.value,
      metadata: metadata.value,
    };
    if (storeId.value.trim() !== '') {
      asyncEvent.store_id = Number(storeId.value);
    }
    api
      .post<Subscription>('V1/async_event', { asyncEvent })
      .then((created) => {
        token.value = '';
        show(
          feedback,
          notice('success', [`Subscription #${created.subscription_id} created for ${created.event_name}.`]),
        );
        onCreated(created);
      })
      .catch((error: unknown) => showError(feedback, error))
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

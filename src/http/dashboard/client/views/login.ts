import { callApi, failureOf } from '../api.js';
import { el, show } from '../dom.js';
import { notice, showError } from '../ui.js';

/**
 * The login screen: the token is checked with a cheap authenticated API call before it is kept.
 * It is never shown again, logged or put in the URL; the field is cleared whatever the answer.
 */
export function showLogin(root: HTMLElement, onLoggedIn: (token: string) => void, reason?: string): void {
  const token = el('input', {
    attrs: {
      type: 'password',
      name: 'token',
      required: true,
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-label': 'API token',
      placeholder: 'API token',
    },
  });
  const submit = el('button', { class: 'button button-primary', attrs: { type: 'submit' } }, 'Log in');
  const feedback = el(
    'div',
    { class: 'feedback', attrs: { 'aria-live': 'polite' } },
    reason === undefined ? null : notice('info', [reason]),
  );
  const form = el(
    'form',
    { class: 'login', attrs: { 'aria-label': 'Log in' } },
    el('h1', {}, 'Async events sidecar'),
    el(
      'p',
      { class: 'muted' },
      'Log in with an API token: one of the sidecar’s API_TOKENS, or a Magento admin or integration token when Magento authentication is on.',
    ),
    token,
    submit,
    feedback,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const candidate = token.value.trim();
    token.value = '';
    if (candidate === '') {
      show(feedback, notice('error', ['Enter a token.']));
      return;
    }
    submit.disabled = true;
    feedback.replaceChildren();
    callApi('GET', 'V1/async_events', {
      token: candidate,
      params: new URLSearchParams({ 'searchCriteria[page_size]': '1' }),
    })
      .then((answer) => {
        if (answer.status === 200) {
          onLoggedIn(candidate);
          return;
        }
        if (answer.status === 401) {
          show(feedback, notice('error', ['This token was refused.']));
          return;
        }
        showError(feedback, failureOf(answer.status, answer.body));
      })
      .catch((error: unknown) => showError(feedback, error))
      .finally(() => {
        submit.disabled = false;
        token.focus();
      });
  });
  show(root, form);
  token.focus();
}

import { callApi, makeApi } from './api.js';
import { el, show } from './dom.js';
import { parseRoute, type Route, routeHash } from './route.js';
import { session } from './session.js';
import { notice } from './ui.js';
import { deadLettersView } from './views/deadLetters.js';
import { deliveriesView } from './views/deliveries.js';
import { showLogin } from './views/login.js';
import { overviewView } from './views/overview.js';
import { subscriptionDetailView } from './views/subscriptionDetail.js';
import { subscriptionsView } from './views/subscriptions.js';
import { traceView } from './views/trace.js';
import type { ViewContext } from './views/view.js';

/**
 * The dashboard's entry point. States: checking → login (a token is needed and none is kept) →
 * running (views render on hash changes) → login again after Log out or when the API stops
 * accepting the kept token. With API_INSECURE_NO_AUTH the login is skipped.
 */
const main = document.getElementById('main') as HTMLElement;
const topbar = document.getElementById('topbar') as HTMLElement;
const logout = document.getElementById('logout') as HTMLButtonElement;
const banner = document.getElementById('banner') as HTMLElement;

let loginRequired = true;
let stopView: (() => void) | undefined;

const api = makeApi({
  token: () => (loginRequired ? session.token() : undefined),
  onUnauthorized: () => {
    // Several refreshes may fail at once: the first one shows the login, the others find it shown.
    if (loginRequired && !topbar.hidden) {
      askForToken('The API no longer accepts this token; log in again.');
    }
  },
});

function navigate(route: Route): void {
  const hash = routeHash(route);
  if (location.hash === hash) {
    renderRoute();
  } else {
    location.hash = hash;
  }
}

function renderRoute(): void {
  stopView?.();
  stopView = undefined;
  const route = parseRoute(location.hash);
  for (const item of topbar.querySelectorAll<HTMLAnchorElement>('nav a')) {
    const current =
      item.dataset.view === route.view ||
      (route.view === 'trace' && item.dataset.view === 'deliveries') ||
      (route.view === 'subscription' && item.dataset.view === 'subscriptions');
    item.classList.toggle('current', current);
    if (current) {
      item.setAttribute('aria-current', 'page');
    } else {
      item.removeAttribute('aria-current');
    }
  }
  const context = <R extends Route>(of: R): ViewContext<R> => ({ api, route: of, navigate });
  let stop: (() => void) | void;
  switch (route.view) {
    case 'overview':
      stop = overviewView(main, context(route));
      break;
    case 'subscriptions':
      stop = subscriptionsView(main, context(route));
      break;
    case 'subscription':
      stop = subscriptionDetailView(main, context(route));
      break;
    case 'deliveries':
      stop = deliveriesView(main, context(route));
      break;
    case 'trace':
      stop = traceView(main, context(route));
      break;
    case 'deadletters':
      stop = deadLettersView(main, context(route));
      break;
  }
  stopView = stop ?? undefined;
}

function run(): void {
  topbar.hidden = false;
  logout.hidden = !loginRequired;
  window.addEventListener('hashchange', renderRoute);
  renderRoute();
}

function askForToken(reason?: string): void {
  stopView?.();
  stopView = undefined;
  session.clear();
  window.removeEventListener('hashchange', renderRoute);
  topbar.hidden = true;
  showLogin(
    main,
    (token) => {
      session.save(token);
      run();
    },
    reason,
  );
}

async function start(): Promise<void> {
  const mode = await callApi('GET', 'dashboard/auth.json', { token: undefined });
  loginRequired = !(
    typeof mode.body === 'object' &&
    mode.body !== null &&
    (mode.body as { login_required?: unknown }).login_required === false
  );
  if (!loginRequired) {
    show(
      banner,
      notice('info', [
        'Authentication is off (API_INSECURE_NO_AUTH=true): anyone who reaches this port can use the API.',
      ]),
    );
  }
  logout.addEventListener('click', () => askForToken('Logged out.'));
  if (loginRequired && session.token() === undefined) {
    askForToken();
  } else {
    run();
  }
}

start().catch((error: unknown) => {
  show(
    main,
    el(
      'div',
      { class: 'login' },
      notice('error', [
        `The dashboard cannot start: ${error instanceof Error ? error.message : String(error)}`,
      ]),
    ),
  );
});

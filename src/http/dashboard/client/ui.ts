import { ApiFailure } from './api.js';
import { type Child, el, show } from './dom.js';

/** Small building blocks shared by the views: tables, badges, notices and buttons that run an action. */

export interface Column<T> {
  title: string;
  cell: (row: T) => Child;
  class?: string;
}

export function table<T>(
  columns: readonly Column<T>[],
  rows: readonly T[],
  options: { empty?: string; rowAttrs?: (row: T) => Record<string, string>; class?: string } = {},
): HTMLTableElement {
  const head = el(
    'thead',
    {},
    el(
      'tr',
      {},
      ...columns.map((column) => el('th', { class: column.class, attrs: { scope: 'col' } }, column.title)),
    ),
  );
  const body = el(
    'tbody',
    {},
    ...(rows.length === 0
      ? [
          el(
            'tr',
            {},
            el('td', { class: 'empty', attrs: { colspan: columns.length } }, options.empty ?? 'Nothing yet.'),
          ),
        ]
      : rows.map((row) =>
          el(
            'tr',
            { attrs: options.rowAttrs?.(row) ?? {} },
            ...columns.map((column) =>
              el('td', column.class === undefined ? {} : { class: column.class }, column.cell(row)),
            ),
          ),
        )),
  );
  return el('table', { class: options.class ?? 'grid' }, head, body);
}

export function badge(ok: boolean, okText = 'success', failedText = 'failed'): HTMLElement {
  return el('span', { class: `badge ${ok ? 'badge-ok' : 'badge-failed'}` }, ok ? okText : failedText);
}

export function link(hash: string, ...children: Child[]): HTMLAnchorElement {
  return el('a', { attrs: { href: hash } }, ...children);
}

/** The lines an error should show: the API's rendered messages, or the error's own. */
export function errorLines(error: unknown): readonly string[] {
  if (error instanceof ApiFailure) {
    return error.lines;
  }
  return [error instanceof Error ? error.message : String(error)];
}

/** A notice box: `alert` for errors (read out by screen readers), `status` for news. */
export function notice(kind: 'error' | 'info' | 'success', lines: readonly string[]): HTMLElement {
  const box = el('div', {
    class: `notice notice-${kind}`,
    attrs: { role: kind === 'error' ? 'alert' : 'status' },
  });
  if (lines.length === 1) {
    box.append(el('p', {}, lines[0]));
  } else {
    box.append(el('ul', {}, ...lines.map((line) => el('li', {}, line))));
  }
  return box;
}

/** Shows an error in `place` (replacing what was there). */
export function showError(place: Element, error: unknown): void {
  show(place, notice('error', errorLines(error)));
}

interface ButtonOptions {
  /** Where an error of the action is shown (cleared when the action starts). */
  feedback: Element;
  class?: string;
  attrs?: Record<string, string>;
}

function makeButton(label: string, options: ButtonOptions): HTMLButtonElement {
  return el(
    'button',
    { class: options.class ?? 'button', attrs: { type: 'button', ...options.attrs } },
    label,
  );
}

/** Runs `action` with the button disabled meanwhile; its error goes to `feedback`. */
function runWhileDisabled(button: HTMLButtonElement, feedback: Element, action: () => Promise<void>): void {
  button.disabled = true;
  feedback.replaceChildren();
  action()
    .catch((error: unknown) => showError(feedback, error))
    .finally(() => {
      button.disabled = false;
    });
}

/** A button that runs `action` once at a time. */
export function actionButton(
  label: string,
  action: () => Promise<void>,
  options: ButtonOptions,
): HTMLButtonElement {
  const button = makeButton(label, options);
  button.addEventListener('click', () => runWhileDisabled(button, options.feedback, action));
  return button;
}

/**
 * A button for actions that are hard to undo: the first click only arms it (its label asks to
 * confirm), a second click within a few seconds runs `action`.
 */
export function confirmingButton(
  label: string,
  confirmLabel: string,
  action: () => Promise<void>,
  options: ButtonOptions,
): HTMLButtonElement {
  const button = makeButton(label, options);
  let armed: ReturnType<typeof setTimeout> | undefined;
  const disarm = () => {
    clearTimeout(armed);
    armed = undefined;
    button.textContent = label;
  };
  button.addEventListener('click', () => {
    if (armed === undefined) {
      button.textContent = confirmLabel;
      armed = setTimeout(disarm, 5000);
      return;
    }
    disarm();
    runWhileDisabled(button, options.feedback, action);
  });
  return button;
}

/**
 * "N things · page P of Q" with buttons to the neighbouring pages; `go` shows another page.
 * `labels` name the directions (the deliveries grid is newest first: "Newer" / "Older").
 */
export function pager(options: {
  summary: string;
  page: number;
  pageSize: number;
  total: number;
  go: (page: number) => void;
  labels?: { previous: string; next: string };
  testId?: string;
}): HTMLElement {
  const pages = Math.max(1, Math.ceil(options.total / options.pageSize));
  const labels = options.labels ?? { previous: 'Previous', next: 'Next' };
  const step = (to: number, label: string) =>
    el(
      'button',
      { class: 'button button-small', attrs: { type: 'button' }, on: { click: () => options.go(to) } },
      label,
    );
  return el(
    'div',
    { class: 'pager' },
    el(
      'span',
      { class: 'muted', attrs: options.testId === undefined ? {} : { 'data-testid': options.testId } },
      `${options.summary} · page ${options.page} of ${pages}`,
    ),
    options.page > 1 && step(options.page - 1, labels.previous),
    options.page < pages && step(options.page + 1, labels.next),
  );
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', { class: 'panel' }, el('h2', {}, title), ...children);
}

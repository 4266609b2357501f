/**
 * The only way the dashboard builds markup: elements are created one by one and text goes in as
 * text nodes, so payloads, response bodies and reasons (all untrusted) can never become markup.
 * There is deliberately no helper that sets innerHTML.
 */
export type Child = Node | string | number | null | undefined | false;

type Listeners = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

export interface ElementOptions {
  class?: string | undefined;
  attrs?: Readonly<Record<string, string | number | boolean | undefined>>;
  on?: Listeners;
}

/** Attributes that would run or load something: never set from here. */
const FORBIDDEN_ATTRIBUTE = /^(on|style$|srcdoc$|formaction$)/i;

function setAttributes(element: Element, attrs: ElementOptions['attrs']): void {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (FORBIDDEN_ATTRIBUTE.test(name)) {
      throw new Error(`The dashboard never sets the "${name}" attribute`);
    }
    if (
      (name === 'href' || name === 'src') &&
      typeof value === 'string' &&
      !/^(#|[a-z0-9_./-]+$)/i.test(value)
    ) {
      throw new Error(`Only in-page and relative links are allowed, not "${value}"`);
    }
    if (value === false || value === undefined) {
      continue;
    }
    element.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.class !== undefined) {
    element.className = options.class;
  }
  setAttributes(element, options.attrs);
  for (const [type, listener] of Object.entries(options.on ?? {})) {
    element.addEventListener(type, listener as EventListener);
  }
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element; numbers are written as attributes, text children as text nodes. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string | number>> = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attrs);
  append(element, children);
  return element;
}

/** Replaces everything inside `parent`. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

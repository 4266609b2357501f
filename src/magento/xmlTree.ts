import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { SidecarError } from '../shared/index.js';

/**
 * A small, ordered element tree of a Magento config file. The parsers check the upstream XSD rules
 * against it; fast-xml-parser's default object output loses document order and turns a lone child
 * into a scalar, so we parse with `preserveOrder` and normalise here once instead of in every
 * parser.
 */
export interface XmlElement {
  name: string;
  /** Attribute values as written (entities decoded), including `xmlns:*` and `xsi:*`. */
  attributes: Readonly<Record<string, string>>;
  /** Child elements in document order. */
  children: readonly XmlElement[];
  /** The element's own text, trimmed; text between child elements is joined with a space. */
  text: string;
}

const TEXT_KEY = '#text';
const ATTRIBUTES_KEY = ':@';

// Strings stay strings (an event name "1.0" or a method "get" must not become a number) and
// declarations, processing instructions and comments are dropped.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type OrderedNode = Record<string, unknown>;

/**
 * Checks that `xml` is well-formed and has exactly one root element, and returns that root.
 * Throws `SC_ERR_XML_INVALID` naming `file` and, for well-formedness errors, the line and column.
 */
export function parseXmlTree(xml: string, file: string): XmlElement {
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    const where = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    throw new SidecarError('SC_ERR_XML_INVALID', `${file}: not well-formed XML at ${where}: ${msg}`);
  }
  const roots = toElements(parser.parse(xml) as unknown);
  // The validator accepts several top-level elements; XML (and Magento's DOM loader) does not.
  if (roots.length !== 1) {
    throw new SidecarError(
      'SC_ERR_XML_INVALID',
      `${file}: expected exactly one root element, found ${roots.length}` +
        (roots.length > 0 ? ` (${roots.map((root) => `<${root.name}>`).join(', ')})` : ''),
    );
  }
  return roots[0] as XmlElement;
}

function toElements(nodes: unknown): XmlElement[] {
  if (!Array.isArray(nodes)) {
    return [];
  }
  const elements: XmlElement[] = [];
  for (const node of nodes as unknown[]) {
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    const element = toElement(node as OrderedNode);
    if (element !== undefined) {
      elements.push(element);
    }
  }
  return elements;
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ATTRIBUTES_KEY && key !== TEXT_KEY);
  if (name === undefined) {
    return undefined;
  }
  const content = Array.isArray(node[name]) ? (node[name] as unknown[]) : [];
  const texts: string[] = [];
  for (const child of content) {
    if (typeof child === 'object' && child !== null && TEXT_KEY in child) {
      texts.push(String((child as OrderedNode)[TEXT_KEY]));
    }
  }
  return {
    name,
    attributes: toAttributes(node[ATTRIBUTES_KEY]),
    children: toElements(content),
    text: texts.join(' ').trim(),
  };
}

function toAttributes(raw: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (typeof raw === 'object' && raw !== null) {
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      attributes[key] = String(value);
    }
  }
  return attributes;
}

/** True for namespace declarations and `xsi:` attributes, which every Magento config file may carry. */
export function isXmlNamespaceAttribute(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:');
}

/** Attribute names of `element` that `allowed` does not list (namespace attributes are always allowed). */
export function unexpectedAttributes(element: XmlElement, allowed: readonly string[]): string[] {
  return Object.keys(element.attributes).filter(
    (name) => !allowed.includes(name) && !isXmlNamespaceAttribute(name),
  );
}

/** One `SC_ERR_XML_INVALID` error listing every problem found in `file`, one per line. */
export function xmlProblemsError(file: string, problems: readonly string[]): SidecarError {
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return new SidecarError(
    'SC_ERR_XML_INVALID',
    `${file}: ${problems.length} ${noun}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
  );
}

/**
 * Reads a `<service class="…" method="…"/>` element, the same in async_events.xml and webapi.xml:
 * the class without its leading backslash, problems recorded under `named`. Upstream's Converter
 * rejects an empty class or method even though the XSD allows it.
 */
export function readServiceElement(
  element: XmlElement,
  named: string,
  problems: string[],
  options: { requireEmpty: boolean },
): { serviceClass: string; serviceMethod: string } | undefined {
  const serviceClass = (element.attributes['class'] ?? '').trim().replace(/^\\+/, '');
  const serviceMethod = (element.attributes['method'] ?? '').trim();
  if (serviceClass === '') {
    problems.push(`${named}: <service> attribute class is required and must not be empty`);
  }
  if (serviceMethod === '') {
    problems.push(`${named}: <service> attribute method is required and must not be empty`);
  }
  for (const attribute of unexpectedAttributes(element, ['class', 'method'])) {
    problems.push(`${named}: <service> has unexpected attribute ${attribute}`);
  }
  if (options.requireEmpty && (element.children.length > 0 || element.text !== '')) {
    problems.push(`${named}: <service> must be empty`);
  }
  return serviceClass === '' || serviceMethod === '' ? undefined : { serviceClass, serviceMethod };
}

import {
  parseXmlTree,
  readServiceElement,
  unexpectedAttributes,
  type XmlElement,
  xmlProblemsError,
} from './xmlTree.js';

/** One `<async_event>` of an `async_events.xml` file, as upstream's Converter reads it. */
export interface AsyncEventDefinition {
  /** The name lower-cased, as upstream's Converter keys it (`mb_strtolower`); trigger messages match it. */
  name: string;
  /** The name exactly as written in the file. */
  declaredName: string;
  /** PHP class or interface of the service, without a leading backslash. */
  serviceClass: string;
  serviceMethod: string;
  /** ACL resources from `<resources>`, in file order; empty when the element is absent. */
  resources: string[];
  /** The file that declared it. */
  file: string;
}

/** The XSD's `eventName` type: `[a-zA-Z0-9._-]+` (XSD patterns are implicitly anchored). */
export const EVENT_NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;

/**
 * Parses one `async_events.xml` and enforces the rules of upstream's `async_events.xsd` (which
 * Magento itself only checks in developer mode): root `<config>` holding only `<async_event name>`
 * elements, each with exactly one `<service class method/>` followed by at most one `<resources>` of
 * one or more `<resource>` texts; names match {@link EVENT_NAME_PATTERN} and are unique in the file.
 *
 * Every problem in the file is collected, so an operator fixes them in one pass; they are thrown
 * together as one `SC_ERR_XML_INVALID` error naming `file`.
 */
export function parseAsyncEventsXml(xml: string, file: string): AsyncEventDefinition[] {
  const root = parseXmlTree(xml, file);
  if (root.name !== 'config') {
    throw xmlProblemsError(file, [`root element is <${root.name}>, expected <config>`]);
  }
  const problems: string[] = [];
  if (root.text !== '') {
    problems.push('<config> contains text; only <async_event> elements are allowed');
  }
  const definitions: AsyncEventDefinition[] = [];
  // XSD `xs:unique` compares the attribute exactly, so "Foo" and "foo" are not duplicates here
  // (upstream's Converter then keeps the later one); keyed by the declared name.
  const firstIndexByName = new Map<string, number>();
  root.children.forEach((element, index) => {
    const label = `<async_event> #${index + 1}`;
    if (element.name !== 'async_event') {
      problems.push(`unexpected element <${element.name}> in <config> (position ${index + 1})`);
      return;
    }
    const definition = readAsyncEvent(element, label, file, problems);
    if (definition === undefined) {
      return;
    }
    const firstIndex = firstIndexByName.get(definition.declaredName);
    if (firstIndex !== undefined) {
      problems.push(
        `${label}: duplicate name "${definition.declaredName}" (first declared by #${firstIndex + 1})`,
      );
      return;
    }
    firstIndexByName.set(definition.declaredName, index);
    definitions.push(definition);
  });
  if (problems.length > 0) {
    throw xmlProblemsError(file, problems);
  }
  return definitions;
}

function readAsyncEvent(
  element: XmlElement,
  label: string,
  file: string,
  problems: string[],
): AsyncEventDefinition | undefined {
  const before = problems.length;
  const declaredName = element.attributes['name'];
  const named = declaredName === undefined ? label : `${label} "${declaredName}"`;
  if (declaredName === undefined || declaredName === '') {
    problems.push(`${label}: attribute name is required`);
  } else if (!EVENT_NAME_PATTERN.test(declaredName)) {
    problems.push(`${named}: name must match [a-zA-Z0-9._-]+`);
  }
  for (const attribute of unexpectedAttributes(element, ['name'])) {
    problems.push(`${named}: unexpected attribute ${attribute}`);
  }
  if (element.text !== '') {
    problems.push(`${named}: contains text; only <service> and <resources> are allowed`);
  }

  const services = element.children.filter((child) => child.name === 'service');
  const resourceLists = element.children.filter((child) => child.name === 'resources');
  for (const child of element.children) {
    if (child.name !== 'service' && child.name !== 'resources') {
      problems.push(`${named}: unexpected element <${child.name}>`);
    }
  }
  if (services.length !== 1) {
    problems.push(`${named}: exactly one <service> is required, found ${services.length}`);
  }
  if (resourceLists.length > 1) {
    problems.push(`${named}: at most one <resources> is allowed, found ${resourceLists.length}`);
  }
  const serviceIndex = element.children.findIndex((child) => child.name === 'service');
  const resourcesIndex = element.children.findIndex((child) => child.name === 'resources');
  if (serviceIndex !== -1 && resourcesIndex !== -1 && resourcesIndex < serviceIndex) {
    problems.push(`${named}: <service> must come before <resources>`);
  }

  const service =
    services[0] === undefined
      ? undefined
      : readServiceElement(services[0], named, problems, { requireEmpty: true });
  const resources = resourceLists[0] === undefined ? [] : readResources(resourceLists[0], named, problems);
  if (problems.length > before || service === undefined || declaredName === undefined) {
    return undefined;
  }
  return { name: declaredName.toLowerCase(), declaredName, ...service, resources, file };
}

function readResources(element: XmlElement, named: string, problems: string[]): string[] {
  const resources: string[] = [];
  if (element.children.length === 0) {
    problems.push(`${named}: <resources> needs at least one <resource>`);
  }
  if (element.text !== '') {
    problems.push(`${named}: <resources> contains text; put each ACL resource in a <resource>`);
  }
  element.children.forEach((child, index) => {
    if (child.name !== 'resource') {
      problems.push(`${named}: unexpected element <${child.name}> in <resources>`);
    } else if (child.text === '') {
      problems.push(
        `${named}: <resource> #${index + 1} is empty; write an ACL id such as Magento_Sales::sales`,
      );
    } else {
      resources.push(child.text);
    }
  });
  return resources;
}

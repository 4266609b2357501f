import {
  parseXmlTree,
  readServiceElement,
  unexpectedAttributes,
  type XmlElement,
  xmlProblemsError,
} from './xmlTree.js';

/** A `<data><parameter>` of a route: Magento puts `value` into the service input. */
export interface WebapiRouteParameter {
  name: string;
  /** The text content; the literal text `null` becomes `null`, as in Magento's Converter. */
  value: string | null;
  /** When true Magento overrides the caller's input with `value` (e.g. `%customer_id%` for `/me`). */
  force: boolean;
}

/** One `<route>` of a `webapi.xml` file. */
export interface WebapiRoute {
  /** As declared, trimmed, e.g. `/V1/orders/:id`. */
  url: string;
  httpMethod: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** PHP interface of the service, without a leading backslash. */
  serviceClass: string;
  serviceMethod: string;
  /** ACL resource refs, e.g. `Magento_Sales::actions_view`, `self` or `anonymous`. */
  resources: string[];
  parameters: WebapiRouteParameter[];
  /** `secure="…"`, cast as PHP casts the attribute text (see {@link phpBool}). */
  secure: boolean;
  file: string;
}

const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE'] as const;
const XSD_BOOLEANS = ['true', 'false', '1', '0'];

/**
 * PHP's `(bool)` of an attribute text, which is what Magento's Converter applies to `force` and
 * `secure`. Beware: `(bool)"false"` is `true`, so `force="false"` forces the value in Magento too.
 */
export function phpBool(text: string | undefined): boolean {
  return text !== undefined && text !== '' && text !== '0';
}

/**
 * Parses one `webapi.xml` and enforces Magento's `webapi.xsd`: root `<routes>` of `<route url method
 * [secure] [soapOperation]>`, each with one `<service class method/>`, one `<resources>` of one or
 * more `<resource ref/>` and at most one `<data>` of `<parameter name [force]>value</parameter>`.
 * All problems are thrown together as one `SC_ERR_XML_INVALID` error naming `file`.
 */
export function parseWebapiXml(xml: string, file: string): WebapiRoute[] {
  const root = parseXmlTree(xml, file);
  if (root.name !== 'routes') {
    throw xmlProblemsError(file, [`root element is <${root.name}>, expected <routes>`]);
  }
  const problems: string[] = [];
  const routes: WebapiRoute[] = [];
  root.children.forEach((element, index) => {
    if (element.name !== 'route') {
      problems.push(`unexpected element <${element.name}> in <routes> (position ${index + 1})`);
      return;
    }
    const route = readRoute(element, `<route> #${index + 1}`, file, problems);
    if (route !== undefined) {
      routes.push(route);
    }
  });
  if (problems.length > 0) {
    throw xmlProblemsError(file, problems);
  }
  return routes;
}

function readRoute(
  element: XmlElement,
  label: string,
  file: string,
  problems: string[],
): WebapiRoute | undefined {
  const before = problems.length;
  const url = (element.attributes['url'] ?? '').trim();
  const method = element.attributes['method'] ?? '';
  const named = url === '' ? label : `${label} ${method} ${url}`;
  if (url === '') {
    problems.push(`${label}: attribute url is required and must not be empty`);
  }
  const httpMethod = HTTP_METHODS.find((candidate) => candidate === method);
  if (httpMethod === undefined) {
    problems.push(`${named}: attribute method must be one of ${HTTP_METHODS.join(', ')} (found "${method}")`);
  }
  const secure = element.attributes['secure'];
  if (secure !== undefined && !XSD_BOOLEANS.includes(secure.trim())) {
    problems.push(`${named}: attribute secure must be true, false, 1 or 0`);
  }
  for (const attribute of unexpectedAttributes(element, ['url', 'method', 'secure', 'soapOperation'])) {
    problems.push(`${named}: unexpected attribute ${attribute}`);
  }

  const byName = (name: string): XmlElement[] => element.children.filter((child) => child.name === name);
  for (const child of element.children) {
    if (!['service', 'resources', 'data'].includes(child.name)) {
      problems.push(`${named}: unexpected element <${child.name}>`);
    }
  }
  const [services, resourceLists, dataLists] = [byName('service'), byName('resources'), byName('data')];
  if (services.length !== 1) {
    problems.push(`${named}: exactly one <service> is required, found ${services.length}`);
  }
  if (resourceLists.length !== 1) {
    problems.push(`${named}: exactly one <resources> is required, found ${resourceLists.length}`);
  }
  if (dataLists.length > 1) {
    problems.push(`${named}: at most one <data> is allowed, found ${dataLists.length}`);
  }
  const service =
    services[0] === undefined
      ? undefined
      : readServiceElement(services[0], named, problems, { requireEmpty: false });
  const resources = resourceLists[0] === undefined ? [] : readResources(resourceLists[0], named, problems);
  const parameters = dataLists[0] === undefined ? [] : readParameters(dataLists[0], named, problems);
  if (problems.length > before || service === undefined || httpMethod === undefined) {
    return undefined;
  }
  return { url, httpMethod, ...service, resources, parameters, secure: phpBool(secure?.trim()), file };
}

function readResources(element: XmlElement, named: string, problems: string[]): string[] {
  if (element.children.length === 0) {
    problems.push(`${named}: <resources> needs at least one <resource ref="…"/>`);
  }
  const resources: string[] = [];
  for (const child of element.children) {
    const ref = (child.attributes['ref'] ?? '').trim();
    if (child.name !== 'resource') {
      problems.push(`${named}: unexpected element <${child.name}> in <resources>`);
    } else if (ref === '') {
      problems.push(`${named}: <resource> attribute ref is required and must not be empty`);
    } else {
      resources.push(ref);
    }
  }
  return resources;
}

function readParameters(element: XmlElement, named: string, problems: string[]): WebapiRouteParameter[] {
  const parameters: WebapiRouteParameter[] = [];
  for (const child of element.children) {
    const name = (child.attributes['name'] ?? '').trim();
    const force = child.attributes['force'];
    if (child.name !== 'parameter') {
      problems.push(`${named}: unexpected element <${child.name}> in <data>`);
    } else if (name === '') {
      problems.push(`${named}: <parameter> attribute name is required and must not be empty`);
    } else if (force !== undefined && !XSD_BOOLEANS.includes(force.trim())) {
      problems.push(`${named}: <parameter name="${name}"> attribute force must be true, false, 1 or 0`);
    } else {
      parameters.push({ name, value: child.text === 'null' ? null : child.text, force: phpBool(force) });
    }
  }
  return parameters;
}

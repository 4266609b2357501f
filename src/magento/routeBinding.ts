import { buildPhpQuery } from './phpQuery.js';
import { serviceKey } from './serviceAliases.js';
import type { WebapiRoute } from './webapiXml.js';

/** A GET route that can serve a service method, with the `:name` placeholders of its url in order. */
export interface RouteCandidate {
  route: WebapiRoute;
  placeholders: string[];
}

/** The outcome of binding published arguments to the candidates of one service method. */
export type BindResult =
  | {
      ok: true;
      /** Path and query below the REST prefix, e.g. `/V1/orders/5?storeId=1`. */
      path: string;
      route: WebapiRoute;
    }
  | { ok: false; reason: string };

// These routes act for the caller (`self` = the customer of a customer token, `anonymous` = no
// token); with the sidecar's integration token they would not return the record the event is about.
const CALLER_BOUND_RESOURCES = new Set(['self', 'anonymous']);

/** The `:name` segments of a route url, e.g. `['customerId']` for `/V1/customers/:customerId`. */
export function routePlaceholders(url: string): string[] {
  return url
    .split('/')
    .filter((segment) => segment.startsWith(':') && segment.length > 1)
    .map((segment) => segment.slice(1));
}

/**
 * The routes that can resolve `serviceClass::serviceMethod`, in declaration order: `GET` routes of
 * that method (PHP names compared case-insensitively, leading backslash ignored), except routes for
 * `self`/`anonymous` callers and routes with a forced parameter, whose value Magento would take from
 * the caller's token (`%customer_id%`) instead of from the event.
 */
export function findRouteCandidates(
  serviceClass: string,
  serviceMethod: string,
  routes: readonly WebapiRoute[],
): RouteCandidate[] {
  const wanted = serviceKey({ serviceClass, serviceMethod });
  return routes
    .filter((route) => route.httpMethod === 'GET' && serviceKey(route) === wanted)
    .filter((route) => !route.resources.some(isCallerBoundResource))
    .filter((route) => !route.parameters.some((parameter) => parameter.force))
    .map((route) => ({ route, placeholders: routePlaceholders(route.url) }));
}

function isCallerBoundResource(ref: string): boolean {
  // A ref may list several resources ("A, B"), as webapi.xsd allows.
  return ref.split(',').some((part) => CALLER_BOUND_RESOURCES.has(part.trim().toLowerCase()));
}

/** `customerId`, `customer_id` and `CustomerID` all match: Magento accepts camelCase and snake_case. */
function normaliseName(name: string): string {
  return name.replaceAll('_', '').toLowerCase();
}

interface Binding {
  path: string;
  boundCount: number;
  queryCount: number;
}

/**
 * Binds published arguments to the best usable candidate. Placeholders take arguments of the same
 * name (an exact name first, then camelCase/snake_case equivalents), URL-encoded; the other arguments
 * become the query in PHP bracket syntax. A candidate is usable when every placeholder binds to a
 * non-empty string or a finite number. Preference: most placeholders bound, then fewest query
 * parameters, then declaration order.
 */
export function bindRoute(
  candidates: readonly RouteCandidate[],
  args: Readonly<Record<string, unknown>>,
): BindResult {
  const available = Object.keys(args);
  if (candidates.length === 0) {
    return {
      ok: false,
      reason: 'no usable GET route (none without self/anonymous resources or forced parameters)',
    };
  }
  let best: { binding: Binding; route: WebapiRoute } | undefined;
  const failures: string[] = [];
  for (const candidate of candidates) {
    const result = bindCandidate(candidate, args);
    if (typeof result === 'string') {
      failures.push(`GET ${candidate.route.url}: ${result}`);
    } else if (best === undefined || isBetter(result, best.binding)) {
      best = { binding: result, route: candidate.route };
    }
  }
  if (best === undefined) {
    const names = available.length === 0 ? 'none' : available.join(', ');
    return { ok: false, reason: `${failures.join('; ')} (available arguments: ${names})` };
  }
  return { ok: true, path: best.binding.path, route: best.route };
}

function isBetter(candidate: Binding, current: Binding): boolean {
  if (candidate.boundCount !== current.boundCount) {
    return candidate.boundCount > current.boundCount;
  }
  // Equal query counts keep the earlier candidate: declaration order breaks the tie.
  return candidate.queryCount < current.queryCount;
}

/** The binding, or why the candidate cannot be used. */
function bindCandidate(candidate: RouteCandidate, args: Readonly<Record<string, unknown>>): Binding | string {
  const used = new Set<string>();
  const problems: string[] = [];
  const segments = candidate.route.url.split('/').map((segment) => {
    if (!segment.startsWith(':') || segment.length === 1) {
      return segment;
    }
    const placeholder = segment.slice(1);
    const argName = findArgument(placeholder, args);
    if (argName === undefined) {
      problems.push(`placeholder :${placeholder} has no matching argument`);
      return segment;
    }
    const value = args[argName];
    const problem = pathValueProblem(value);
    if (problem !== undefined) {
      problems.push(`placeholder :${placeholder} cannot take argument "${argName}": ${problem}`);
      return segment;
    }
    used.add(argName);
    return encodeURIComponent(String(value));
  });
  if (problems.length > 0) {
    return problems.join(', ');
  }
  const rest = Object.fromEntries(Object.entries(args).filter(([name]) => !used.has(name)));
  const query = buildPhpQuery(rest);
  return {
    path: query === '' ? segments.join('/') : `${segments.join('/')}?${query}`,
    boundCount: used.size,
    queryCount: Object.values(rest).filter((value) => value !== null && value !== undefined).length,
  };
}

function findArgument(placeholder: string, args: Readonly<Record<string, unknown>>): string | undefined {
  if (Object.hasOwn(args, placeholder)) {
    return placeholder;
  }
  const wanted = normaliseName(placeholder);
  return Object.keys(args).find((name) => normaliseName(name) === wanted);
}

function pathValueProblem(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value === '' ? 'it is an empty string' : undefined;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : 'it is not a finite number';
  }
  // PHP would cast true to "1" and false/null to "", which silently names another record or none.
  return `it is ${describeKind(value)}; a path segment needs a string or a number`;
}

function describeKind(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

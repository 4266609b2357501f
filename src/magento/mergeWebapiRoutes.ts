import type { WebapiRoute, WebapiRouteParameter } from './webapiXml.js';

/**
 * Merges routes from every webapi.xml the way Magento's config reader does, so a module that
 * redeclares a core route (same `url` and `method`, its merge id) changes that route instead of
 * adding a second one: the later declaration's service, `secure` and file win, `<resource ref>`s are
 * united (merge id `ref`), and `<parameter>`s are merged by `name`, later winning.
 *
 * `routes` must be in merge order (files in load order, routes in file order). The result keeps the
 * position of each route's first declaration, so declaration order stays meaningful for tie-breaks.
 *
 * Approximation: Magento's DOM merge keeps an attribute the later element omits (e.g. `force`); we
 * take the later element as parsed, which only differs for files that rely on that subtlety.
 */
export function mergeWebapiRoutes(routes: readonly WebapiRoute[]): WebapiRoute[] {
  const merged = new Map<string, WebapiRoute>();
  for (const route of routes) {
    const key = `${route.httpMethod} ${route.url}`;
    const earlier = merged.get(key);
    merged.set(key, earlier === undefined ? route : mergeRoute(earlier, route));
  }
  return [...merged.values()];
}

function mergeRoute(earlier: WebapiRoute, later: WebapiRoute): WebapiRoute {
  const resources = [...earlier.resources];
  for (const resource of later.resources) {
    if (!resources.includes(resource)) {
      resources.push(resource);
    }
  }
  const parameters = new Map<string, WebapiRouteParameter>();
  for (const parameter of [...earlier.parameters, ...later.parameters]) {
    parameters.set(parameter.name, parameter);
  }
  return { ...later, resources, parameters: [...parameters.values()] };
}

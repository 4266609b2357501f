// Public surface of the Magento folder: config discovery, the event catalog and REST route binding.
export { type AsyncEventDefinition, EVENT_NAME_PATTERN, parseAsyncEventsXml } from './asyncEventsXml.js';
export {
  buildEventCatalog,
  type CatalogEvent,
  type CatalogInputs,
  type CatalogProblem,
  type CatalogSource,
  type EventCatalog,
  loadEventCatalog,
  type LoadEventCatalogOptions,
  MODULE_RESOLVE_ROUTE,
  type Resolution,
  type ResolveStrategy,
} from './catalog.js';
export { loadConfiguredCatalog } from './catalogFromConfig.js';
export { decryptMagentoValue, encryptMagentoValue, type MagentoKeyring, parseCryptKeys } from './crypto.js';
export {
  ASYNC_EVENTS_FILE_NAME,
  discoverConfigFiles,
  type DiscoveredConfigFiles,
  type DiscoverOptions,
  MAX_SEARCH_DEPTH,
  WEBAPI_FILE_NAME,
} from './discover.js';
export { renderMagentoError } from './magentoError.js';
export { mergeWebapiRoutes } from './mergeWebapiRoutes.js';
export { makeModuleResolver, type ModuleResolver, type ModuleResolveRequest } from './moduleResolver.js';
export {
  makePayloadResolver,
  type PayloadResolver,
  type PayloadResolverOptions,
  type ResolveObserver,
} from './payloadResolver.js';
export { buildPhpQuery } from './phpQuery.js';
export { type ResolveOutcome } from './resolveOutcome.js';
export {
  type MagentoRestClient,
  type MagentoRestClientOptions,
  makeMagentoRestClient,
  type RestResponse,
} from './restClient.js';
export {
  type BindResult,
  bindRoute,
  findRouteCandidates,
  type RouteCandidate,
  routePlaceholders,
} from './routeBinding.js';
export {
  BUILT_IN_SERVICE_ALIASES,
  makeServiceAliasTable,
  parseServiceAliases,
  type ResolvedService,
  resolveServiceAlias,
  type ServiceAlias,
  type ServiceAliasTable,
  serviceKey,
  type ServiceRef,
} from './serviceAliases.js';
export { type MagentoTokenCheckerOptions, makeMagentoTokenChecker } from './tokenChecker.js';
export { parseWebapiXml, phpBool, type WebapiRoute, type WebapiRouteParameter } from './webapiXml.js';

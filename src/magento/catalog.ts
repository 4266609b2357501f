import { readFile } from 'node:fs/promises';

import type { ResolveStrategy } from '../config/index.js';
import { coerceError } from '../shared/index.js';
import { type AsyncEventDefinition, parseAsyncEventsXml } from './asyncEventsXml.js';
import { discoverConfigFiles, type DiscoverOptions } from './discover.js';
import { mergeWebapiRoutes } from './mergeWebapiRoutes.js';
import { findRouteCandidates, type RouteCandidate } from './routeBinding.js';
import {
  makeServiceAliasTable,
  type ResolvedService,
  resolveServiceAlias,
  type ServiceAlias,
} from './serviceAliases.js';
import { parseWebapiXml, type WebapiRoute } from './webapiXml.js';

/** An event of the merged catalog and the REST routes that can resolve its payload. */
export interface CatalogEvent {
  /** The winning declaration (the last file that declared the lower-cased name). */
  definition: AsyncEventDefinition;
  /** Files whose declarations of the same name were overridden, in merge order. */
  overriddenFiles: string[];
  /** The service method whose REST route resolves the payload, after built-in and operator aliases. */
  resolvedService: ResolvedService;
  /** Usable GET routes of `resolvedService`, in declaration order. */
  candidates: RouteCandidate[];
  /**
   * How its payload is resolved: `direct` through one of `candidates`, `module` through the batch
   * resolve route of the thin MageOS_AsyncEvents module, `none` when neither is possible (a
   * `no-route` problem).
   */
  resolution: Resolution;
}

export type Resolution = 'direct' | 'module' | 'none';

export type { ResolveStrategy };

/** The batch route of the thin module (magento-module/etc/webapi.xml). */
export const MODULE_RESOLVE_ROUTE = { httpMethod: 'POST', url: '/V1/async_events/resolve' } as const;

export interface CatalogProblem {
  /**
   * `invalid-file`: a file failed to read or validate and was skipped. `no-route`: the event cannot
   * be resolved (see {@link CatalogEvent.resolution}). `no-module-route`: the module route is forced
   * but not declared.
   */
  kind: 'invalid-file' | 'no-route' | 'no-module-route';
  file?: string;
  eventName?: string;
  message: string;
}

/** Every known async event by lower-cased name, plus what went wrong while loading it. */
export interface EventCatalog {
  events: ReadonlyMap<string, CatalogEvent>;
  /** The event of `eventName`, matched lower-cased as upstream matches trigger messages. */
  get(eventName: string): CatalogEvent | undefined;
  /** Every file considered, in merge order, including invalid ones. */
  files: { asyncEvents: string[]; webapi: string[] };
  /** All routes of the valid webapi.xml files, merged as Magento merges them. */
  routes: readonly WebapiRoute[];
  /** Whether a webapi.xml declares {@link MODULE_RESOLVE_ROUTE} (the thin module is installed). */
  moduleRoute: boolean;
  problems: CatalogProblem[];
}

/** The text of one config file, or why it could not be read. */
export type CatalogSource = { file: string; xml: string } | { file: string; error: Error };

export interface CatalogInputs {
  /** async_events.xml files in merge order: later files win. */
  asyncEvents: readonly CatalogSource[];
  /** webapi.xml files in merge order. */
  webapi: readonly CatalogSource[];
  /** Operator aliases, applied on top of the built-in ones. @default [] */
  serviceAliases?: readonly ServiceAlias[];
  /** @default 'auto' */
  resolveStrategy?: ResolveStrategy;
}

export interface LoadEventCatalogOptions extends DiscoverOptions {
  /** Operator aliases (see `parseServiceAliases`), applied on top of the built-in ones. @default [] */
  serviceAliases?: readonly ServiceAlias[];
  /** @default 'auto' */
  resolveStrategy?: ResolveStrategy;
}

/**
 * Discovers and reads every async_events.xml and webapi.xml (see `discoverConfigFiles`) and builds
 * the catalog. A file that cannot be read or is invalid becomes a problem and the others still
 * load; only a missing root or extra path throws (`SC_ERR_CONFIG`).
 */
export async function loadEventCatalog(options: LoadEventCatalogOptions): Promise<EventCatalog> {
  const files = await discoverConfigFiles(options);
  const [asyncEvents, webapi] = await Promise.all([
    readSources(files.asyncEvents),
    readSources(files.webapi),
  ]);
  return buildEventCatalog({
    asyncEvents,
    webapi,
    serviceAliases: options.serviceAliases ?? [],
    resolveStrategy: options.resolveStrategy ?? 'auto',
  });
}

async function readSources(files: readonly string[]): Promise<CatalogSource[]> {
  return Promise.all(
    files.map(async (file): Promise<CatalogSource> => {
      try {
        return { file, xml: await readFile(file, 'utf8') };
      } catch (e: unknown) {
        return { file, error: coerceError(e) };
      }
    }),
  );
}

/** The catalog of already-read files: parse, merge by lower-cased name, resolve aliases and routes. Pure. */
export function buildEventCatalog(inputs: CatalogInputs): EventCatalog {
  const problems: CatalogProblem[] = [];
  const routes = mergeWebapiRoutes(
    inputs.webapi.flatMap((source) => parseSource(source, parseWebapiXml, problems)),
  );

  const definitions = new Map<string, { definition: AsyncEventDefinition; overriddenFiles: string[] }>();
  for (const source of inputs.asyncEvents) {
    for (const definition of parseSource(source, parseAsyncEventsXml, problems)) {
      const earlier = definitions.get(definition.name);
      const overriddenFiles =
        earlier === undefined ? [] : [...earlier.overriddenFiles, earlier.definition.file];
      definitions.set(definition.name, { definition, overriddenFiles });
    }
  }

  const strategy = inputs.resolveStrategy ?? 'auto';
  const moduleRoute = routes.some(
    (route) => route.httpMethod === MODULE_RESOLVE_ROUTE.httpMethod && route.url === MODULE_RESOLVE_ROUTE.url,
  );
  if (strategy === 'module' && !moduleRoute) {
    problems.push({
      kind: 'no-module-route',
      message:
        'RESOLVE_STRATEGY=module, but no webapi.xml declares POST /V1/async_events/resolve: install the thin ' +
        'MageOS_AsyncEvents module (magento-module/) or let MAGENTO_ROOT / ASYNC_EVENTS_PATHS reach its etc/webapi.xml.',
    });
  }
  const aliases = makeServiceAliasTable(inputs.serviceAliases);
  const events = new Map<string, CatalogEvent>();
  for (const [name, { definition, overriddenFiles }] of definitions) {
    const resolvedService = resolveServiceAlias(aliases, definition);
    const candidates = findRouteCandidates(
      resolvedService.serviceClass,
      resolvedService.serviceMethod,
      routes,
    );
    const resolution = chooseResolution(strategy, candidates.length > 0, moduleRoute);
    if (resolution === 'none') {
      problems.push(noRouteProblem(definition, resolvedService));
    }
    events.set(name, { definition, overriddenFiles, resolvedService, candidates, resolution });
  }

  return {
    events,
    get: (eventName) => events.get(eventName.toLowerCase()),
    files: {
      asyncEvents: inputs.asyncEvents.map((source) => source.file),
      webapi: inputs.webapi.map((source) => source.file),
    },
    routes,
    moduleRoute,
    problems,
  };
}

function chooseResolution(
  strategy: ResolveStrategy,
  hasDirectRoute: boolean,
  moduleRoute: boolean,
): Resolution {
  switch (strategy) {
    case 'module':
      return 'module';
    case 'direct':
      return hasDirectRoute ? 'direct' : 'none';
    case 'auto':
      if (hasDirectRoute) {
        return 'direct';
      }
      return moduleRoute ? 'module' : 'none';
  }
}

function parseSource<T>(
  source: CatalogSource,
  parse: (xml: string, file: string) => T[],
  problems: CatalogProblem[],
): T[] {
  if ('error' in source) {
    problems.push({
      kind: 'invalid-file',
      file: source.file,
      message: `${source.file}: ${source.error.message}`,
    });
    return [];
  }
  try {
    return parse(source.xml, source.file);
  } catch (e: unknown) {
    // Messages of SC_ERR_XML_INVALID already start with the file and list every problem.
    problems.push({ kind: 'invalid-file', file: source.file, message: coerceError(e).message });
    return [];
  }
}

function noRouteProblem(definition: AsyncEventDefinition, service: ResolvedService): CatalogProblem {
  const method = `${service.serviceClass}::${service.serviceMethod}`;
  const declared = `${definition.serviceClass}::${definition.serviceMethod}`;
  return {
    kind: 'no-route',
    file: definition.file,
    eventName: definition.name,
    message:
      `Event "${definition.name}" uses ${service.viaAlias ? `${method} (alias of ${declared})` : method}, ` +
      'which has no usable GET route in any webapi.xml (routes for self/anonymous callers or with ' +
      'forced parameters do not count), and no webapi.xml declares the resolve route of the thin ' +
      'MageOS_AsyncEvents module (magento-module/), which resolves any event as upstream does in PHP. ' +
      'Install that module, or add a service alias to an equivalent method that has a route.',
  };
}

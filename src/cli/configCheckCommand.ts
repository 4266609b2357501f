import { type Config, loadConfig } from '../config/index.js';
import {
  type CatalogEvent,
  type EventCatalog,
  loadConfiguredCatalog,
  MODULE_RESOLVE_ROUTE,
} from '../magento/index.js';
import { reportConfigError } from './configError.js';

export const CONFIG_CHECK_PROBLEMS_EXIT_CODE = 3;

/**
 * `config:check`: discovers and validates the XML, prints every event with its service method and
 * the REST route it resolves through; exits non-zero when a file is invalid or an event cannot be
 * resolved.
 */
export async function configCheckCommand(
  env: NodeJS.ProcessEnv,
  options: { json: boolean },
): Promise<number> {
  let config: Config;
  let catalog: EventCatalog;
  try {
    config = loadConfig(env, 'config:check');
    catalog = await loadConfiguredCatalog(config.magento);
  } catch (error: unknown) {
    const code = reportConfigError(error);
    if (code !== undefined) {
      return code;
    }
    throw error;
  }
  process.stdout.write(
    options.json ? `${JSON.stringify(toJson(catalog), null, 2)}\n` : formatReport(catalog),
  );
  return catalog.problems.length > 0 ? CONFIG_CHECK_PROBLEMS_EXIT_CODE : 0;
}

function serviceOf(event: CatalogEvent): string {
  const { serviceClass, serviceMethod } = event.definition;
  const declared = `${serviceClass}::${serviceMethod}`;
  if (!event.resolvedService.viaAlias) {
    return declared;
  }
  return `${declared} (resolved as ${event.resolvedService.serviceClass}::${event.resolvedService.serviceMethod})`;
}

function routeOf(event: CatalogEvent): string {
  switch (event.resolution) {
    case 'direct':
      return `${event.candidates.map((candidate) => `GET ${candidate.route.url}`).join(' | ')} (direct)`;
    case 'module':
      return `${MODULE_RESOLVE_ROUTE.httpMethod} ${MODULE_RESOLVE_ROUTE.url} (MageOS_AsyncEvents module, batched)`;
    case 'none':
      return 'NONE: no REST GET route, and the MageOS_AsyncEvents resolve route is not installed';
  }
}

function formatReport(catalog: EventCatalog): string {
  const lines: string[] = [];
  lines.push(
    `async_events.xml files (${catalog.files.asyncEvents.length}):`,
    ...catalog.files.asyncEvents.map((file) => `  ${file}`),
  );
  lines.push(
    `webapi.xml files (${catalog.files.webapi.length}):`,
    ...catalog.files.webapi.map((file) => `  ${file}`),
  );
  lines.push(
    `Module resolve route (${MODULE_RESOLVE_ROUTE.httpMethod} ${MODULE_RESOLVE_ROUTE.url}): ${catalog.moduleRoute ? 'declared' : 'not declared'}`,
  );
  const events = [...catalog.events.values()].sort((left, right) =>
    left.definition.name.localeCompare(right.definition.name),
  );
  lines.push('', `Events (${events.length}):`);
  for (const event of events) {
    lines.push(
      `  ${event.definition.name}`,
      `    service: ${serviceOf(event)}`,
      `    route:   ${routeOf(event)}`,
    );
    if (event.definition.resources.length > 0) {
      lines.push(`    acl:     ${event.definition.resources.join(', ')}`);
    }
  }
  lines.push('');
  if (catalog.problems.length === 0) {
    lines.push('No problems: every event resolves.');
  } else {
    lines.push(`Problems (${catalog.problems.length}):`);
    for (const problem of catalog.problems) {
      lines.push(`  [${problem.kind}] ${problem.eventName ?? problem.file ?? ''}: ${problem.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function toJson(catalog: EventCatalog): unknown {
  return {
    files: catalog.files,
    events: [...catalog.events.values()].map((event) => ({
      name: event.definition.name,
      declaredIn: event.definition.file,
      service: `${event.definition.serviceClass}::${event.definition.serviceMethod}`,
      resolvedService: `${event.resolvedService.serviceClass}::${event.resolvedService.serviceMethod}`,
      viaAlias: event.resolvedService.viaAlias,
      resolution: event.resolution,
      routes: event.candidates.map((candidate) => candidate.route.url),
      resources: event.definition.resources,
    })),
    problems: catalog.problems,
  };
}

import { SidecarError } from '../shared/index.js';

/** A PHP service method: class or interface (no leading backslash) and method name. */
export interface ServiceRef {
  serviceClass: string;
  serviceMethod: string;
}

/** Resolve payloads of `from` by calling the REST route of `to`, which returns the same data. */
export interface ServiceAlias {
  from: ServiceRef;
  to: ServiceRef;
}

/** A service method after alias resolution; `viaAlias` says whether an alias replaced it. */
export interface ResolvedService extends ServiceRef {
  viaAlias: boolean;
}

/**
 * Service methods that have no REST route but return exactly what a routed method returns.
 *
 * mageos-common-async-events publishes customer events with its own wrappers. They only exist to
 * clear the customer registry (an in-process PHP cache) before delegating to the repository, because
 * upstream resolves the payload inside the long-running consumer process, which may hold a stale
 * customer. A REST request is a fresh PHP process with an empty registry, so calling the
 * repository's route gives the same result.
 */
export const BUILT_IN_SERVICE_ALIASES: readonly ServiceAlias[] = Object.freeze([
  {
    from: {
      serviceClass: 'MageOS\\CommonAsyncEvents\\Model\\AsyncCustomerManagement',
      serviceMethod: 'getById',
    },
    to: { serviceClass: 'Magento\\Customer\\Api\\CustomerRepositoryInterface', serviceMethod: 'getById' },
  },
  {
    from: {
      serviceClass: 'MageOS\\CommonAsyncEvents\\Model\\AsyncCustomerAddressManagement',
      serviceMethod: 'getById',
    },
    to: { serviceClass: 'Magento\\Customer\\Api\\AddressRepositoryInterface', serviceMethod: 'getById' },
  },
]);

// PHP identifiers; a class may carry namespaces and one leading backslash.
const PHP_CLASS = /^\\?[A-Za-z_\x80-\uffff][\w\x80-\uffff]*(\\[A-Za-z_\x80-\uffff][\w\x80-\uffff]*)*$/;
const PHP_METHOD = /^[A-Za-z_\x80-\uffff][\w\x80-\uffff]*$/;

/**
 * The lookup key of a service method. PHP class and method names are case-insensitive and a leading
 * backslash is optional, so `\Magento\Sales\Api\OrderRepositoryInterface::GET` is the same method.
 */
export function serviceKey(ref: ServiceRef): string {
  return `${ref.serviceClass.replace(/^\\+/, '')}::${ref.serviceMethod}`.toLowerCase();
}

/**
 * Parses operator aliases written `Vendor\Class::method=Vendor\Other::method`, entries separated by
 * commas or newlines (blank entries are ignored), for an environment variable. Every bad entry is
 * reported at once in one `SC_ERR_CONFIG` error.
 */
export function parseServiceAliases(text: string): ServiceAlias[] {
  const aliases: ServiceAlias[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const entries = text.split(/[,\n\r]+/).map((entry) => entry.trim());
  for (const entry of entries.filter((candidate) => candidate !== '')) {
    const sides = entry.split('=');
    const from = sides.length === 2 ? parseServiceRef(sides[0] ?? '') : undefined;
    const to = sides.length === 2 ? parseServiceRef(sides[1] ?? '') : undefined;
    if (from === undefined || to === undefined) {
      problems.push(`"${entry}": expected Vendor\\Module\\Class::method=Vendor\\Module\\Other::method`);
    } else if (seen.has(serviceKey(from))) {
      problems.push(`"${entry}": ${from.serviceClass}::${from.serviceMethod} is aliased more than once`);
    } else if (serviceKey(from) === serviceKey(to)) {
      problems.push(`"${entry}": a method cannot be an alias of itself`);
    } else {
      seen.add(serviceKey(from));
      aliases.push({ from, to });
    }
  }
  if (problems.length > 0) {
    throw new SidecarError(
      'SC_ERR_CONFIG',
      `Invalid service aliases:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return aliases;
}

function parseServiceRef(text: string): ServiceRef | undefined {
  const parts = text.trim().split('::');
  const [serviceClass, serviceMethod] = parts;
  if (parts.length !== 2 || serviceClass === undefined || serviceMethod === undefined) {
    return undefined;
  }
  if (!PHP_CLASS.test(serviceClass) || !PHP_METHOD.test(serviceMethod)) {
    return undefined;
  }
  return { serviceClass: serviceClass.replace(/^\\/, ''), serviceMethod };
}

/** A lookup table of aliases by {@link serviceKey}. */
export type ServiceAliasTable = ReadonlyMap<string, ServiceRef>;

/** The built-in aliases plus `overrides`, an override replacing a built-in alias of the same method. */
export function makeServiceAliasTable(overrides: readonly ServiceAlias[] = []): ServiceAliasTable {
  const table = new Map<string, ServiceRef>();
  for (const alias of [...BUILT_IN_SERVICE_ALIASES, ...overrides]) {
    table.set(serviceKey(alias.from), alias.to);
  }
  return table;
}

/**
 * The service whose REST route resolves `service`. Aliases are applied once, not chained, so a
 * table can never loop.
 */
export function resolveServiceAlias(table: ServiceAliasTable, service: ServiceRef): ResolvedService {
  const target = table.get(serviceKey(service));
  const { serviceClass, serviceMethod } = target ?? service;
  return { serviceClass, serviceMethod, viaAlias: target !== undefined };
}

import { Agent, request } from 'undici';

import { SidecarError } from '../shared/index.js';
import { MODULE_RESOLVE_ROUTE } from './catalog.js';
import type { WebapiRoute } from './webapiXml.js';

/**
 * Asks Magento whether a bearer token is allowed, with the cheapest request Magento guards by the
 * resource in question: for MageOS_AsyncEvents::manage, the thin module's resolve route with an
 * empty batch (mode B) or upstream's `GET /V1/async_events` with one result (mode A); for another
 * ACL resource, a GET route of the store's webapi.xml guarded by exactly that resource and without
 * placeholders, asked for one result. 200 = allowed, 401/403 = refused, anything else = cannot tell.
 */
export interface MagentoTokenCheckerOptions {
  baseUrl: string;
  timeoutMs: number;
  /** The store's webapi.xml routes (to find a probe per resource) and whether the module route exists. */
  routes: readonly WebapiRoute[];
  moduleRoute: boolean;
}

const MANAGE = 'MageOS_AsyncEvents::manage';

export function makeMagentoTokenChecker(options: MagentoTokenCheckerOptions) {
  const agent = new Agent({ connections: 4, keepAliveTimeout: 30_000 });

  const ask = async (
    token: string,
    method: 'GET' | 'POST',
    path: string,
    body?: string,
  ): Promise<boolean> => {
    let status: number;
    try {
      const response = await request(`${options.baseUrl}/rest${path}`, {
        method,
        dispatcher: agent,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.body.dump();
      status = response.statusCode;
    } catch (error: unknown) {
      throw new SidecarError('SC_ERR_UNAVAILABLE', 'Magento cannot be asked about the token now', {
        cause: error,
      });
    }
    if (status >= 200 && status < 300) {
      return true;
    }
    if (status === 401 || status === 403) {
      return false;
    }
    throw new SidecarError('SC_ERR_UNAVAILABLE', `Magento answered ${status} when asked about the token`);
  };

  const probeFor = (resource: string): string | undefined =>
    options.routes.find(
      (route) =>
        route.httpMethod === 'GET' && !route.url.includes('/:') && route.resources.includes(resource),
    )?.url;

  return {
    allowsManage(token: string) {
      return options.moduleRoute
        ? ask(token, 'POST', MODULE_RESOLVE_ROUTE.url, '{"requests":[]}')
        : ask(token, 'GET', '/V1/async_events?searchCriteria[pageSize]=1');
    },
    allowsResource(token: string, resource: string) {
      if (resource === MANAGE) {
        return this.allowsManage(token);
      }
      const probe = probeFor(resource);
      // Without a route guarded by the resource there is no way to ask: refuse rather than guess.
      return probe === undefined
        ? Promise.resolve(false)
        : ask(token, 'GET', `${probe}?searchCriteria[pageSize]=1`);
    },
    close: () => agent.close(),
  };
}

import type { Config } from '../config/index.js';
import { type EventCatalog, loadEventCatalog } from './catalog.js';
import { parseServiceAliases } from './serviceAliases.js';

/** The event catalog for the configured Magento root, extra paths, aliases and resolve strategy. */
export function loadConfiguredCatalog(magento: Config['magento']): Promise<EventCatalog> {
  return loadEventCatalog({
    ...(magento.root === undefined ? {} : { magentoRoot: magento.root }),
    extraPaths: [...magento.extraPaths],
    serviceAliases: magento.serviceAliases === undefined ? [] : parseServiceAliases(magento.serviceAliases),
    resolveStrategy: magento.resolveStrategy,
  });
}

import type { EngineClient } from './engineClient.js';
import type { EngineClientOptions } from './engineOptions.js';

/**
 * The official client of the configured engine behind the common interface. The engines' SDKs
 * cost 20–30 MB of RSS and a tenth of a second of start-up each, so only the configured one is
 * loaded, on its first call: a sidecar without a search engine never loads either.
 */
export function makeEngineClient(options: EngineClientOptions): EngineClient {
  let loaded: Promise<EngineClient> | undefined;
  const client = (): Promise<EngineClient> =>
    (loaded ??=
      options.engine === 'elasticsearch'
        ? import('./elasticsearchEngine.js').then((engine) => engine.makeElasticsearchEngine(options))
        : import('./opensearchEngine.js').then((engine) => engine.makeOpenSearchEngine(options)));

  return {
    engine: options.engine,
    info: () => client().then((engine) => engine.info()),
    exists: (index) => client().then((engine) => engine.exists(index)),
    createIndex: (index, definition) => client().then((engine) => engine.createIndex(index, definition)),
    bulkIndex: (operations, bulk) => client().then((engine) => engine.bulkIndex(operations, bulk)),
    search: (index, body) => client().then((engine) => engine.search(index, body)),
    deleteByQuery: (index, query) => client().then((engine) => engine.deleteByQuery(index, query)),
    close: () => (loaded === undefined ? Promise.resolve() : loaded.then((engine) => engine.close())),
  };
}

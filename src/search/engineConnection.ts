import { makeElasticsearchEngine } from './elasticsearchEngine.js';
import type { EngineClient } from './engineClient.js';
import type { EngineClientOptions } from './engineOptions.js';
import { makeOpenSearchEngine } from './opensearchEngine.js';

/** The official client of the configured engine behind the common interface. */
export function makeEngineClient(options: EngineClientOptions): EngineClient {
  return options.engine === 'elasticsearch'
    ? makeElasticsearchEngine(options)
    : makeOpenSearchEngine(options);
}

export { buildApi } from './apiWiring.js';
export { buildPipeline, type PipelineParts } from './pipelineWiring.js';
export { buildSearch, type SearchParts } from './searchWiring.js';

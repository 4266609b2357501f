export { buildApi } from './apiWiring.js';
export { buildPipeline, type PipelineParts } from './pipelineWiring.js';
export { buildSinks } from './sinkWiring.js';

export { buildApi } from './apiWiring.js';
export { buildDashboard } from './dashboardWiring.js';
export { buildConsumers, buildMessaging, type ConsumerParts, type Messaging } from './pipelineWiring.js';
export { buildSearch, type SearchParts } from './searchWiring.js';
export { buildSinks } from './sinkWiring.js';

export { type HttpAppOptions, makeHttpApp } from './app.js';
export type { ReadinessCheck, ReadinessProbe, ReadinessReport } from './readiness.js';
export { type HttpServerHandle, startHttpServer } from './server.js';

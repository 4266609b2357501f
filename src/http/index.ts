export { API_PREFIXES, type HttpAppOptions, makeHttpApp } from './app.js';
export { type DashboardOptions, dashboardRoutes, findDashboardAssets } from './dashboard/index.js';
export type { ReadinessCheck, ReadinessProbe, ReadinessReport } from './readiness.js';
export { type ApiAuthDeps, asyncEventRoutes, requireBearer } from './routes/asyncEventRoutes.js';
export { controlsRoutes } from './routes/controlsRoutes.js';
export { deadLetterRoutes } from './routes/deadLetterRoutes.js';
export { logRoutes } from './routes/logRoutes.js';
export { statsRoutes } from './routes/statsRoutes.js';
export { type HttpServerHandle, startHttpServer } from './server.js';

export { findDashboardAssets } from './dashboardAssets.js';
export { type DashboardOptions, dashboardRoutes } from './dashboardRoutes.js';
export { DASHBOARD_CSP } from './securityHeaders.js';

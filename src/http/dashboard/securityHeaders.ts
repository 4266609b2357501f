/**
 * Headers for every dashboard response. The page loads only its own files, runs no inline script or
 * style, talks only to its own origin, cannot be framed (clickjacking), and sends no referrer.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Takes Node's response too: express.static hands its `setHeaders` a plain ServerResponse. */
export function setDashboardHeaders(response: { setHeader(name: string, value: string): unknown }): void {
  response.setHeader('content-security-policy', DASHBOARD_CSP);
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('cross-origin-opener-policy', 'same-origin');
  response.setHeader('cross-origin-resource-policy', 'same-origin');
  response.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  // Revalidate every time (ETag): an upgraded sidecar never runs a cached older script.
  response.setHeader('cache-control', 'no-cache');
}

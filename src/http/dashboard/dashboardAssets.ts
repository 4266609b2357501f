import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the built dashboard (index.html, CSS and the compiled browser modules) lives. In the package
 * it sits next to this module (`dist/http/dashboard/client/`). Run from the TypeScript sources (tests,
 * tsx) the browser code is not compiled next to them, so the build output in `dist/` is used:
 * `npm run build` refreshes it. `undefined` when neither holds a built dashboard.
 */
export function findDashboardAssets(): string | undefined {
  const candidates = [
    new URL('./client/', import.meta.url),
    new URL('../../../dist/http/dashboard/client/', import.meta.url),
  ];
  for (const candidate of candidates) {
    const directory = fileURLToPath(candidate);
    if (existsSync(`${directory}app.js`) && existsSync(`${directory}index.html`)) {
      return directory;
    }
  }
  return undefined;
}

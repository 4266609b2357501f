/**
 * The API token lives in sessionStorage only: it survives a reload of the tab, dies with the tab,
 * and is never written to the URL, localStorage or a cookie.
 */
const TOKEN_KEY = 'async-events-sidecar.api-token';

export const session = {
  token(): string | undefined {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  },
  save(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

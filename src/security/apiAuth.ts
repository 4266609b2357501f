import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who may call the REST API: a bearer token from API_TOKENS (compared in constant time), or, when
 * delegation is on, any token Magento itself accepts for MageOS_AsyncEvents::manage. Magento's
 * answers are cached per token digest (never the token itself), refusals only briefly.
 */
export type Principal = { kind: 'static' } | { kind: 'magento'; token: string } | { kind: 'insecure' };

export interface ApiAuthenticator {
  authenticate(authorization: string | undefined): Promise<Principal | undefined>;
  /**
   * Whether the principal may subscribe to an event guarded by these ACL resources (an event's
   * `<resources>` in async_events.xml). Static tokens are administrators'; delegated ones are asked.
   */
  mayAccess(
    principal: Principal,
    resources: readonly string[],
  ): Promise<{ ok: true } | { ok: false; resource: string }>;
}

/** Asks Magento whether a token is allowed: the manage resource, or another ACL resource. */
export interface MagentoTokenChecker {
  /** true: allowed; false: refused (401/403); throws when Magento cannot answer. */
  allowsManage(token: string): Promise<boolean>;
  allowsResource(token: string, resource: string): Promise<boolean>;
}

export interface ApiAuthenticatorOptions {
  tokens: readonly string[];
  magento?: MagentoTokenChecker;
  /** How long an accepted token is trusted without asking Magento again. */
  cacheMs: number;
  insecureNoAuth: boolean;
}

const REFUSAL_CACHE_MS = 5000;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export function makeApiAuthenticator(options: ApiAuthenticatorOptions): ApiAuthenticator {
  // Digests have equal length, so timingSafeEqual also hides the length of the configured tokens.
  const staticDigests = options.tokens.map(digest);
  const answers = new Map<string, { allowed: boolean; until: number }>();

  const cached = async (key: string, ask: () => Promise<boolean>): Promise<boolean> => {
    const known = answers.get(key);
    if (known !== undefined && Date.now() < known.until) {
      return known.allowed;
    }
    const allowed = await ask();
    if (answers.size > 10_000) {
      answers.clear();
    }
    answers.set(key, {
      allowed,
      until: Date.now() + (allowed ? options.cacheMs : Math.min(options.cacheMs, REFUSAL_CACHE_MS)),
    });
    return allowed;
  };

  return {
    async authenticate(authorization) {
      if (options.insecureNoAuth) {
        return { kind: 'insecure' };
      }
      const token = BEARER.exec(authorization ?? '')?.[1];
      if (token === undefined) {
        return undefined;
      }
      const presented = digest(token);
      let matched = false;
      for (const candidate of staticDigests) {
        // No early exit: every configured token is compared.
        matched = timingSafeEqual(candidate, presented) || matched;
      }
      if (matched) {
        return { kind: 'static' };
      }
      const magento = options.magento;
      if (magento === undefined) {
        return undefined;
      }
      const key = `manage:${presented.toString('hex')}`;
      return (await cached(key, () => magento.allowsManage(token))) ? { kind: 'magento', token } : undefined;
    },
    async mayAccess(principal, resources) {
      if (principal.kind !== 'magento') {
        return { ok: true };
      }
      const magento = options.magento;
      for (const resource of resources) {
        const key = `${resource}:${digest(principal.token).toString('hex')}`;
        if (
          magento === undefined ||
          !(await cached(key, () => magento.allowsResource(principal.token, resource)))
        ) {
          return { ok: false, resource };
        }
      }
      return { ok: true };
    },
  };
}

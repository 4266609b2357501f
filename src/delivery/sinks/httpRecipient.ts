import type { DestinationGuard } from '../../security/index.js';
import type { RecipientProblem } from './sink.js';

/**
 * A webhook recipient: an absolute http(s) URL without credentials (the signature authenticates
 * deliveries) whose host resolves outside the blocked ranges of the destination guard.
 */
export async function checkHttpRecipient(
  recipient: string,
  guard: DestinationGuard,
): Promise<RecipientProblem | undefined> {
  let url: URL;
  try {
    url = new URL(recipient);
  } catch {
    return notHttp();
  }
  if (!isHttpUrl(url)) {
    return notHttp();
  }
  if (url.username !== '' || url.password !== '') {
    return {
      message: '"%fieldName" must not carry credentials; the signature authenticates deliveries.',
      parameters: { fieldName: 'recipient_url' },
    };
  }
  const checked = await guard.checkUrl(url.href);
  return checked.ok
    ? undefined
    : { message: 'Destination refused: %reason', parameters: { reason: checked.reason } };
}

function notHttp(): RecipientProblem {
  return {
    message: '"%fieldName" must be an absolute http(s) URL.',
    parameters: { fieldName: 'recipient_url' },
  };
}

/**
 * The circuit-breaker key of a webhook: its endpoint (origin and path, without the query). Not
 * the origin alone: many subscribers share an origin (a SaaS inbox such as one automation
 * platform's hooks host) and one broken endpoint there must not hold everyone else's deliveries.
 */
export function httpEndpointOf(recipient: string): string {
  try {
    return endpointOfUrl(new URL(recipient));
  } catch {
    return recipient;
  }
}

/** httpEndpointOf of a URL already parsed. */
export function endpointOfUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export function isHttpUrl(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

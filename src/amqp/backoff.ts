/**
 * Upstream's retry delay: `min(60, deaths²)` seconds, without jitter because the delay queue's
 * name carries N (one queue per distinct delay). Pure, so it is unit-tested on its own.
 */
export function retryDelaySeconds(deathCount: number, capSeconds = 60): number {
  const deaths = Math.max(1, Math.trunc(deathCount));
  return Math.min(capSeconds, deaths * deaths);
}

/**
 * The delay to use for the next retry: the receiver's Retry-After when it sent a positive one
 * (capped, so a single answer cannot park a retry for days), else the upstream backoff.
 */
export function nextRetryDelaySeconds(
  deathCount: number,
  retryAfterSeconds: number | undefined,
  retryAfterMaxSeconds: number,
): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds >= 1) {
    return Math.min(Math.ceil(retryAfterSeconds), retryAfterMaxSeconds);
  }
  return retryDelaySeconds(deathCount);
}

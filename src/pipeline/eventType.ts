const CLOUD_EVENT_TYPE =
  /^\{"specversion":"1\.0","id":"[^"]*","source":"[^"]*","type":"([a-zA-Z0-9._-]{1,255})"/;

/**
 * The event name of a body we are about to re-deliver, for logs and metric labels: in our (and
 * upstream's) CloudEvents the `type` attribute sits at a fixed place near the start, so no full
 * parse is needed. Anything else (a 3.x body, another producer's layout) gives undefined: the
 * payload's own fields must never become a label.
 */
export function peekEventType(body: Buffer): string | undefined {
  return CLOUD_EVENT_TYPE.exec(body.subarray(0, 512).toString('latin1'))?.[1];
}

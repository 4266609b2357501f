/**
 * Headers of a consumed message that may be copied onto a new publish. RabbitMQ owns the
 * dead-lettering headers (`x-death`, `x-first-death-*`, `x-last-death-*`); a client re-publishing
 * them would grow them on every round and, since RabbitMQ 3.13, they are not the client's to set.
 */
export function copyableHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name !== 'x-death' && !name.startsWith('x-first-death-') && !name.startsWith('x-last-death-')) {
      copy[name] = value;
    }
  }
  return copy;
}

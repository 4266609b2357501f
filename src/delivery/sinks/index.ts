import type { Sink } from './sink.js';

export { type HttpSinkOptions, makeHttpSink } from './httpSink.js';
export type { Sink, SinkDelivery } from './sink.js';

/** Sinks by the `metadata` value that selects them. */
export type SinkRegistry = ReadonlyMap<string, Sink>;

export function makeSinkRegistry(sinks: readonly Sink[]): SinkRegistry {
  return new Map(sinks.map((sink) => [sink.name, sink]));
}

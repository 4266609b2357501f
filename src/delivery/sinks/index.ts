import type { Sink } from './sink.js';

export { type AmqpSinkOptions, makeAmqpSink } from './amqpSink.js';
export { type AwsSinkOptions } from './awsClients.js';
export { makeEventBridgeSink } from './eventBridgeSink.js';
export { type HttpSinkOptions, makeHttpSink } from './httpSink.js';
export type { RecipientProblem, Sink, SinkDelivery, SinkFormat } from './sink.js';
export { makeSqsSink } from './sqsSink.js';

/** Sinks by the `metadata` value that selects them. */
export type SinkRegistry = ReadonlyMap<string, Sink>;

export function makeSinkRegistry(sinks: readonly Sink[]): SinkRegistry {
  return new Map(sinks.map((sink) => [sink.name, sink]));
}

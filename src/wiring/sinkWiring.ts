import type { Config } from '../config/index.js';
import {
  makeAmqpSink,
  makeEventBridgeSink,
  makeHttpSink,
  makeSinkRegistry,
  makeSqsSink,
  type SinkRegistry,
} from '../delivery/index.js';
import type { Releasers } from '../lifecycle/index.js';
import type { DestinationGuard } from '../security/index.js';
import type { Logger } from '../shared/index.js';

/**
 * Every sink the sidecar delivers with, by the `metadata` value that selects it. A new sink is one
 * file implementing `Sink` (src/delivery/sinks/) plus one line here.
 */
export function buildSinks(parts: {
  config: Config;
  guard: DestinationGuard;
  logger: Logger;
  releasers: Releasers;
}): SinkRegistry {
  const { delivery, aws } = parts.config;
  const timeouts = { timeoutMs: delivery.timeoutMs, connectTimeoutMs: delivery.connectTimeoutMs };
  const sinks = [
    makeHttpSink({ ...timeouts, connectionsPerOrigin: delivery.connectionsPerOrigin, guard: parts.guard }),
    makeAmqpSink({ ...timeouts, guard: parts.guard, logger: parts.logger }),
    makeEventBridgeSink({
      ...timeouts,
      region: aws.region,
      endpoint: aws.eventBridgeEndpoint,
      source: aws.eventBridgeSource,
    }),
    makeSqsSink({ ...timeouts, region: aws.region, endpoint: aws.sqsEndpoint }),
  ];
  for (const sink of sinks) {
    parts.releasers.add(`${sink.name} sink`, () => sink.close());
  }
  return makeSinkRegistry(sinks);
}

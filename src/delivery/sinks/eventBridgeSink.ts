import type { AttemptOutcome } from '../outcome.js';
import {
  awsFailure,
  type AwsSinkOptions,
  baseClientConfig,
  isRetryableAwsCode,
  makeClientCache,
} from './awsClients.js';
import { deliveryCloudEvent } from './deliveryEvent.js';
import type { RecipientProblem, Sink } from './sink.js';

/** Bus names as EventBridge allows them (partner buses contain slashes), or a bus ARN. */
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:([a-z0-9-]+):\d{12}:event-bus\/[/.\-_A-Za-z0-9]{1,256}$/;

/**
 * Metadata `eventbridge`: recipient = an event bus name (`default`, `orders`) or ARN. One PutEvents
 * entry per delivery: `Source` from EVENTBRIDGE_SOURCE (`{source}` = the event's store id),
 * `DetailType` = the event name, `Detail` = the structured CloudEvent. A failed entry
 * (FailedEntryCount > 0) is a failed attempt with the entry's error; throttling and internal
 * errors are retryable. The bus is reached with AWS credentials (IAM), so nothing is signed.
 */
export function makeEventBridgeSink(options: AwsSinkOptions & { source: string }): Sink {
  const clients = makeClientCache(
    () => import('@aws-sdk/client-eventbridge'),
    (sdk, region) => new sdk.EventBridgeClient(baseClientConfig(options, region)),
  );

  return {
    name: 'eventbridge',
    checkRecipient: (recipient) => Promise.resolve(checkBus(recipient)),
    destinationOf: (recipient) => `${BUS_ARN.exec(recipient)?.[1] ?? options.region ?? ''} ${recipient}`,
    async deliver(delivery): Promise<AttemptOutcome> {
      const bus = delivery.subscription.recipientUrl;
      if (checkBus(bus) !== undefined) {
        return {
          ok: false,
          retryable: false,
          responseData: `Invalid event bus "${bus}": a bus name or ARN is expected`,
        };
      }
      const read = deliveryCloudEvent(delivery);
      if (!read.ok) {
        return read.outcome;
      }
      const { event } = read;
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const abortSignal =
        delivery.signal === undefined ? timeout : AbortSignal.any([timeout, delivery.signal]);
      try {
        const { sdk, client } = await clients.get(BUS_ARN.exec(bus)?.[1] ?? options.region);
        const answer = await client.send(
          new sdk.PutEventsCommand({
            Entries: [
              {
                EventBusName: bus,
                Source: options.source.replaceAll('{source}', event.source),
                DetailType: event.type,
                Detail: event.structured.toString('utf8'),
              },
            ],
          }),
          { abortSignal },
        );
        const [entry] = answer.Entries ?? [];
        if ((answer.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode !== undefined) {
          const code = entry?.ErrorCode ?? 'UnknownError';
          return {
            ok: false,
            retryable: isRetryableAwsCode(code),
            responseData: `PutEvents entry failed: ${code}: ${entry?.ErrorMessage ?? '(no message)'}`,
          };
        }
        return {
          ok: true,
          status: answer.$metadata.httpStatusCode ?? 200,
          responseData: `EventId ${entry?.EventId ?? '(none)'}`,
        };
      } catch (error: unknown) {
        return awsFailure(error, timeout.aborted, options.timeoutMs);
      }
    },
    async close() {
      clients.destroy();
      return Promise.resolve();
    },
  };
}

function checkBus(recipient: string): RecipientProblem | undefined {
  if (BUS_ARN.test(recipient) || (BUS_NAME.test(recipient) && !recipient.startsWith('arn:'))) {
    return undefined;
  }
  return {
    message: '"%fieldName" must be an EventBridge event bus name or ARN, e.g. %example.',
    parameters: {
      fieldName: 'recipient_url',
      example: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders',
    },
  };
}

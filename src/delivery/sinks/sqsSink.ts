import type { AttemptOutcome } from '../outcome.js';
import { awsFailure, type AwsSinkOptions, baseClientConfig, makeClientCache } from './awsClients.js';
import { deliveryCloudEvent } from './deliveryEvent.js';
import type { RecipientProblem, Sink } from './sink.js';

const QUEUE_PATH = /^\/[^/]{1,64}\/[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/;
/** sqs.<region>.amazonaws.com(.cn), or the legacy <region>.queue.amazonaws.com. */
const AWS_SQS_HOST = /^(?:sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com)$/;

/**
 * Metadata `sqs`: recipient = a queue URL. SendMessage with the structured CloudEvent as the body;
 * on a FIFO queue (`….fifo`) the event name is the message group and the delivery uuid the
 * deduplication id. Without AWS_ENDPOINT_URL_SQS the queue URL must be an AWS SQS URL (its region
 * is used), so a subscriber can never make the sidecar send signed requests to another host; with
 * it, every request goes to that endpoint, whatever the queue URL's host.
 */
export function makeSqsSink(options: AwsSinkOptions): Sink {
  const clients = makeClientCache(
    () => import('@aws-sdk/client-sqs'),
    (sdk, region) => new sdk.SQSClient(baseClientConfig(options, region)),
  );

  const check = (recipient: string): { region: string | undefined } | RecipientProblem => {
    let url: URL;
    try {
      url = new URL(recipient);
    } catch {
      return problem();
    }
    if (!QUEUE_PATH.test(url.pathname) || url.search !== '' || url.username !== '') {
      return problem();
    }
    if (options.endpoint !== undefined) {
      return url.protocol === 'http:' || url.protocol === 'https:' ? { region: options.region } : problem();
    }
    const host = AWS_SQS_HOST.exec(url.hostname);
    if (url.protocol !== 'https:' || host === null) {
      return problem();
    }
    return { region: host[1] ?? host[2] };
  };

  return {
    name: 'sqs',
    async checkRecipient(recipient) {
      const checked = check(recipient);
      return Promise.resolve('message' in checked ? checked : undefined);
    },
    destinationOf: (recipient) => recipient,
    async deliver(delivery): Promise<AttemptOutcome> {
      const queueUrl = delivery.subscription.recipientUrl;
      const checked = check(queueUrl);
      if ('message' in checked) {
        return { ok: false, retryable: false, responseData: `Invalid SQS queue URL "${queueUrl}"` };
      }
      const read = deliveryCloudEvent(delivery);
      if (!read.ok) {
        return read.outcome;
      }
      const { event } = read;
      const fifo = queueUrl.endsWith('.fifo');
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const abortSignal =
        delivery.signal === undefined ? timeout : AbortSignal.any([timeout, delivery.signal]);
      try {
        const { sdk, client } = await clients.get(checked.region ?? options.region);
        const answer = await client.send(
          new sdk.SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: event.structured.toString('utf8'),
            ...(fifo ? { MessageGroupId: event.type, MessageDeduplicationId: delivery.uuid } : {}),
          }),
          { abortSignal },
        );
        return {
          ok: true,
          status: answer.$metadata.httpStatusCode ?? 200,
          responseData: `MessageId ${answer.MessageId ?? '(none)'}`,
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

function problem(): RecipientProblem {
  return {
    message: '"%fieldName" must be an SQS queue URL, e.g. %example.',
    parameters: {
      fieldName: 'recipient_url',
      example: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
    },
  };
}

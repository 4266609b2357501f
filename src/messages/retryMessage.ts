import { randomUUID } from 'node:crypto';

import { phpJsonString } from '../shared/index.js';
import { describeJsonType, parseJsonBody, type ParseResult, toNonNegativeInt } from './parseResult.js';
import { rawTopLevelMember } from './rawJson.js';

/**
 * The retry message of upstream's RetryManager: `{subscription_id, death_count, content, uuid}`,
 * where `content` is the exact body that was delivered (4.x: a JSON string holding the CloudEvent;
 * 3.x: the `{"data": …}` object itself). PHP may write the numbers as strings.
 */
export interface RetryMessage {
  subscriptionId: number;
  deathCount: number;
  /** The exact bytes to deliver (and sign) again. */
  content: Buffer;
  uuid: string;
  /** True when the message carried no uuid and one was made up, so the chain stays traceable. */
  uuidGenerated: boolean;
}

export function parseRetryMessage(body: Buffer): ParseResult<RetryMessage> {
  const parsed = parseJsonBody(body, 'the retry message');
  if (!parsed.ok) {
    return parsed;
  }
  const message = parsed.value;
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return {
      ok: false,
      reason: `expected a JSON object {subscription_id, death_count, content, uuid}, got ${describeJsonType(message)}`,
    };
  }
  const fields = message as Record<string, unknown>;
  const subscriptionId = toNonNegativeInt(fields.subscription_id);
  if (subscriptionId === undefined || subscriptionId === 0) {
    return {
      ok: false,
      reason: `subscription_id must be a positive integer, got ${JSON.stringify(fields.subscription_id)}`,
    };
  }
  const deathCount = toNonNegativeInt(fields.death_count);
  if (deathCount === undefined) {
    return {
      ok: false,
      reason: `death_count must be a non-negative integer, got ${JSON.stringify(fields.death_count)}`,
    };
  }
  const content = contentBytes(fields.content, body);
  if (content === undefined) {
    return {
      ok: false,
      reason: `content must be the delivered body (a string or, from 3.x, an object), got ${describeJsonType(fields.content)}`,
    };
  }
  const uuid = typeof fields.uuid === 'string' && fields.uuid !== '' ? fields.uuid : undefined;
  return {
    ok: true,
    value: {
      subscriptionId,
      deathCount,
      content,
      uuid: uuid ?? randomUUID(),
      uuidGenerated: uuid === undefined,
    },
  };
}

function contentBytes(content: unknown, body: Buffer): Buffer | undefined {
  if (typeof content === 'string' && content !== '') {
    return Buffer.from(content, 'utf8');
  }
  if (typeof content === 'object' && content !== null) {
    // 3.x put the data array itself in the message; PHP re-encoded it for delivery with the same
    // json_encode, so the raw bytes inside this message are exactly the body it delivered.
    return rawTopLevelMember(body, 'content');
  }
  return undefined;
}

export interface RetryMessageFields {
  subscriptionId: number;
  deathCount: number;
  content: Buffer;
  /** Kill messages carry no uuid upstream. */
  uuid?: string;
}

/** Encodes a retry (or kill) message exactly as upstream's AmqpPublisher writes it. */
export function encodeRetryMessage(fields: RetryMessageFields): Buffer {
  const uuid = fields.uuid === undefined ? '' : `,"uuid":${phpJsonString(fields.uuid)}`;
  return Buffer.from(
    `{"subscription_id":${fields.subscriptionId},"death_count":${fields.deathCount},"content":${phpJsonString(fields.content.toString('utf8'))}${uuid}}`,
    'utf8',
  );
}

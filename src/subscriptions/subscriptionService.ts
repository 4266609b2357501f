import type { RecipientProblem, Sink } from '../delivery/index.js';
import { encryptMagentoValue, type EventCatalog, type MagentoKeyring } from '../magento/index.js';
import { ApiError, closeMatches } from '../shared/index.js';
import {
  clearDisabled,
  findRecipient,
  findSubscriptionView,
  insertSubscription,
  listSubscriptionViews,
  type Pool,
  type SubscriptionView,
  updateSubscription,
} from '../store/index.js';
import { criteriaToSql, type FieldColumn } from './criteriaSql.js';
import { echoSearchCriteria, parseSearchCriteria } from './searchCriteria.js';
import type { CreateSubscriptionInput, UpdateSubscriptionInput } from './subscriptionInput.js';

/**
 * The `/V1/async_event` contract (design.md §7) without HTTP: validation beyond upstream, Magento's
 * token encryption, the repository, and a hook so this process's dispatcher sees changes at once.
 */
export interface SubscriptionService {
  create(input: CreateSubscriptionInput): Promise<SubscriptionView>;
  get(subscriptionId: number): Promise<SubscriptionView>;
  update(subscriptionId: number, input: UpdateSubscriptionInput): Promise<SubscriptionView>;
  list(
    rawSearchCriteria: unknown,
  ): Promise<{ items: SubscriptionView[]; search_criteria: Record<string, unknown>; total_count: number }>;
}

export interface SubscriptionServiceOptions {
  pool: Pool;
  catalog: EventCatalog;
  keys: MagentoKeyring;
  /** Sinks by the `metadata` that selects them; each validates its recipients. */
  sinks: ReadonlyMap<string, Pick<Sink, 'checkRecipient'>>;
  /** Called after every change, so the subscription cache reloads now instead of within its window. */
  onChange: () => Promise<void>;
}

const RECIPIENT_MAX = 1024;
const TOKEN_COLUMN = 255;
const EVENT_NAME_MAX = 255;

const INT = (value: string): number => {
  if (!/^\d{1,10}$/.test(value.trim())) {
    throw new ApiError(
      'SC_ERR_INPUT',
      'The "%value" value\'s type is invalid. The "int" type was expected. Verify and try again.',
      {
        parameters: { value: value.slice(0, 64) },
      },
    );
  }
  return Number(value);
};
const BOOL = (value: string): number => (['1', 'true'].includes(value.trim().toLowerCase()) ? 1 : 0);

/** Searchable fields → fixed columns. `verification_token` is deliberately absent (no oracle on secrets). */
export const SUBSCRIPTION_FIELDS: ReadonlyMap<string, FieldColumn> = new Map([
  ['subscription_id', { column: 'subscription_id', cast: INT }],
  ['event_name', { column: 'event_name' }],
  ['recipient_url', { column: 'recipient_url' }],
  ['status', { column: 'status', cast: BOOL }],
  ['subscribed_at', { column: 'subscribed_at' }],
  ['store_id', { column: 'store_id', cast: INT }],
  ['metadata', { column: 'metadata' }],
  ['modified', { column: 'modified' }],
]);
const SEARCHABLE = new Set(SUBSCRIPTION_FIELDS.keys());

export function makeSubscriptionService(options: SubscriptionServiceOptions): SubscriptionService {
  const sinkNames = [...options.sinks.keys()];
  const unknownSink = (metadata: string): RecipientProblem => ({
    message: 'Unknown metadata "%metadata": the sidecar delivers with %sinks.',
    parameters: { metadata: metadata.slice(0, 64), sinks: sinkNames.join(', ') },
  });
  const notFound = (subscriptionId: number) =>
    new ApiError('SC_ERR_NOT_FOUND', 'Async event with subscription ID %1 does not exist', {
      parameters: [subscriptionId],
    });

  const validateCreate = async (input: CreateSubscriptionInput): Promise<void> => {
    const problems: Array<{ message: string; parameters: Record<string, unknown> }> = [];
    if (options.catalog.get(input.eventName) === undefined) {
      const hints = closeMatches(input.eventName, options.catalog.events.keys());
      problems.push({
        message:
          hints.length > 0
            ? 'Unknown async event "%eventName"; did you mean %suggestions?'
            : 'Unknown async event "%eventName".',
        parameters: {
          eventName: input.eventName.slice(0, EVENT_NAME_MAX),
          ...(hints.length > 0 ? { suggestions: hints.join(', ') } : {}),
        },
      });
    }
    const sink = options.sinks.get(input.metadata);
    if (sink === undefined) {
      problems.push(unknownSink(input.metadata));
    }
    if (input.recipientUrl.length > RECIPIENT_MAX) {
      problems.push({
        message: '"%fieldName" is longer than %max characters.',
        parameters: { fieldName: 'recipient_url', max: RECIPIENT_MAX },
      });
    } else if (sink !== undefined) {
      const problem = await sink.checkRecipient(input.recipientUrl);
      if (problem !== undefined) {
        problems.push(problem);
      }
    }
    if (encryptedLength(input.verificationToken, options.keys.length - 1) > TOKEN_COLUMN) {
      problems.push({
        message: '"%fieldName" is too long: encrypted it must fit %max characters (at most %maxBytes bytes).',
        parameters: {
          fieldName: 'verification_token',
          max: TOKEN_COLUMN,
          maxBytes: maxTokenBytes(options.keys.length - 1),
        },
      });
    }
    const [first] = problems;
    if (first !== undefined) {
      throw new ApiError('SC_ERR_INPUT', first.message, {
        parameters: first.parameters,
        errors: problems.length > 1 ? problems : [],
      });
    }
  };

  /** A change of sink must suit the recipient the subscription already has. */
  const recipientProblem = async (
    subscriptionId: number,
    metadata: string,
    sink: Pick<Sink, 'checkRecipient'>,
  ): Promise<RecipientProblem | undefined> => {
    const current = await findRecipient(options.pool, subscriptionId);
    if (current === undefined) {
      throw notFound(subscriptionId);
    }
    return current.metadata === metadata ? undefined : sink.checkRecipient(current.recipientUrl);
  };

  const get = async (subscriptionId: number): Promise<SubscriptionView> => {
    const view = await findSubscriptionView(options.pool, subscriptionId);
    if (view === undefined) {
      throw notFound(subscriptionId);
    }
    return view;
  };

  return {
    async create(input) {
      await validateCreate(input);
      const subscriptionId = await insertSubscription(options.pool, {
        eventName: input.eventName,
        recipientUrl: input.recipientUrl,
        verificationToken: encryptMagentoValue(input.verificationToken, options.keys),
        metadata: input.metadata,
        storeId: input.storeId,
      });
      await options.onChange();
      return get(subscriptionId);
    },
    get,
    async update(subscriptionId, input) {
      if (input.metadata !== undefined) {
        const sink = options.sinks.get(input.metadata);
        const problem =
          sink === undefined
            ? unknownSink(input.metadata)
            : await recipientProblem(subscriptionId, input.metadata, sink);
        if (problem !== undefined) {
          throw new ApiError('SC_ERR_INPUT', problem.message, { parameters: problem.parameters });
        }
      }
      if (!(await updateSubscription(options.pool, subscriptionId, input))) {
        throw notFound(subscriptionId);
      }
      if (input.status) {
        // Enabled again: a disable by the sidecar and an old run of failures are history now.
        await clearDisabled(options.pool, subscriptionId);
      }
      await options.onChange();
      return get(subscriptionId);
    },
    async list(rawSearchCriteria) {
      const criteria = parseSearchCriteria(rawSearchCriteria, SEARCHABLE);
      const { items, totalCount } = await listSubscriptionViews(
        options.pool,
        criteriaToSql(criteria, SUBSCRIPTION_FIELDS, 'subscription_id ASC'),
      );
      return { items, search_criteria: echoSearchCriteria(criteria), total_count: totalCount };
    },
  };
}

/** Length of Magento's `K:3:base64(nonce ‖ ciphertext ‖ tag)` for a plaintext. */
function encryptedLength(plaintext: string, keyVersion: number): number {
  const sealed = 12 + Buffer.byteLength(plaintext, 'utf8') + 16;
  return `${keyVersion}:3:`.length + 4 * Math.ceil(sealed / 3);
}

function maxTokenBytes(keyVersion: number): number {
  const base64Chars = TOKEN_COLUMN - `${keyVersion}:3:`.length;
  return Math.floor(base64Chars / 4) * 3 - 28;
}

export { type ParseResult } from './parseResult.js';
export { rawArrayObjectMembers, rawTopLevelMember } from './rawJson.js';
export {
  encodeRetryMessage,
  parseRetryMessage,
  type RetryMessage,
  type RetryMessageFields,
} from './retryMessage.js';
export { MAX_TRIGGER_BYTES, parseTriggerMessage, type TriggerMessage } from './triggerMessage.js';

export { type ControlsChange, parseControlsBody } from './controlsInput.js';
export {
  type ControlsService,
  type ControlsServiceOptions,
  type ControlsView,
  makeControlsService,
} from './controlsService.js';
export { criteriaToSql, type FieldColumn, type SqlFragment } from './criteriaSql.js';
export {
  CONDITION_TYPES,
  echoSearchCriteria,
  parseSearchCriteria,
  type SearchCriteria,
} from './searchCriteria.js';
export {
  type CreateSubscriptionInput,
  parseCreateBody,
  parseSubscriptionId,
  parseUpdateBody,
  type UpdateSubscriptionInput,
} from './subscriptionInput.js';
export {
  makeSubscriptionService,
  SUBSCRIPTION_FIELDS,
  type SubscriptionService,
  type SubscriptionServiceOptions,
} from './subscriptionService.js';

export {
  DEAD_LETTER_QUEUES,
  type DeadLetter,
  type DeadLetterQueue,
  type DeadLetterService,
  makeDeadLetterService,
  parseDeadLetterQueue,
} from './deadLetterService.js';

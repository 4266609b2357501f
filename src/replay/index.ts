export {
  makeReplayService,
  type ReplayedChain,
  type ReplayService,
  type ReplayServiceOptions,
  type ResolveMode,
  type SkippedChain,
} from './replayService.js';

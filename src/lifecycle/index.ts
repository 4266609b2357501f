export { relaxHeapGrowth } from './heapGrowth.js';
export { makeReleasers, type Releasers } from './releasers.js';
export { handleShutdownSignals, type SignalHandling } from './signals.js';

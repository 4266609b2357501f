import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC kept, in percent.
 *
 * V8 picks that factor from the heap's maximum size: under `--max-old-space-size=128` (the
 * Docker image's cap) it uses its smallest, 1.3, and counts the Buffers (external memory)
 * allocated since the last full GC against the same headroom. A delivery allocates ~40 KB of
 * Buffers (the Magento answer, the webhook body, its share of the log INSERT), so at 2,500
 * deliveries/s that headroom (~7 MB over a 24 MB live heap) was gone every ~150 ms: 92 full
 * collections in a 30,000-delivery run, and incremental marking started while the heap itself
 * sat at half its limit. At 100 % (factor 2.0): 20 full collections, 0.29-0.32 instead of
 * 0.39-0.45 sidecar CPU ms per delivery, a peak RSS about 20 MB higher (README, Performance).
 * The cap itself is untouched: V8 never sets a limit above `--max-old-space-size`.
 */
export const HEAP_GROWING_PERCENT = 100;

const FLAG = '--heap-growing-percent';

/**
 * Sets {@link HEAP_GROWING_PERCENT} unless the node command line carries its own
 * `--heap-growing-percent` (an operator's choice wins). Node refuses the flag in NODE_OPTIONS, and
 * V8 reads it each time it recomputes the heap limits, so setting it at startup takes effect from
 * the first full GC.
 */
export function relaxHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg === FLAG || arg.startsWith(`${FLAG}=`))) {
    return;
  }
  setFlagsFromString(`${FLAG}=${HEAP_GROWING_PERCENT}`);
}

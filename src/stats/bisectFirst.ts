/**
 * The smallest integer in `[low, high]` for which `reached` is true, for a predicate that is false
 * up to some point and true from there on; `high + 1` when it is never true. Asks `reached` about
 * ⌈log2(high − low + 1)⌉ times, so it can afford one indexed query per question.
 */
export async function bisectFirst(
  low: number,
  high: number,
  reached: (value: number) => Promise<boolean>,
): Promise<number> {
  let lo = low;
  let hi = high + 1;
  while (lo < hi) {
    const middle = lo + Math.floor((hi - lo) / 2);
    if (await reached(middle)) {
      hi = middle;
    } else {
      lo = middle + 1;
    }
  }
  return lo;
}

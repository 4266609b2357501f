/**
 * The arithmetic of the overview chart: "nice" value ticks (1, 2, 5 × 10ⁿ steps) and clock-aligned
 * time ticks. Pure, so it is unit-tested; chart.ts only draws what these return.
 */

export interface ValueTicks {
  /** The axis' top value (a multiple of the step, at least `max`). */
  top: number;
  ticks: number[];
}

/** A step of 1, 2 or 5 × 10ⁿ near `rough`; at least 1 for whole-number axes. */
export function niceStep(rough: number, integer: boolean): number {
  if (!(rough > 0)) {
    return 1;
  }
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const scaled = rough / magnitude;
  const step = (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * magnitude;
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** About `count` ticks from 0 covering `max`. */
export function valueTicks(max: number, count: number, integer = true): ValueTicks {
  const step = niceStep(max / Math.max(1, count), integer);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) {
    ticks.push(Number(value.toPrecision(12)));
  }
  return { top, ticks };
}

export interface TimeTick {
  /** Offset from the window's start in buckets (fractional when a tick falls inside one). */
  position: number;
  label: string;
}

const TICK_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880] as const;
const LONGEST_TICK = 2880;
const MINUTE_MS = 60_000;

/**
 * Labels on round clock times (UTC, as Magento stores `created`): the smallest interval giving at
 * most `maxTicks` ticks. Days are shown when the window spans more than one.
 */
export function timeTicks(
  window: { fromMs: number; bucketMinutes: number; buckets: number },
  maxTicks: number,
): TimeTick[] {
  const spanMinutes = window.bucketMinutes * window.buckets;
  const interval =
    // Both ends may fall on a tick: span/interval + 1 ticks at most.
    TICK_MINUTES.find((minutes) => spanMinutes / minutes + 1 <= maxTicks) ?? LONGEST_TICK;
  const intervalMs = interval * MINUTE_MS;
  const endMs = window.fromMs + spanMinutes * MINUTE_MS;
  const showDate =
    spanMinutes > 1440 || new Date(window.fromMs).getUTCDate() !== new Date(endMs - 1).getUTCDate();
  const ticks: TimeTick[] = [];
  for (let at = Math.ceil(window.fromMs / intervalMs) * intervalMs; at <= endMs; at += intervalMs) {
    ticks.push({
      position: (at - window.fromMs) / (window.bucketMinutes * MINUTE_MS),
      label: clockLabel(new Date(at), showDate),
    });
  }
  return ticks;
}

function clockLabel(date: Date, withDate: boolean): string {
  const iso = date.toISOString();
  const clock = iso.slice(11, 16);
  return withDate ? `${iso.slice(5, 10)} ${clock}` : clock;
}

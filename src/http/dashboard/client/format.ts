/** Display helpers; every function returns plain text (the views put it in with textContent). */

/** Failed share of attempts as a percentage, or an en dash when there were none. */
export function formatFailureRate(failed: number, total: number): string {
  return total === 0 ? '–' : formatPercent(failed / total);
}

/** Succeeded share of attempts, or an en dash when there were none. */
export function formatSuccessRate(failed: number, total: number): string {
  return total === 0 ? '–' : formatPercent((total - failed) / total);
}

export function formatPercent(ratio: number): string {
  const percent = ratio * 100;
  if (percent > 0 && percent < 0.1) {
    return '<0.1%';
  }
  if (percent < 100 && percent > 99.9) {
    return '>99.9%';
  }
  return `${percent.toFixed(percent === Math.round(percent) ? 0 : 1)}%`;
}

/** Seconds as ms or s for latencies; "n/a" when unknown. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return 'n/a';
  }
  if (seconds < 1) {
    return `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1).replace(/\.0+$/, '')} ms`;
  }
  if (seconds < 120) {
    return `${seconds.toFixed(seconds < 10 ? 2 : 1).replace(/\.0+$/, '')} s`;
  }
  return `${Math.round(seconds / 60)} min`;
}

/** Gap between two Magento UTC datetimes, e.g. "+5 s" or "+2 min 3 s"; empty when unknown. */
export function formatGap(earlier: string, later: string): string {
  const from = parseMagentoUtc(earlier);
  const to = parseMagentoUtc(later);
  if (from === undefined || to === undefined) {
    return '';
  }
  const seconds = Math.round((to - from) / 1000);
  if (seconds < 60) {
    return `+${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return `+${minutes} min${rest === 0 ? '' : ` ${rest} s`}`;
}

/** Milliseconds since the epoch of Magento's `YYYY-MM-DD HH:MM:SS` (UTC), or undefined. */
export function parseMagentoUtc(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (match === null) {
    return undefined;
  }
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = match.slice(1).map(Number);
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(time) ? undefined : time;
}

/** A body for reading: JSON pretty-printed with two spaces, anything else as it came. */
export function prettyBody(body: string | null | undefined): string {
  if (body === null || body === undefined || body === '') {
    return '(no stored body)';
  }
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** Long text cut to `max` characters with an ellipsis, for grid cells (the full text goes in a title). */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** "1 chain", "2 chains", "1,024 messages": the count with the word in the right number. */
export function countOf(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

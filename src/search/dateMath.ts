import { ApiError } from '../shared/index.js';

/**
 * Dates of `created` queries, in UTC like the column: `2026-01-01`, `2026-01-01T10:00:00`,
 * `2026-01-01 10:00:00`, and Elasticsearch-style date math: `now`, `now-1d`, `now+2h`, `now-1d/d`
 * (units y M w d h H m s). Returns the instant and, for a bare date, the end of that day (so a term
 * `created:2026-01-01` means the whole day).
 */
export interface ResolvedDate {
  start: Date;
  /** Exclusive end of the value's own precision (the next day for a date, the next second otherwise). */
  end: Date;
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  H: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const MATH = /^now(?:([+-])(\d{1,6})([yMwdhHms]))?(?:\/([yMwdhHms]))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z?$/;

function invalid(value: string): ApiError {
  return new ApiError(
    'SC_ERR_INPUT',
    '"%value" is not a date: use 2026-01-01, 2026-01-01T10:00:00 or now-1d style date math.',
    { parameters: { value } },
  );
}

function addUnits(date: Date, amount: number, unit: string): Date {
  const copy = new Date(date);
  if (unit === 'y') {
    copy.setUTCFullYear(copy.getUTCFullYear() + amount);
  } else if (unit === 'M') {
    copy.setUTCMonth(copy.getUTCMonth() + amount);
  } else {
    copy.setTime(copy.getTime() + amount * (UNIT_MS[unit] ?? 0));
  }
  return copy;
}

function roundDown(date: Date, unit: string): Date {
  const d = new Date(date);
  switch (unit) {
    case 'y':
      return new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
    case 'M':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    case 'w': {
      const day = (d.getUTCDay() + 6) % 7; // weeks start on Monday, as in Elasticsearch
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
    }
    case 'd':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    case 'h':
    case 'H':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()));
    case 'm':
      return new Date(Math.floor(d.getTime() / 60_000) * 60_000);
    default:
      return new Date(Math.floor(d.getTime() / 1000) * 1000);
  }
}

export function resolveDate(value: string, now: Date = new Date()): ResolvedDate {
  const math = MATH.exec(value);
  if (math !== null) {
    const [, sign, amount, unit, rounding] = math;
    let start = now;
    if (sign !== undefined && amount !== undefined && unit !== undefined) {
      start = addUnits(start, sign === '-' ? -Number(amount) : Number(amount), unit);
    }
    if (rounding !== undefined) {
      start = roundDown(start, rounding);
      return { start, end: addUnits(start, 1, rounding) };
    }
    start = roundDown(start, 's');
    return { start, end: new Date(start.getTime() + 1000) };
  }
  const date = DATE.exec(value);
  if (date !== null) {
    const start = new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])));
    if (Number.isNaN(start.getTime()) || start.getUTCDate() !== Number(date[3])) {
      throw invalid(value);
    }
    return { start, end: new Date(start.getTime() + 86_400_000) };
  }
  const dateTime = DATE_TIME.exec(value);
  if (dateTime !== null) {
    const [, y, mo, d, h, mi, s] = dateTime;
    const start = new Date(
      Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)),
    );
    if (Number.isNaN(start.getTime())) {
      throw invalid(value);
    }
    return { start, end: new Date(start.getTime() + 1000) };
  }
  throw invalid(value);
}

/** The `DATETIME` text MySQL compares `created` with. */
export function toSqlDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Where the indexer stands in async_event_subscriber_log, as a pure value.
 *
 * MySQL hands out auto-increment ids when a row is inserted, not when it commits: with several
 * sidecars (or PHP) writing, row 12 can become visible before row 11, and an id can also never
 * appear (rolled back, refused by a foreign key, deleted). So the indexer indexes every row it sees
 * at once but keeps its checkpoint at the end of the contiguous run, and remembers the missing ids
 * above it as gaps. A gap is given up once it has been missing for `gapTimeoutMs`, counted from
 * when the row after it was created (so old history is not waited for, and a live gap is).
 *
 * INVARIANTS: every id ≤ checkpointOf(cursor) is indexed or given up; every id in
 * (checkpoint, scanned] is indexed unless it lies in a gap; gaps are sorted, disjoint, non-empty
 * and lie within (checkpoint, scanned].
 */
export interface IdGap {
  /** First missing id. */
  from: number;
  /** Last missing id (inclusive). */
  to: number;
  /** Since when it is missing: the creation time of the row after it (epoch ms). */
  sinceMs: number;
}

export interface IndexCursor {
  /** The highest log_id indexed so far. */
  readonly scanned: number;
  readonly gaps: readonly IdGap[];
}

export interface SeenRow {
  id: number;
  /** How long ago the row was created (ms). */
  ageMs: number;
}

/** Beyond this many gaps the oldest are given up, so memory stays bounded whatever the id pattern. */
export const MAX_TRACKED_GAPS = 100_000;

export function cursorAt(checkpoint: number): IndexCursor {
  return { scanned: checkpoint, gaps: [] };
}

/** The id up to which everything is indexed or given up: what is persisted. */
export function checkpointOf(cursor: IndexCursor): number {
  const first = cursor.gaps[0];
  return first === undefined ? cursor.scanned : first.from - 1;
}

/** After indexing `rows` (ascending ids above `scanned`): new gaps for the ids skipped over. */
export function advanceCursor(cursor: IndexCursor, rows: readonly SeenRow[], nowMs: number): IndexCursor {
  let scanned = cursor.scanned;
  const gaps = [...cursor.gaps];
  for (const row of rows) {
    if (row.id <= scanned) {
      continue;
    }
    if (row.id > scanned + 1) {
      gaps.push({ from: scanned + 1, to: row.id - 1, sinceMs: nowMs - row.ageMs });
    }
    scanned = row.id;
  }
  return { scanned, gaps };
}

/** After indexing rows that appeared inside gaps: those ids are no longer missing. */
export function fillGaps(cursor: IndexCursor, ids: readonly number[]): IndexCursor {
  if (ids.length === 0) {
    return cursor;
  }
  const arrived = [...ids].sort((left, right) => left - right);
  const gaps: IdGap[] = [];
  for (const gap of cursor.gaps) {
    let from = gap.from;
    for (const id of arrived) {
      if (id < from || id > gap.to) {
        continue;
      }
      if (id > from) {
        gaps.push({ from, to: id - 1, sinceMs: gap.sinceMs });
      }
      from = id + 1;
    }
    if (from <= gap.to) {
      gaps.push({ from, to: gap.to, sinceMs: gap.sinceMs });
    }
  }
  return { scanned: cursor.scanned, gaps };
}

/** Gives up gaps missing for longer than `timeoutMs` (and the oldest beyond MAX_TRACKED_GAPS). */
export function expireGaps(
  cursor: IndexCursor,
  nowMs: number,
  timeoutMs: number,
  maxGaps = MAX_TRACKED_GAPS,
): { cursor: IndexCursor; skipped: IdGap[] } {
  const overflow = Math.max(0, cursor.gaps.length - maxGaps);
  const skipped: IdGap[] = [];
  const kept: IdGap[] = [];
  cursor.gaps.forEach((gap, position) => {
    if (position < overflow || nowMs - gap.sinceMs >= timeoutMs) {
      skipped.push(gap);
    } else {
      kept.push(gap);
    }
  });
  return skipped.length === 0
    ? { cursor, skipped }
    : { cursor: { scanned: cursor.scanned, gaps: kept }, skipped };
}

/** How many ids the gaps hold (for logs). */
export function missingIds(gaps: readonly IdGap[]): number {
  return gaps.reduce((sum, gap) => sum + gap.to - gap.from + 1, 0);
}

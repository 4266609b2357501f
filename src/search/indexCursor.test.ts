import { describe, expect, it } from 'vitest';

import { advanceCursor, checkpointOf, cursorAt, expireGaps, fillGaps, missingIds } from './indexCursor.js';

const NOW = 1_000_000;
const fresh = (...ids: number[]) => ids.map((id) => ({ id, ageMs: 0 }));

describe('index cursor (checkpoint over the contiguous run of log ids)', () => {
  it('moves the checkpoint with the rows when there is no gap', () => {
    const cursor = advanceCursor(cursorAt(10), fresh(11, 12, 13), NOW);
    expect(cursor).toEqual({ scanned: 13, gaps: [] });
    expect(checkpointOf(cursor)).toBe(13);
  });

  it('keeps the checkpoint before a missing id but remembers what was indexed above it', () => {
    const cursor = advanceCursor(cursorAt(10), fresh(11, 12, 14, 15, 19), NOW);
    expect(cursor.scanned).toBe(19);
    expect(cursor.gaps).toEqual([
      { from: 13, to: 13, sinceMs: NOW },
      { from: 16, to: 18, sinceMs: NOW },
    ]);
    expect(checkpointOf(cursor)).toBe(12);
    expect(missingIds(cursor.gaps)).toBe(4);
  });

  it('fills gaps as late commits appear, splitting ranges, and moves the checkpoint', () => {
    let cursor = advanceCursor(cursorAt(10), fresh(11, 12, 14, 15, 19), NOW);
    cursor = fillGaps(cursor, [17, 13]);
    expect(cursor.gaps).toEqual([
      { from: 16, to: 16, sinceMs: NOW },
      { from: 18, to: 18, sinceMs: NOW },
    ]);
    expect(checkpointOf(cursor)).toBe(15);
    cursor = fillGaps(cursor, [16, 18]);
    expect(cursor.gaps).toEqual([]);
    expect(checkpointOf(cursor)).toBe(19);
  });

  it('gives a gap up only after it has been missing for the timeout', () => {
    const cursor = advanceCursor(cursorAt(0), fresh(1, 3), NOW);
    expect(expireGaps(cursor, NOW + 9_999, 10_000).skipped).toEqual([]);
    const expired = expireGaps(cursor, NOW + 10_000, 10_000);
    expect(expired.skipped).toEqual([{ from: 2, to: 2, sinceMs: NOW }]);
    expect(checkpointOf(expired.cursor)).toBe(3);
  });

  it('counts a gap from the creation of the row after it, so old history is not waited for', () => {
    // Row 1000 was created an hour ago: ids 1..999 (deleted by retention, say) are history.
    const cursor = advanceCursor(
      cursorAt(0),
      [
        { id: 1000, ageMs: 3_600_000 },
        { id: 1002, ageMs: 0 },
      ],
      NOW,
    );
    const expired = expireGaps(cursor, NOW, 10_000);
    expect(expired.skipped).toEqual([{ from: 1, to: 999, sinceMs: NOW - 3_600_000 }]);
    expect(checkpointOf(expired.cursor)).toBe(1000);
    expect(expired.cursor.gaps).toEqual([{ from: 1001, to: 1001, sinceMs: NOW }]);
  });

  it('ignores rows at or below the scanned id and bounds the number of tracked gaps', () => {
    expect(advanceCursor(cursorAt(5), fresh(4, 5, 6), NOW)).toEqual({ scanned: 6, gaps: [] });
    const many = advanceCursor(cursorAt(0), fresh(2, 4, 6, 8), NOW);
    const bounded = expireGaps(many, NOW, 10_000, 2);
    expect(bounded.skipped.map((gap) => gap.from)).toEqual([1, 3]);
    expect(bounded.cursor.gaps.map((gap) => gap.from)).toEqual([5, 7]);
  });
});

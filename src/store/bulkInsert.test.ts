import { describe, expect, it } from 'vitest';

import { chunkRowCounts, insertInChunks } from './bulkInsert.js';

describe('chunkRowCounts', () => {
  it('covers every row with sizes from the fixed set, largest first', () => {
    expect(chunkRowCounts(0)).toEqual([]);
    expect(chunkRowCounts(1)).toEqual([1]);
    expect(chunkRowCounts(100)).toEqual([64, 32, 4]);
    expect(chunkRowCounts(500)).toEqual([128, 128, 128, 64, 32, 16, 4]);
  });

  it('uses at most eight distinct sizes for any batch up to 10,000 rows', () => {
    const sizes = new Set<number>();
    for (let rows = 1; rows <= 10_000; rows += 1) {
      const counts = chunkRowCounts(rows);
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(rows);
      counts.forEach((count) => sizes.add(count));
    }
    expect([...sizes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
  });
});

describe('insertInChunks', () => {
  it('sends each chunk with its own slice of the values, in order', async () => {
    const calls: Array<{ sql: string; values: unknown[] }> = [];
    const executor = {
      execute: (sql: string, values: unknown[]) => {
        calls.push({ sql, values });
        return Promise.resolve([{}, []]);
      },
    } as unknown as Parameters<typeof insertInChunks>[0];
    const values = Array.from({ length: 3 * 2 }, (_, index) => index);
    await insertInChunks(
      executor,
      { prefix: 'INSERT INTO t (a, b) VALUES ', rowPlaceholders: '(?, ?)', columns: 2 },
      values,
    );
    expect(calls).toEqual([
      { sql: 'INSERT INTO t (a, b) VALUES (?, ?),(?, ?)', values: [0, 1, 2, 3] },
      { sql: 'INSERT INTO t (a, b) VALUES (?, ?)', values: [4, 5] },
    ]);
  });
});

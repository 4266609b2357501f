import type { PoolConnection } from 'mysql2/promise';

/** A pool or one of its connections: whatever runs a prepared statement. */
export type StatementExecutor = Pick<PoolConnection, 'execute'>;

export type InsertValue = string | number | Buffer | null;

/**
 * Row counts of the multi-row INSERTs we prepare, largest first. mysql2 keeps every distinct
 * statement text prepared on each connection (up to 16,000 by default, each with a definition per
 * placeholder) and the server counts them against `max_prepared_stmt_count` (16,382 for the whole
 * server, Magento's own connections included). One text per batch size grew the sidecar's heap by
 * ~40 MB per 200,000 deliveries until the GC ran flat out; chunks of these sizes cap the texts at
 * eight per table while a 500-row batch still takes only six statements.
 */
const CHUNK_ROWS = [128, 64, 32, 16, 8, 4, 2, 1] as const;

/** How many rows each statement of an INSERT of `rows` rows carries (largest first). */
export function chunkRowCounts(rows: number): number[] {
  const counts: number[] = [];
  let left = rows;
  for (const size of CHUNK_ROWS) {
    while (left >= size) {
      counts.push(size);
      left -= size;
    }
  }
  return counts;
}

/**
 * Inserts `values` (row after row, `columns` per row) with as few statements of the prepared
 * sizes as it takes. Several statements are not atomic by themselves: callers that must not repeat
 * rows on a retry run this inside a transaction, or use INSERT IGNORE on a unique key.
 */
export async function insertInChunks(
  executor: StatementExecutor,
  statement: { prefix: string; rowPlaceholders: string; columns: number },
  values: readonly InsertValue[],
): Promise<void> {
  let offset = 0;
  for (const rows of chunkRowCounts(values.length / statement.columns)) {
    const end = offset + rows * statement.columns;
    await executor.execute(
      statement.prefix + Array.from({ length: rows }, () => statement.rowPlaceholders).join(','),
      values.slice(offset, end),
    );
    offset = end;
  }
}

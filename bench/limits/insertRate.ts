import type { Pool, ResultSetHeader } from 'mysql2/promise';

/**
 * The batched INSERT rate into Magento's log table: `rows` rows with a delivery-sized
 * serialized_data, in multi-row INSERTs of `batch` rows, one statement at a time per connection,
 * over `connections` connections at once (what a group-committing writer can reach).
 */
export async function batchedInsertRate(
  pool: Pool,
  options: { subscriptionId: number; rows: number; batch: number; body: Buffer; connections: number },
): Promise<number> {
  const placeholders = Array.from({ length: options.batch }, () => '(?, ?, 1, ?, ?)').join(',');
  const sql = `INSERT INTO async_event_subscriber_log (uuid, subscription_id, success, response_data, serialized_data) VALUES ${placeholders}`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (next < options.rows) {
        const values: Array<string | number | Buffer> = [];
        for (let index = 0; index < options.batch; index += 1) {
          values.push(`raw-${next + index}`, options.subscriptionId, '{"ok":true}', options.body);
        }
        next += options.batch;
        await pool.query<ResultSetHeader>(sql, values);
      }
    }),
  );
  return next / ((performance.now() - started) / 1000);
}

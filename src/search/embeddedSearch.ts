import type { RowDataPacket } from 'mysql2/promise';

import { ApiError } from '../shared/index.js';
import { LOG_FROM, LOG_ITEM_COLUMNS, makeBoundedSelect, type Pool, toLogItem } from '../store/index.js';
import { parseQuery } from './query.js';
import type { SearchBackend, SearchOptions, SearchPage } from './searchBackend.js';
import { queryToSql } from './sqlTranslator.js';

/**
 * The default backend: the Lucene query translated to SQL over Magento's own tables, so search
 * works with MySQL alone. Bounded by a statement timeout; newest deliveries first.
 */
export function makeEmbeddedSearch(options: { pool: Pool; timeoutMs: number }): SearchBackend {
  const run = makeBoundedSelect({
    pool: options.pool,
    timeoutMs: options.timeoutMs,
    onTimeout: () =>
      new ApiError(
        'SC_ERR_INPUT',
        'The query took longer than %seconds s; narrow it, e.g. with created:[now-1d TO now].',
        { parameters: { seconds: options.timeoutMs / 1000 } },
      ),
  });

  return {
    name: 'embedded',
    async search(q: string, page: SearchOptions): Promise<SearchPage> {
      const condition = queryToSql(parseQuery(q));
      const offset = (page.currentPage - 1) * page.pageSize;
      const [rows, counted] = await Promise.all([
        run<RowDataPacket[]>(
          `SELECT ${LOG_ITEM_COLUMNS}${page.bodies ? ', l.serialized_data' : ''} ${LOG_FROM} WHERE ${condition.sql} ORDER BY l.log_id DESC LIMIT ? OFFSET ?`,
          [...condition.params, page.pageSize, offset],
        ),
        run<RowDataPacket[]>(`SELECT COUNT(*) AS total ${LOG_FROM} WHERE ${condition.sql}`, condition.params),
      ]);
      return {
        items: rows.map((row) => toLogItem(row, page.bodies)),
        total_count: Number(counted[0]?.total ?? 0),
      };
    },
    async matchingIds(q: string, limit: number): Promise<number[]> {
      const condition = queryToSql(parseQuery(q));
      const rows = await run<RowDataPacket[]>(
        `SELECT MAX(l.log_id) AS log_id ${LOG_FROM} WHERE ${condition.sql} GROUP BY COALESCE(l.uuid, l.log_id) ORDER BY log_id DESC LIMIT ?`,
        [...condition.params, limit],
      );
      return rows.map((row) => Number(row.log_id));
    },
  };
}

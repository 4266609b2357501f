import type { RowDataPacket } from 'mysql2/promise';

import { ApiError } from '../shared/index.js';
import {
  detectFlavor,
  isStatementTimeout,
  LOG_FROM,
  LOG_ITEM_COLUMNS,
  type Pool,
  type SqlFlavor,
  toLogItem,
  withStatementTimeout,
} from '../store/index.js';
import { parseQuery } from './query.js';
import type { SearchBackend, SearchOptions, SearchPage } from './searchBackend.js';
import { queryToSql } from './sqlTranslator.js';

/**
 * The default backend: the Lucene query translated to SQL over Magento's own tables, so search
 * works with MySQL alone. Bounded by a statement timeout; newest deliveries first.
 */
export function makeEmbeddedSearch(options: { pool: Pool; timeoutMs: number }): SearchBackend {
  let flavor: Promise<SqlFlavor> | undefined;

  const run = async <T extends RowDataPacket[]>(select: string, params: unknown[]): Promise<T> => {
    flavor ??= detectFlavor(options.pool);
    try {
      const [rows] = await options.pool.query<T>(
        withStatementTimeout(select, options.timeoutMs, await flavor),
        params,
      );
      return rows;
    } catch (error: unknown) {
      if (isStatementTimeout(error)) {
        throw new ApiError(
          'SC_ERR_INPUT',
          'The query took longer than %seconds s; narrow it, e.g. with created:[now-1d TO now].',
          {
            parameters: { seconds: options.timeoutMs / 1000 },
          },
        );
      }
      throw error;
    }
  };

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

import type { RowDataPacket } from 'mysql2/promise';

import type { Pool } from './db.js';

/**
 * Bounds a read that user input shapes (a search), so a hostile or careless query cannot hold a
 * database connection for minutes. MariaDB and MySQL spell it differently.
 */
export type SqlFlavor = 'mariadb' | 'mysql';

export async function detectFlavor(pool: Pool): Promise<SqlFlavor> {
  const [[row]] = await pool.query<RowDataPacket[]>('SELECT VERSION() AS version');
  return String(row?.version ?? '')
    .toLowerCase()
    .includes('mariadb')
    ? 'mariadb'
    : 'mysql';
}

/** `select` must start with SELECT. */
export function withStatementTimeout(select: string, timeoutMs: number, flavor: SqlFlavor): string {
  if (flavor === 'mariadb') {
    return `SET STATEMENT max_statement_time = ${Math.max(0.001, timeoutMs / 1000)} FOR ${select}`;
  }
  return select.replace(
    /^SELECT\s/i,
    `SELECT /*+ MAX_EXECUTION_TIME(${Math.max(1, Math.round(timeoutMs))}) */ `,
  );
}

/** MariaDB ER_STATEMENT_TIMEOUT, MySQL ER_QUERY_TIMEOUT / ER_QUERY_INTERRUPTED. */
export function isStatementTimeout(error: unknown): boolean {
  const errno =
    typeof error === 'object' && error !== null ? (error as { errno?: unknown }).errno : undefined;
  return errno === 1969 || errno === 3024 || errno === 1317;
}

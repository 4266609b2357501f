import type { PoolConnection, RowDataPacket } from 'mysql2/promise';

import type { Pool } from './db.js';

/**
 * A MySQL named lock (`GET_LOCK`) held on a connection of its own for as long as the holder
 * works, so exactly one replica does a singleton job. MySQL frees the lock when that connection
 * ends, so a crashed or partitioned holder loses it by itself; `isHeld()` asks the server, and the
 * holder must stop when it answers false. MySQL lock names are server-wide, so the name is
 * scoped to the current database (two stores on one server each get their own lock); keep `name`
 * at most 51 characters (MySQL allows 64 in all).
 *
 * States: free → held (connection taken from the pool) → free (released, or lost with the
 * connection).
 */
export interface NamedLock {
  readonly name: string;
  /** Takes the lock if nobody holds it, waiting at most `waitS` seconds. @default 0 */
  tryAcquire(waitS?: number): Promise<boolean>;
  /** Whether this holder still has it (false once the connection is gone). */
  isHeld(): Promise<boolean>;
  release(): Promise<void>;
}

// Bounded so a half-open TCP connection cannot stall the holder's check forever.
const QUERY_TIMEOUT_MS = 5000;
/** The lock's server-wide name: `name` plus a short hash of the current database's name. */
const SCOPED = "CONCAT(?, '_', LEFT(SHA1(COALESCE(DATABASE(), '')), 12))";

export function makeNamedLock(pool: Pool, name: string): NamedLock {
  let connection: PoolConnection | undefined;

  const drop = (): void => {
    // The connection may be broken: destroy it rather than hand it back to the pool.
    connection?.destroy();
    connection = undefined;
  };

  const ask = async (sql: string): Promise<number> => {
    if (connection === undefined) {
      return 0;
    }
    const [rows] = await connection.query<RowDataPacket[]>({ sql, timeout: QUERY_TIMEOUT_MS }, [name]);
    return Number(rows[0]?.value ?? 0);
  };

  return {
    name,
    async tryAcquire(waitS = 0) {
      if (connection !== undefined) {
        return this.isHeld();
      }
      connection = await pool.getConnection();
      try {
        const [rows] = await connection.query<RowDataPacket[]>(
          { sql: `SELECT GET_LOCK(${SCOPED}, ?) AS value`, timeout: QUERY_TIMEOUT_MS + waitS * 1000 },
          [name, waitS],
        );
        if (Number(rows[0]?.value) === 1) {
          return true;
        }
        connection.release();
        connection = undefined;
        return false;
      } catch (error: unknown) {
        drop();
        throw error;
      }
    },
    async isHeld() {
      try {
        return (await ask(`SELECT IS_USED_LOCK(${SCOPED}) = CONNECTION_ID() AS value`)) === 1;
      } catch {
        drop();
        return false;
      }
    },
    async release() {
      if (connection === undefined) {
        return;
      }
      try {
        await ask(`SELECT RELEASE_LOCK(${SCOPED}) AS value`);
        connection.release();
        connection = undefined;
      } catch {
        drop(); // ending the connection frees the lock too
      }
    },
  };
}

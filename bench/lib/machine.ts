import { execFile } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { promisify } from 'node:util';

import { createConnection, type RowDataPacket } from 'mysql2/promise';

const run = promisify(execFile);

export interface Machine {
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  rabbitmq: string;
  mariadb: string;
  date: string;
}

/** What the figures were measured on, recorded with every run. */
export async function describeMachine(mysqlAdminUrl: string): Promise<Machine> {
  const rabbitmq = await run('rabbitmqctl', ['--quiet', 'version'])
    .then(({ stdout }) => stdout.trim())
    .catch(() => 'unknown');
  const connection = await createConnection({ uri: mysqlAdminUrl });
  const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
  await connection.end();
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    rabbitmq,
    mariadb: String(rows[0]?.version ?? 'unknown'),
    date: new Date().toISOString(),
  };
}

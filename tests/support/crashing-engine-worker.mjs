// The engine's worker with one trap for tests of the pool: op 'crash' opens a transaction on the database
// port and then ends its thread, as a worker killed mid-write would; every other op runs as usual.
import { tsImport } from 'tsx/esm/api';

const real = await tsImport('../../server/engine/engine-task.ts', import.meta.url);
const { databaseOverPort } = await tsImport('../../server/engine/database-port.ts', import.meta.url);
const { sql } = await import('kysely');

export default async function (task) {
  if (task.op !== 'crash') return real.default(task);
  const db = databaseOverPort(task.port);
  await db.connection().execute(async (c) => {
    await sql`begin`.execute(c);
    await sql`insert into regions (name) values ('written by a dying worker')`.execute(c);
    process.exit(3);
  });
}

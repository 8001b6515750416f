import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { postgresPoolOf } from './database.ts';

// node-postgres reads bytea as hex text: a value over ~256 MB would need a string longer than V8 allows
const SLICE_BYTES = 64 * 1024 * 1024;

/**
 * One row's bytea column, read in 64 MB slices (a province's grid is ~350 MB), so no value on the way is
 * longer than a string may be. Throws when the row is missing.
 *
 * @example const buf = await readBytea(db, 'population_grids', 'data', gridId);
 */
export async function readBytea(db: Kysely<any>, table: string, column: string, id: number, options: { sliceBytes?: number } = {}): Promise<Buffer> {
  const slice = options.sliceBytes ?? SLICE_BYTES;
  const where = sql`WHERE id = ${id}`;
  const head = await sql<{ n: number | string | null }>`SELECT octet_length(${sql.ref(column)}) AS n FROM ${sql.table(table)} ${where}`.execute(db);
  if (head.rows.length === 0) throw new Error(`${table} ${id}: no such row`);
  const n = Number(head.rows[0].n ?? 0);
  const out = Buffer.allocUnsafe(n);
  // node-postgres reads bytea as hex text (twice the bytes): from PostgreSQL ask for base64 (4/3), decoded in
  // place; PGlite hands bytea over as bytes already
  const base64 = postgresPoolOf(db) !== null;
  for (let at = 0; at < n; at += slice) {
    const range = sql`substring(${sql.ref(column)} FROM ${at + 1} FOR ${slice})`;
    if (base64) {
      const part = await sql<{ part: string }>`SELECT encode(${range}, 'base64') AS part FROM ${sql.table(table)} ${where}`.execute(db);
      const wrote = out.write(part.rows[0].part, at, 'base64');
      if (wrote !== Math.min(slice, n - at)) throw new Error(`${table} ${id}: read ${wrote} bytes at ${at}, expected ${Math.min(slice, n - at)}`);
    } else {
      const part = await sql<{ part: Uint8Array }>`SELECT ${range} AS part FROM ${sql.table(table)} ${where}`.execute(db);
      out.set(part.rows[0].part, at);
    }
  }
  return out;
}

import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// node-postgres reads bytea as hex text: a value over ~256 MB would need a string longer than V8 allows
const SLICE_BYTES = 64 * 1024 * 1024;

/**
 * One row's bytea column, read in 64 MB slices when it is large (a province's grid is ~350 MB), so no
 * value on the way is longer than a string may be. Throws when the row is missing.
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
  for (let at = 0; at < n; at += slice) {
    const part = await sql<{ part: Uint8Array }>`SELECT substring(${sql.ref(column)} FROM ${at + 1} FOR ${slice}) AS part FROM ${sql.table(table)} ${where}`.execute(db);
    out.set(part.rows[0].part, at);
  }
  return out;
}

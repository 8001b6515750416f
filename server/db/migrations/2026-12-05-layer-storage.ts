import { sql, type Kysely } from 'kysely';

/**
 * Grids and road networks stored uncompressed out of line: packed float columns barely compress, and a
 * province's layer is read in slices (`readBytea`), which PostgreSQL serves without inflating the whole value.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['population_grids', 'road_networks']) await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN data SET STORAGE EXTERNAL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['population_grids', 'road_networks']) await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN data SET STORAGE EXTENDED`.execute(db);
}

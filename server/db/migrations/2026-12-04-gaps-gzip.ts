import { type Kysely } from 'kysely';

/**
 * A run's gap polygons as gzipped GeoJSON bytes: a county's gaps are ~3 MB of JSON that jsonb parsed on every
 * filing (most of an analysis's round trip on PGlite) and nothing queries inside. Older runs keep `gaps`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('analysis_runs').addColumn('gaps_gz', 'bytea').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('analysis_runs').dropColumn('gaps_gz').execute();
}

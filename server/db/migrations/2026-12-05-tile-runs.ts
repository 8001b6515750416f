import { sql, type Kysely } from 'kysely';

/** Tiled runs: a region run split into one queue job per county tile, each tile's cells stored once per run. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema.createTable('tile_runs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('region_id', 'integer', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('spec', 'jsonb', (c) => c.notNull())
    .addColumn('tiles', 'integer', (c) => c.notNull())
    // the region's layers and facilities when planned: a tile run on other data would not merge
    .addColumn('stamp', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('running'))
    .addColumn('summary', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createTable('tile_results')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('run_id', 'integer', (c) => c.notNull().references('tile_runs.id').onDelete('cascade'))
    .addColumn('tile', 'integer', (c) => c.notNull())
    .addColumn('unit', 'integer', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    .addColumn('ms', 'double precision', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    // a redone tile replaces its row: each cell of a run is stored, and counted, once
    .addUniqueConstraint('tile_results_run_tile', ['run_id', 'tile'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tile_results').execute();
  await db.schema.dropTable('tile_runs').execute();
}

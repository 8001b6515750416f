import { sql, type Kysely } from 'kysely';

// the tables whose writes change a region's layers (model) or its facilities
const LAYER_TABLES = ['population_grids', 'road_networks', 'admin_units'] as const;

/**
 * Two counters per region, bumped by statement-level triggers on every write to its layers or facilities, so
 * the stamp every analysis and what-if reads is one row by key rather than counts and maxima over the
 * facilities (4 ms a request on PGlite). Triggers catch every writer: this process, another service or a worker.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table regions add column layers_rev bigint not null default 0, add column facilities_rev bigint not null default 0`.execute(db);
  for (const [column, fn] of [['layers_rev', 'lifecircle_bump_layers'], ['facilities_rev', 'lifecircle_bump_facilities']] as const) {
    await sql.raw(`create function ${fn}() returns trigger language plpgsql as $$
      begin
        update regions set ${column} = ${column} + 1 where id in (select distinct region_id from changed);
        return null;
      end $$`).execute(db);
  }
  const tables: Array<[string, string]> = [...LAYER_TABLES.map((t) => [t, 'lifecircle_bump_layers'] as [string, string]), ['facilities', 'lifecircle_bump_facilities']];
  for (const [table, fn] of tables) {
    for (const [event, side] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
      await sql.raw(`create trigger ${table}_${event}_rev after ${event} on ${table} referencing ${side} table as changed for each statement execute function ${fn}()`).execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [...LAYER_TABLES, 'facilities']) {
    for (const event of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${table}_${event}_rev on ${table}`).execute(db);
  }
  await sql`drop function if exists lifecircle_bump_layers()`.execute(db);
  await sql`drop function if exists lifecircle_bump_facilities()`.execute(db);
  await sql`alter table regions drop column layers_rev, drop column facilities_rev`.execute(db);
}

import { sql, type Kysely } from 'kysely';
import { toJson } from '../../db/column-types.ts';
import type { Database } from '../../db/database.ts';
import type { TiledRunSpec, TiledRunSummary, TileResultRow, TileRunRow } from './tile-run.table.ts';

type Q = Kysely<Database>;

export function insertTileRun(db: Q, run: { regionId: number; spec: TiledRunSpec; tiles: number; stamp: string }): Promise<TileRunRow> {
  return db.insertInto('tile_runs').values({ region_id: run.regionId, spec: toJson(run.spec), tiles: run.tiles, stamp: run.stamp }).returningAll().executeTakeFirstOrThrow();
}

export function findTileRun(db: Q, id: number): Promise<TileRunRow | undefined> {
  return db.selectFrom('tile_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Stores a tile's cells; a tile stored before (a redone job) is replaced, never added beside. */
export async function upsertTileResult(db: Q, r: { runId: number; tile: number; unit: number; worker: string; ms: number; data: Buffer }): Promise<void> {
  await db.insertInto('tile_results')
    .values({ run_id: r.runId, tile: r.tile, unit: r.unit, worker: r.worker, ms: r.ms, data: r.data })
    .onConflict((oc) => oc.columns(['run_id', 'tile']).doUpdateSet({ unit: r.unit, worker: r.worker, ms: r.ms, data: r.data, updated_at: new Date() }))
    .execute();
}

export async function countTileResults(db: Q, runId: number): Promise<number> {
  const row = await db.selectFrom('tile_results').select((eb) => eb.fn.countAll<string>().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listTileResults(db: Q, runId: number): Promise<TileResultRow[]> {
  return db.selectFrom('tile_results').selectAll().where('run_id', '=', runId).orderBy('tile').execute();
}

/** Locks the run's row until the transaction ends, so one worker alone merges it. */
export function lockTileRun(db: Q, id: number): Promise<TileRunRow | undefined> {
  return db.selectFrom('tile_runs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The merged run's summary; its cells stay in its tiles' rows (a province's are hundreds of MB, once is enough). */
export async function fileMergedRun(db: Q, id: number, summary: TiledRunSummary): Promise<void> {
  await db.updateTable('tile_runs').set({ state: 'merged', summary: toJson(summary), updated_at: new Date() }).where('id', '=', id).execute();
}

/** Tile jobs of a run that failed for good (the queue stopped retrying them). */
export async function failedTileJobs(db: Q, runId: number): Promise<Array<{ tile: number; job: number; error: string }>> {
  const rows = await db.selectFrom('jobs').select(['id', 'args', 'error']).where('kind', '=', 'tile').where('state', '=', 'failed')
    .where(sql<number>`(args->0->>'runId')::int`, '=', runId).execute();
  return rows.map((r) => ({ tile: Number((r.args as Array<{ tile: number }>)[0].tile), job: r.id, error: r.error?.message ?? 'failed' }));
}

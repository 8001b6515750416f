import { ACCESS_MODES, analyzeAccess, thresholdOf, type AccessRequest } from '../../../analysis/accessibility/analyze-access.ts';
import { filterFacilities } from '../../../analysis/facilities/facility-set.ts';
import { networkIslands, type NetworkIslands } from '../../../analysis/network/mode-graph.ts';
import { defaultSpeedTable } from '../../../analysis/network/speed-table.ts';
import { haloMeters } from '../../../analysis/tiles/halo-meters.ts';
import { planTiles, type TilePlan } from '../../../analysis/tiles/plan-tiles.ts';
import { placeTile, regionColumns, runTiled, storedTile, type StoredTile } from '../../../analysis/tiles/run-tiled.ts';
import { tileInputs } from '../../../analysis/tiles/tile-inputs.ts';
import { roadIndex, type RoadIndex } from '../../../analysis/tiles/road-index.ts';
import { AppError } from '../../app/app-error.ts';
import { packColumns, unpackColumns } from '../../db/binary-columns.ts';
import type { Db } from '../../db/database.ts';
import type { Engine } from '../../engine/engine.ts';
import { toFacilitySet, withStatus } from '../facilities/facility.service.ts';
import type { JobRunner } from '../jobs/job.service.ts';
import { WORKER_NAME } from '../jobs/job.service.ts';
import type { ProgressFn, RegionModelCache } from '../regions/region-model-cache.ts';
import { regionStamps } from '../regions/region.repository.ts';
import { requireRegion } from '../regions/region.service.ts';
import * as repo from './tile-run.repository.ts';
import type { TiledRunSpec, TiledRunSummary, TileRunState } from './tile-run.table.ts';

/** A region's question cut into tiles, as every worker rebuilds it from the same stored data. */
interface TiledQuestion {
  request: AccessRequest;
  plans: TilePlan[];
  islands: NetworkIslands | undefined;
  /** the region's road index, built when a worker first cuts a tile of it (planning needs none) */
  roads: () => RoadIndex | undefined;
  halo: number;
  /** layers and facilities the answer depends on */
  stamp: string;
}

/** A planned run: its id and tiles, and the queue jobs that compute them. */
export interface TiledRunStarted {
  runId: number;
  tiles: Array<{ tile: number; unit: number; name: string; cells: number }>;
  jobs: number[];
}

/** A tile job's outcome: which tile, and whether storing it completed (and merged) the run. */
export interface TileJobResult {
  runId: number;
  tile: number;
  unit: number;
  cells: number;
  merged: boolean;
}

/** A run as filed: per region cell its cost, facility and reachability once merged, with the county rollup. */
export interface TiledRunView {
  id: number;
  regionId: number;
  spec: TiledRunSpec;
  state: TileRunState | 'failed';
  tiles: number;
  tilesStored: number;
  summary: TiledRunSummary | null;
  /** state 'failed': the tiles whose job failed for good, with the error */
  failedTiles?: Array<{ tile: number; job: number; error: string }>;
  cells: { cost: Float64Array; facility: Int32Array; unreachable: Uint8Array } | null;
}

function checkSpec(spec: TiledRunSpec): void {
  if (!(ACCESS_MODES as readonly string[]).includes(spec.mode)) {
    throw new AppError('validation_failed', `mode: expected one of ${ACCESS_MODES.join(', ')}, found '${spec.mode}'`, { field: 'mode', expected: ACCESS_MODES.join(', '), found: String(spec.mode) });
  }
  try {
    thresholdOf({ mode: spec.mode, minutes: spec.minutes, meters: spec.meters } as AccessRequest);
  } catch (e) {
    throw AppError.fromInput(e, 'validation_failed', { field: 'minutes' });
  }
}

async function tiledQuestion(db: Db, cache: RegionModelCache, spec: TiledRunSpec, report: ProgressFn): Promise<TiledQuestion> {
  const stamps = await regionStamps(db, spec.regionId);
  const model = await cache.get(db, spec.regionId, report, stamps.layers);
  const rows = await cache.facilities(db, spec.regionId, stamps.facilities);
  const stamp = `${model.stamp}|f${rows.stamp}`;
  const key = `tiles|${stamp}|${JSON.stringify([spec.mode, spec.minutes, spec.meters, spec.categories, spec.statuses])}`;
  // plans and islands are the same for every tile of a run: worked out once per worker
  return cache.session(model, key, () => {
    let all = toFacilitySet(withStatus(rows.rows, spec.statuses ?? ['existing']));
    if (spec.categories) {
      const wanted = new Set(spec.categories);
      all = filterFacilities(all, (i) => wanted.has(all.category[i]));
    }
    if (spec.mode !== 'straight' && !model.network) {
      throw new AppError('validation_failed', `region ${spec.regionId} has no road network; import roads or use mode 'straight'`, { field: 'mode', expected: 'straight (no roads imported)', found: spec.mode });
    }
    const request: AccessRequest = {
      grid: model.grid, facilities: all, mode: spec.mode, minutes: spec.minutes, meters: spec.meters,
      network: spec.mode === 'straight' ? undefined : model.network!,
    };
    try {
      const halo = haloMeters(request);
      const islands = spec.mode === 'straight' ? undefined : networkIslands(model.network!, spec.mode, defaultSpeedTable());
      // one index per loaded region, whatever the question: a worker cuts every tile it takes from it
      const roads = () => (model.network ? cache.session(model, 'roads', () => roadIndex(model.network!)) : undefined);
      return { request, plans: planTiles(model.grid, { haloMeters: halo }), islands, roads, halo, stamp };
    } catch (e) {
      throw AppError.fromInput(e, 'validation_failed');
    }
  });
}

/**
 * Plans a tiled run of a stored region: one tile per county (plus one for cells outside every county),
 * filed as a run row; its tiles then go on the queue as jobs (`startTiledRun`).
 *
 * @example await planTiledRun(db, cache, { regionId: 1, mode: 'walk', minutes: 15 }) // { runId, tiles }
 */
export async function planTiledRun(db: Db, cache: RegionModelCache, spec: TiledRunSpec, report: ProgressFn = () => undefined): Promise<Omit<TiledRunStarted, 'jobs'>> {
  checkSpec(spec);
  await requireRegion(db, spec.regionId);
  const q = await tiledQuestion(db, cache, spec, report);
  const run = await repo.insertTileRun(db, { regionId: spec.regionId, spec, tiles: q.plans.length, stamp: q.stamp });
  return { runId: run.id, tiles: q.plans.map((p, tile) => ({ tile, unit: p.unit, name: p.name, cells: p.cells.length })) };
}

/**
 * Plans the run (in the engine) and queues one job per tile: whichever worker takes a tile computes it from
 * the region it loads by id, and the worker storing the last tile merges the run.
 *
 * @example const run = await startTiledRun(deps.engine, deps.jobs, { regionId: 1, mode: 'car', minutes: 15 });
 */
export async function startTiledRun(engine: Engine, jobs: JobRunner, spec: TiledRunSpec): Promise<TiledRunStarted> {
  const plan = await engine.call('planTiledRun', [spec]);
  const queued: number[] = [];
  for (const t of plan.tiles) queued.push((await jobs.start('tile', [{ runId: plan.runId, tile: t.tile }])).id);
  return { ...plan, jobs: queued };
}

/**
 * One tile job: cuts the tile's inputs from the region model (`tileInputs`), runs it, and stores its owned
 * cells under (run, tile), replacing what an earlier attempt stored; the worker that stores the last tile
 * merges the run with `runTiled`, the stored tiles standing in for its `runTile`.
 *
 * @example await runAccessTile(db, cache, { runId: 3, tile: 0 })
 */
export async function runAccessTile(db: Db, cache: RegionModelCache, job: { runId: number; tile: number }, report: ProgressFn = () => undefined): Promise<TileJobResult> {
  const run = await repo.findTileRun(db, job.runId);
  if (!run) throw AppError.notFound('tiled run', job.runId);
  if (!(Number.isInteger(job.tile) && job.tile >= 0 && job.tile < run.tiles)) {
    throw new AppError('validation_failed', `tile: expected 0 to ${run.tiles - 1} (run ${run.id} has ${run.tiles} tiles), found ${job.tile}`, { field: 'tile' });
  }
  const q = await tiledQuestion(db, cache, run.spec, report);
  if (q.stamp !== run.stamp || q.plans.length !== run.tiles) {
    throw new AppError('conflict', `tiled run ${run.id} was planned on other data of region ${run.region_id} (${run.stamp}, now ${q.stamp}); start the run again`);
  }
  const plan = q.plans[job.tile];
  if (run.state !== 'merged') {
    report(`tile ${plan.name}`);
    const tile = tileInputs(q.request, plan, { islands: q.islands, roads: q.request.network ? q.roads() : undefined });
    const t0 = performance.now();
    const r = analyzeAccess(tile.request);
    // in region terms (cells, the tile's facilities) and with the tile's size, so the merge cuts nothing again
    const t = storedTile(tile, r, performance.now() - t0);
    const data = packColumns({ unsnapped: t.unsnappedFacilities, nodes: t.nodes, segments: t.segments },
      { cells: t.cells, facilities: t.facilities, cost: t.cost, facility: t.facility, unreachable: t.unreachable });
    await repo.upsertTileResult(db, { runId: run.id, tile: job.tile, unit: plan.unit, worker: WORKER_NAME, ms: t.ms, data });
  }
  const merged = await mergeWhenComplete(db, run.id, q, report);
  return { runId: run.id, tile: job.tile, unit: plan.unit, cells: plan.cells.length, merged };
}

// under the run's row lock: the last tile stored merges, a second worker finding it merged does nothing
async function mergeWhenComplete(db: Db, runId: number, q: TiledQuestion, report: ProgressFn): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const run = await repo.lockTileRun(trx, runId);
    if (!run) throw AppError.notFound('tiled run', runId);
    if (run.state === 'merged') return true;
    if (await repo.countTileResults(trx, runId) < run.tiles) return false;
    report('merging the tiles');
    const stored = new Map<number, StoredTile>();
    for (const row of await repo.listTileResults(trx, runId)) {
      const u = unpackColumns(row.data, `tile ${row.tile} of run ${runId}`);
      stored.set(row.unit, {
        cells: u.column('cells', 'i32'), facilities: u.column('facilities', 'i32'), cost: u.column('cost', 'f64'), facility: u.column('facility', 'i32'),
        unreachable: u.column('unreachable', 'u8'), unsnappedFacilities: u.header.unsnapped as string[], nodes: Number(u.header.nodes), segments: Number(u.header.segments), ms: row.ms,
      });
    }
    // every tile is stored: nothing is cut or run again here
    const merged = await runTiled(q.request, {
      haloMeters: q.halo, stored, islands: q.islands,
      runTile: (tile) => { throw new Error(`tiled run ${runId}: no stored tile for ${tile.name}`); },
    });
    const tiles = merged.tiles;
    await repo.fileMergedRun(trx, runId, {
      coverage: merged.summary, rollup: merged.rollup, haloMeters: merged.haloMeters, tiles, unsnappedFacilities: merged.unsnappedFacilities,
    });
    return true;
  });
}

// every cell's result of a merged run, placed from its tiles' rows as the merge placed them
async function mergedCells(db: Db, id: number): Promise<NonNullable<TiledRunView['cells']>> {
  const tiles = (await repo.listTileResults(db, id)).map((row) => ({ row, u: unpackColumns(row.data, `tile ${row.tile} of run ${id}`) }));
  const cols = regionColumns(tiles.reduce((n, t) => n + t.u.column('cells', 'i32').length, 0));
  for (const { row, u } of tiles) {
    placeTile(cols, `tile ${row.tile}`, u.column('cells', 'i32'), u.column('facilities', 'i32'), { cost: u.column('cost', 'f64'), facility: u.column('facility', 'i32'), unreachable: u.column('unreachable', 'u8') });
  }
  return { cost: cols.cost, facility: cols.facility, unreachable: cols.unreachable };
}

/**
 * A tiled run as filed: state, tiles stored so far, and once merged the rollup, and every cell's result when
 * asked for (`cells: true`: a province's are hundreds of MB read from its tiles' rows).
 *
 * @example const run = await getTiledRun(db, 3); run.summary?.rollup
 */
export async function getTiledRun(db: Db, id: number, options: { cells?: boolean } = {}): Promise<TiledRunView> {
  const run = await repo.findTileRun(db, id);
  if (!run) throw AppError.notFound('tiled run', id);
  // a tile the queue gave up on leaves the run unmergeable: say so rather than 'running' for ever
  const failed = run.state === 'merged' ? [] : await repo.failedTileJobs(db, id);
  return {
    id: run.id, regionId: run.region_id, spec: run.spec, state: failed.length > 0 ? 'failed' : run.state, tiles: run.tiles, tilesStored: await repo.countTileResults(db, id), summary: run.summary,
    ...(failed.length > 0 ? { failedTiles: failed } : {}),
    cells: run.state === 'merged' && options.cells ? await mergedCells(db, id) : null,
  };
}

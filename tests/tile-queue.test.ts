// A tiled run as queue jobs on a real PostgreSQL: a seeded four-county region stored once, its run planned by a
// process that works no job, its four county tiles taken by two `lifecircle worker` processes; one worker is
// killed while it holds a tile, the other redoes that tile (attempts 2) and merges the run. Every cell equals
// the untiled run, and each cell is counted once: the per-county totals equal sums made here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAccess, type AccessRequest, type AccessResult } from '../analysis/accessibility/analyze-access.ts';
import { appDeps } from '../server/app/app-deps.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { toFacilitySet, withStatus } from '../server/features/facilities/facility.service.ts';
import { bossDispatch } from '../server/features/jobs/boss-dispatch.ts';
import { createJobRunner, type JobRunner } from '../server/features/jobs/job.service.ts';
import { createRegionModelCache } from '../server/features/regions/region-model-cache.ts';
import { seedRegion } from '../server/features/regions/region-seed.ts';
import { getTiledRun, startTiledRun, type TiledRunView } from '../server/features/tiles/tile-run.service.ts';
import type { TiledRunSpec } from '../server/features/tiles/tile-run.table.ts';
import type { Engine } from '../server/engine/engine.ts';
import { skipMessage, testDatabaseUrl } from './support/postgres.ts';
import { startWorker, waitFor, type Worker } from './support/queue-worker.ts';
import { quadrantOf, quadrantRegion } from './support/quadrant-region.ts';
import { postgresDatabase } from './service/service-harness.ts';

const serverUrl = await testDatabaseUrl();


/** Cells whose cost, facility or reachability differ (Object.is: -0 and NaN count). */
function differences(a: AccessResult, b: NonNullable<TiledRunView['cells']>): number[] {
  const out: number[] = [];
  for (let c = 0; c < a.cost.length; c++) {
    if (!Object.is(a.cost[c], b.cost[c]) || a.facility[c] !== b.facility[c] || a.unreachable[c] !== b.unreachable[c]) out.push(c);
  }
  return out;
}

// 120 × 120 streets (~12 km square), ~14 000 cells, 30 stations; 20 min on foot reaches ~1.7 km across county lines
const SIDE = 120;
const SPEC = { mode: 'walk', minutes: 20 } as const;

describe.skipIf(!serverUrl)('tiled run as queue jobs on PostgreSQL (pg-boss)', () => {
  let database: { handle: DatabaseHandle; url: string; drop(): Promise<void> };
  let jobs: JobRunner;
  let engine: Engine;
  let regionId: number;
  let whole: AccessResult;
  let request: AccessRequest;
  const workers: Worker[] = [];

  beforeAll(async () => {
    database = await postgresDatabase(serverUrl!);
    await migrateToLatest(database.handle.db);
    regionId = await seedRegion(database.handle.db, quadrantRegion(7, SIDE, 30));
    // this process only plans and queues, as a service started with LIFECIRCLE_WORK_JOBS=0 does
    const log = () => undefined;
    const deps = appDeps({ db: database.handle.db, databaseKind: 'postgres', token: 't', log });
    engine = deps.engine;
    // it also supervises the queue every 2 s, so the dead worker's tile is handed out soon after its heartbeat stops
    jobs = createJobRunner(deps.db, deps.engine, log, await bossDispatch({ url: database.url, concurrency: 1, log, superviseSeconds: 2 }), { work: false });
    // the untiled run, on the region as stored (its grid with the counties assigned, its roads, its stations)
    const cache = createRegionModelCache();
    const model = await cache.get(database.handle.db, regionId);
    const facilities = toFacilitySet(withStatus((await cache.facilities(database.handle.db, regionId)).rows, ['existing']));
    request = { grid: model.grid, facilities, network: model.network!, ...SPEC };
    whole = analyzeAccess(request);
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await jobs?.close(0);
    await database?.handle.close();
    await database?.drop();
  });

  it('two workers run the four county tiles; one killed mid-tile has it redone by the other; every cell as untiled, each counted once', async () => {
    const [a, b] = await Promise.all([startWorker(database.url), startWorker(database.url)]);
    workers.push(a, b);
    const spec: TiledRunSpec = { regionId, ...SPEC, categories: ['elderly_station'] };
    const run = await startTiledRun(engine, jobs, spec);
    expect(run.tiles.map((t) => t.name)).toEqual(['SW', 'SE', 'NW', 'NE']);
    expect(run.jobs).toHaveLength(4);
    const db = database.handle.db;
    // kill worker a as soon as it holds a tile (claimed, not stored: loading the region, cutting or running it)
    const held = await waitFor('worker a to take a tile', async () => {
      const row = await db.selectFrom('jobs').select(['id', 'args']).where('id', 'in', run.jobs).where('state', '=', 'running').where('worker', '=', a.name).executeTakeFirst();
      return row;
    }, 60_000);
    a.child.kill('SIGKILL');
    const heldTile = (held.args as Array<{ tile: number }>)[0].tile;
    const stored = await db.selectFrom('tile_results').select('tile').where('run_id', '=', run.runId).where('tile', '=', heldTile).execute();
    expect(stored, 'worker a was killed after storing its tile: the region is too small to catch it mid-tile').toEqual([]);

    // pg-boss hands the tile out again once the dead worker's heartbeat (10 s) is missed
    const merged = await waitFor('the run to merge', async () => {
      const failed = await db.selectFrom('jobs').select(['id', 'error']).where('id', 'in', run.jobs).where('state', '=', 'failed').executeTakeFirst();
      if (failed) throw new Error(`tile job ${failed.id} failed: ${JSON.stringify(failed.error)}\n${b.output()}`);
      const v = await getTiledRun(db, run.runId, { cells: true });
      return v.state === 'merged' ? v : undefined;
    }, 90_000);
    const rows = await db.selectFrom('jobs').select(['id', 'state', 'attempts', 'worker', 'args']).where('id', 'in', run.jobs).orderBy('id').execute();
    const redone = rows.find((r) => (r.args as Array<{ tile: number }>)[0].tile === heldTile)!;
    expect(redone.attempts).toBeGreaterThanOrEqual(2);
    expect(redone.worker).toBe(b.name);
    await waitFor('every tile job to settle', async () => {
      const open = await db.selectFrom('jobs').select('id').where('id', 'in', run.jobs).where('state', '!=', 'succeeded').execute();
      return open.length === 0 ? true : undefined;
    }, 30_000);
    // one stored row per tile, each by the worker that lived
    const results = await db.selectFrom('tile_results').select(['tile', 'worker']).where('run_id', '=', run.runId).orderBy('tile').execute();
    expect(results.map((r) => r.tile)).toEqual([0, 1, 2, 3]);
    expect(new Set(results.map((r) => r.worker))).toEqual(new Set([b.name]));

    // every cell as the untiled run, and the equality means something: cells are served across a county line
    expect(differences(whole, merged.cells!)).toEqual([]);
    let across = 0;
    for (let c = 0; c < request.grid.count; c++) {
      const f = whole.facility[c];
      if (f < 0 || whole.cost[c] > whole.threshold) continue;
      if (quadrantOf(SIDE, request.facilities.lon[f], request.facilities.lat[f]) !== request.grid.unit[c]) across++;
    }
    expect(across).toBeGreaterThan(100);
    expect(merged.summary!.coverage).toEqual(whole.summary);
    // each cell counted once: per county, sums of the untiled run's cells made here (cost <= 1200 s is covered)
    const population = [0, 0, 0, 0], covered = [0, 0, 0, 0], cells = [0, 0, 0, 0];
    for (let c = 0; c < request.grid.count; c++) {
      const u = request.grid.unit[c];
      cells[u]++;
      population[u] += request.grid.population[c];
      if (whole.cost[c] <= 1200) covered[u] += request.grid.population[c];
    }
    const rollup = merged.summary!.rollup;
    expect(rollup.map((r) => r.name)).toEqual(['SW', 'SE', 'NW', 'NE']);
    expect(rollup.map((r) => r.cells)).toEqual(cells);
    expect(rollup.map((r) => r.population)).toEqual(population);
    expect(rollup.map((r) => r.covered)).toEqual(covered);
    expect(cells.reduce((x, y) => x + y, 0)).toBe(request.grid.count);
  }, 180_000);
});

if (!serverUrl) describe('tiled run as queue jobs on PostgreSQL', () => it.skip(skipMessage('tiled run as queue jobs (pg-boss) against PostgreSQL 15'), () => undefined));

// Tiled vs untiled runs of a seeded synthetic province (k × k counties, each the size of the synthetic county):
// wall time in this process, and peak memory with every run (the untiled one, each tile) in a process of its own;
// then the fan-out: the car case's tiles by 1 and by 2 worker processes, through a process pool and through the
// real queue (pg-boss, `lifecircle worker`) when a PostgreSQL URL is set.
// Run: npx tsx bench/tiles-bench.ts (or npm run bench -- tiles); `npx tsx bench/tiles-bench.ts fanout` the fan-out alone
import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deserialize } from 'node:v8';
import type { Feature, Polygon } from 'geojson';
import { analyzeAccess, type AccessRequest, type AccessResult } from '../analysis/accessibility/analyze-access.ts';
import { assignUnits, type AdminUnits } from '../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../analysis/grid/population-grid.ts';
import type { RoadNetwork, RoadSource } from '../analysis/network/road-network.ts';
import { runTiled, type TiledAccessResult } from '../analysis/tiles/run-tiled.ts';
import type { TileRequest } from '../analysis/tiles/tile-inputs.ts';
import type { Db } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { inlineEngine } from '../server/engine/engine.ts';
import { bossDispatch } from '../server/features/jobs/boss-dispatch.ts';
import { createJobRunner } from '../server/features/jobs/job.service.ts';
import { createRegionModelCache } from '../server/features/regions/region-model-cache.ts';
import { seedRegion } from '../server/features/regions/region-seed.ts';
import { getTiledRun, startTiledRun } from '../server/features/tiles/tile-run.service.ts';
import type { TiledRunSpec } from '../server/features/tiles/tile-run.table.ts';
import { postgresDatabase } from '../tests/service/service-harness.ts';
import { writeRequest } from './access-child.ts';
import type { PoolAnswer, PoolMessage } from './tile-pool-child.ts';
import { syntheticCounty } from './synthetic-county.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./access-child.ts', import.meta.url));
const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;

/** a child's run: memory in MB, time in ms; per progress step its time and the peak memory at its end */
export interface ChildRun { loadedMB: number; peakMB: number; ms: number; phases?: Record<string, number>; peaks?: Record<string, number> }

/** The synthetic county's generator at k times its side, cut into k × k square counties. */
export function province(k: number, seed = 42): { grid: PopulationGrid; network: RoadNetwork; facilities: AccessRequest['facilities']; roads: RoadSource; units: AdminUnits } {
  const side = 317 * k;
  const { grid, network, facilities, roads } = syntheticCounty(seed, side, 400 * k * k);
  // the generator's frame: lon0 106.2, lat0 30.35, 0.0012° a lattice step
  const lon0 = 106.2, lat0 = 30.35, extent = side * 0.0012, step = extent / k;
  const names: string[] = [], codes: string[] = [], features: Feature<Polygon>[] = [];
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      // outer counties reach past the lattice so no cell is left outside
      const w = c === 0 ? lon0 - 1 : lon0 + c * step, e = c === k - 1 ? lon0 + extent + 1 : lon0 + (c + 1) * step;
      const s = r === 0 ? lat0 - 1 : lat0 + r * step, n = r === k - 1 ? lat0 + extent + 1 : lat0 + (r + 1) * step;
      names.push(`county ${r + 1}-${c + 1}`);
      codes.push(String(r * k + c + 1));
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } });
    }
  }
  const units = { names, codes, features };
  return { grid: assignUnits(grid, units), network, facilities, roads, units };
}

export function sameCells(a: AccessResult, b: AccessResult): boolean {
  for (let c = 0; c < a.cost.length; c++) if (!Object.is(a.cost[c], b.cost[c]) || a.facility[c] !== b.facility[c] || a.unreachable[c] !== b.unreachable[c]) return false;
  return a.cost.length === b.cost.length;
}

export async function inChild(dir: string, name: string, request: AccessRequest | null): Promise<{ stats: ChildRun; result: AccessResult | null }> {
  if (request === null) return { stats: JSON.parse((await run(process.execPath, ['--import', 'tsx', CHILD])).stdout) as ChildRun, result: null };
  const input = join(dir, `${name}.in`), output = join(dir, `${name}.out`);
  writeRequest(input, request);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, input, output], { maxBuffer: 1 << 20 });
  const result = deserialize(readFileSync(output)) as AccessResult;
  rmSync(input, { recursive: true }); rmSync(output);
  return { stats: JSON.parse(stdout) as ChildRun, result };
}

/**
 * Prints, per mode, the untiled and the tiled run's wall time (same process, tiles one after another), whether
 * every cell came out the same, and peak memory: the untiled run and each tile in a child process of its own.
 *
 * @example
 * await benchTiles(); // npx tsx bench/tiles-bench.ts
 */
export async function benchTiles(k = 3, repeats = 2, options: { fanOutOnly?: boolean } = {}): Promise<void> {
  let t = performance.now();
  const p = province(k);
  const { grid, network, facilities } = p;
  console.log(`\n## Tiles: seeded synthetic province, ${k} × ${k} counties (each the synthetic county's size): generate ${ms(performance.now() - t)}; ` +
    `${grid.count} populated 100 m cells, ${network.nodeCount} nodes, ${network.segmentCount} segments, ${facilities.count} facilities`);
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-tiles-'));
  try {
    const bare = await inChild(dir, 'bare', null);
    console.log(`child process alone (node + tsx, nothing run): peak ${bare.stats.peakMB} MB`);
    const cases: Array<[string, AccessRequest]> = [
      ['walk 15 min', { grid, facilities, network, mode: 'walk', minutes: 15 }],
      ['car 15 min', { grid, facilities, network, mode: 'car', minutes: 15 }],
    ];
    for (const [label, request] of cases) {
      if (options.fanOutOnly) {
        if (label === 'car 15 min') await benchFanOut(label, p, request, analyzeAccess(request), repeats);
        continue;
      }
      // wall time here, in-process; alternate which goes first so shared-machine load hits both
      const untiledMs: number[] = [], tiledMs: number[] = [];
      let whole: AccessResult | null = null, tiled: TiledAccessResult | null = null;
      for (let i = 0; i < repeats; i++) {
        for (const which of i % 2 === 0 ? [0, 1] : [1, 0]) {
          const t0 = performance.now();
          if (which === 0) whole = analyzeAccess(request); else tiled = await runTiled(request);
          (which === 0 ? untiledMs : tiledMs).push(performance.now() - t0);
        }
      }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const tiles = tiled!.tiles;
      const biggest = tiles.reduce((a, b) => (b.segments + b.cells > a.segments + a.cells ? b : a));
      console.log(`${label}: halo ${(tiled!.haloMeters / 1000).toFixed(2)} km; untiled ${ms(med(untiledMs))}, tiled ${ms(med(tiledMs))} (${tiles.length} tiles in turn), tiled / untiled ${(med(tiledMs) / med(untiledMs)).toFixed(2)}× (medians of ${repeats}); ` +
        `every cell ${sameCells(whole!, tiled!) ? 'identical' : 'DIFFERS'}; covered ${(tiled!.summary.population.coveredShare! * 100).toFixed(1)} %`);
      console.log(`  biggest tile ${biggest.name}: ${biggest.cells} own cells, ${biggest.segments} segments (${(100 * biggest.segments / network.segmentCount).toFixed(0)} % of the region's), ${biggest.facilities} facilities`);
      // peak memory: each run alone in a child process, the tiles through runTile (the worker's seat)
      const untiled = await inChild(dir, 'untiled', request);
      const peaks: Array<{ name: string; peakMB: number; ms: number }> = [];
      const viaChildren = await runTiled(request, {
        runTile: async (tile: TileRequest) => {
          const { stats, result } = await inChild(dir, `tile-${tile.unit}`, tile.request);
          peaks.push({ name: tile.name, peakMB: stats.peakMB, ms: stats.ms });
          return result!;
        },
      });
      const top = peaks.reduce((a, b) => (b.peakMB > a.peakMB ? b : a));
      const sorted = peaks.map((p) => p.peakMB).sort((a, b) => a - b);
      console.log(`  peak RSS, one process per run: untiled ${untiled.stats.peakMB} MB (${untiled.stats.loadedMB} MB with the inputs loaded); ` +
        `tiles median ${sorted[Math.floor(sorted.length / 2)]} MB, biggest ${top.peakMB} MB (${top.name}); biggest tile / untiled ${(top.peakMB / untiled.stats.peakMB).toFixed(2)}×, ` +
        `above the bare process ${((top.peakMB - bare.stats.peakMB) / (untiled.stats.peakMB - bare.stats.peakMB)).toFixed(2)}×; ` +
        `tiles through child processes ${sameCells(whole!, viaChildren) && sameCells(whole!, untiled.result!) ? 'identical' : 'DIFFER'} to the untiled run`);
      if (label === 'car 15 min') await benchFanOut(label, p, request, whole!, repeats);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


// ---- fan-out: the province's tiles run by 1 and by 2 worker processes, everything from their start in the wall time

const POOL_CHILD = fileURLToPath(new URL('./tile-pool-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface FanOut {
  ms: number;
  /** until every worker had loaded the region (process pool only) */
  readyMs?: number;
  peaksMB: number[];
  /** the tiles' run times added up, in the workers: grows with the worker count when the cores are not free */
  tileMs: number;
  cells: Pick<AccessResult, 'cost' | 'facility' | 'unreachable'>;
}

/**
 * A process pool behind runTiled's `runElsewhere`: `workers` fresh node processes (started inside the timing),
 * each loading the region from `regionFile` and cutting the tiles it is sent by county; runTiled hands out the
 * plans (a small message each) and merges what comes back in region terms, cutting nothing itself.
 */
export async function poolFanOut(request: AccessRequest, regionFile: string, workers: number): Promise<FanOut> {
  const t0 = performance.now();
  const waiting = new Map<number, (a: PoolAnswer) => void>();
  const children = Array.from({ length: workers }, () => fork(POOL_CHILD, [regionFile], { execArgv: ['--import', 'tsx', ...(process.env.POOL_FLAGS ? process.env.POOL_FLAGS.split(' ') : [])], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const ready = children.map((c) => new Promise<void>((resolve) => c.once('message', () => resolve())));
  for (const c of children) c.on('message', (a: PoolAnswer) => waiting.get(a.id)?.(a));
  let next = 0;
  const ask = (k: number, m: PoolMessage) => new Promise<PoolAnswer>((resolve) => {
    waiting.set(m.id, (a) => { waiting.delete(m.id); resolve(a); });
    children[k].send(m);
  });
  try {
    await Promise.all(ready);
    const readyMs = performance.now() - t0;
    let tileMs = 0;
    const inFlight = new Array<number>(workers).fill(0);
    const result = await runTiled(request, {
      // two tiles per process in flight: the next is waiting while an answer travels back and is merged
      concurrency: 2 * workers,
      runElsewhere: async (plan) => {
        const k = inFlight.indexOf(Math.min(...inFlight));
        inFlight[k]++;
        try {
          const a = await ask(k, { id: next++, unit: plan.unit });
          if (!('cost' in a)) throw new Error('tile pool: a worker answered a tile with its memory');
          tileMs += a.ms;
          return a;
        } finally {
          inFlight[k]--;
        }
      },
    });
    const ms = performance.now() - t0;
    const peaksMB = (await Promise.all(children.map((_, k) => ask(k, { id: next++, peak: true })))).map((a) => ('peakMB' in a ? a.peakMB : NaN));
    return { ms, readyMs, peaksMB, tileMs, cells: result };
  } finally {
    for (const c of children) c.kill();
  }
}

function vmHwmMB(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return kb ? Math.round(Number(kb[1]) / 1024) : NaN;
}

/** Starts `lifecircle worker --threads 1` and resolves once it takes jobs. */
function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/lifecircle.js', 'worker', '--db', url, '--threads', '1'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      if (/: taking jobs/.test(text)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before taking jobs:\n${text}`)));
  });
}

async function waitMerged(db: Db, run: { runId: number; jobs: number[] }): Promise<void> {
  for (;;) {
    const row = await db.selectFrom('tile_runs').select('state').where('id', '=', run.runId).executeTakeFirstOrThrow();
    if (row.state === 'merged') return;
    const bad = await db.selectFrom('jobs').select(['id', 'error']).where('id', 'in', run.jobs).where('state', '=', 'failed').executeTakeFirst();
    if (bad) throw new Error(`tile job ${bad.id} failed: ${JSON.stringify(bad.error)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The real queue: `workers` `lifecircle worker` processes started inside the timing, each loading the stored
 * province by id from PostgreSQL and taking tile jobs; this process plans the run (a fresh region cache, as
 * a service that has not seen the region) and waits until the worker storing the last tile has merged it.
 * Then a second run on the same workers (`warm`): their region models and this process's are cached.
 */
async function queueFanOut(url: string, db: Db, regionId: number, spec: TiledRunSpec, workers: number): Promise<{ cold: FanOut; warm: FanOut }> {
  const t0 = performance.now();
  const log = () => undefined;
  const starting = Array.from({ length: workers }, () => startWorker(url));
  const engine = inlineEngine(db, createRegionModelCache());
  const jobs = createJobRunner(db, engine, log, await bossDispatch({ url, concurrency: 1, log }), { work: false });
  let children: ChildProcess[] = [];
  const outcome = async (runId: number, ms: number): Promise<FanOut> => {
    const merged = await getTiledRun(db, runId, { cells: true });
    return { ms, peaksMB: children.map((c) => vmHwmMB(c.pid!)), tileMs: merged.summary!.tiles.reduce((a, t) => a + t.ms, 0), cells: merged.cells! };
  };
  try {
    // the run is planned and queued while the workers start, as it would be with workers already up
    const [run, started] = await Promise.all([startTiledRun(engine, jobs, spec), Promise.allSettled(starting)]);
    children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    await waitMerged(db, run);
    const cold = await outcome(run.runId, performance.now() - t0);
    const t1 = performance.now();
    const again = await startTiledRun(engine, jobs, spec);
    await waitMerged(db, again);
    return { cold, warm: await outcome(again.runId, performance.now() - t1) };
  } finally {
    await jobs.close(0);
    await Promise.all(children.map((c) => new Promise((r) => { c.once('exit', r); c.kill('SIGKILL'); })));
  }
}

// an arithmetic loop, and random reads over 256 MB (as Dijkstra's heap and arrays read): the second is what tiles do
const SPIN = 'let x = 0; for (let i = 0; i < 1e9; i++) x += i & 7; if (x < 0) console.log(x);';
const GATHER = 'const n = 1 << 25, a = new Float64Array(n), ix = new Int32Array(n); for (let i = 0; i < n; i++) ix[i] = Math.imul(i, 2654435761) >>> 7; ' +
  'let s = 0; for (let r = 0; r < 4; r++) for (let i = 0; i < n; i++) s += a[ix[i]]; if (s < 0) console.log(s);';

/** What two processes get of the machine at once: each check alone, then two side by side; the ratio of throughputs. */
async function coreCheck(): Promise<{ spin: number; gather: number }> {
  const wall = async (code: string, n: number) => {
    const t = performance.now();
    await Promise.all(Array.from({ length: n }, () => run(process.execPath, ['-e', code])));
    return performance.now() - t;
  };
  const ratio = async (code: string) => (2 * await wall(code, 1)) / await wall(code, 2);
  return { spin: await ratio(SPIN), gather: await ratio(GATHER) };
}

async function benchFanOut(label: string, p: ReturnType<typeof province>, request: AccessRequest, whole: AccessResult, repeats: number): Promise<void> {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const report = (how: string, runs: Record<1 | 2, FanOut[]>, span = "each from the workers' start to the merged run") => {
    const one = med(runs[1].map((r) => r.ms)), two = med(runs[2].map((r) => r.ms));
    const same = [...runs[1], ...runs[2]].every((r) => sameCells(whole, r.cells as AccessResult));
    const peaks = (w: 1 | 2) => runs[w].at(-1)!.peaksMB.map((m) => `${m} MB`).join(', ');
    console.log(`  ${how}: 1 worker ${ms(one)}, 2 workers ${ms(two)} (medians of ${repeats}, ${span}); ` +
      `1 / 2 workers ${(one / two).toFixed(2)}× (target >= 1.7× on 2 cores); every cell ${same ? 'identical' : 'DIFFERS'} to the untiled run`);
    const tiles = (w: 1 | 2) => ms(med(runs[w].map((r) => r.tileMs)));
    console.log(`    peak RSS per worker process: 1 worker ${peaks(1)}; 2 workers ${peaks(2)}; the tiles' run times added up: 1 worker ${tiles(1)}, 2 workers ${tiles(2)} ` +
      `(equal when each worker has a core of its own; load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  };
  const cores = await coreCheck();
  console.log(`fan-out, ${label}, ${availableParallelism()} cores here, load average before ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ` +
    `two processes at once get ${cores.spin.toFixed(2)}× one's throughput on an arithmetic loop, ${cores.gather.toFixed(2)}× on random reads over 256 MB (what bounds the ratios below):`);
  // alternate which goes first so shared-machine load hits both
  const order = (i: number): Array<1 | 2> => (i % 2 === 0 ? [1, 2] : [2, 1]);
  const pool: Record<1 | 2, FanOut[]> = { 1: [], 2: [] };
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-fanout-'));
  try {
    // the region as the workers load it, written once (as a region is stored once before it is run)
    const regionFile = join(dir, 'region');
    writeRequest(regionFile, request);
    for (let i = 0; i < repeats; i++) for (const w of order(i)) pool[w].push(await poolFanOut(request, regionFile, w));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report('process pool (fresh node processes each load the region from a file and run the tiles runTiled\'s runElsewhere sends them by county; no queue, no database)', pool);
  const url = process.env.LIFECIRCLE_BENCH_PG_URL ?? process.env.LIFECIRCLE_TEST_PG_URL;
  if (!url) {
    console.log('  queue (pg-boss on PostgreSQL, `lifecircle worker` processes): skipped, set LIFECIRCLE_BENCH_PG_URL or LIFECIRCLE_TEST_PG_URL');
    return;
  }
  let t = performance.now();
  const database = await postgresDatabase(url);
  try {
    await migrateToLatest(database.handle.db);
    const regionId = await seedRegion(database.handle.db, {
      name: 'bench province (generated)', code: null, metadata: { synthetic: true }, outline: null, units: p.units, grid: p.grid, roads: p.roads,
      facilities: p.facilities, source: 'bench:province', urbanRule: 'input',
    });
    console.log(`  stored the province in a throwaway database (not timed): ${ms(performance.now() - t)}`);
    const spec: TiledRunSpec = { regionId, mode: request.mode, minutes: request.minutes, meters: request.meters, statuses: ['existing'] };
    const cold: Record<1 | 2, FanOut[]> = { 1: [], 2: [] }, warm: Record<1 | 2, FanOut[]> = { 1: [], 2: [] };
    for (let i = 0; i < repeats; i++) {
      for (const w of order(i)) {
        const r = await queueFanOut(database.url, database.handle.db, regionId, spec, w);
        cold[w].push(r.cold);
        warm[w].push(r.warm);
      }
    }
    report('queue, cold (pg-boss on PostgreSQL: `lifecircle worker --threads 1` processes started, load the stored region by id, take tile jobs, the last tile merges)', cold);
    report('queue, warm (a second run on the same workers, their region models cached)', warm, 'each from planning to the merged run');
  } finally {
    await database.handle.close();
    await database.drop();
  }
}

// `npx tsx bench/tiles-bench.ts fanout`: the fan-out part alone
if (import.meta.url === `file://${process.argv[1]}`) await benchTiles(3, 2, { fanOutOnly: process.argv[2] === 'fanout' });

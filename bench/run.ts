// npm run bench: seeded, side-by-side timings. Absolute times on shared machines are noisy; the ratios are the point.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import * as turf from '@turf/turf';
import { analyzeAccess, prepareNetwork } from '../analysis/accessibility/analyze-access.ts';
import { buildRoadNetwork } from '../analysis/network/road-network.ts';
import { snapPoints } from '../analysis/network/snap-points.ts';
import { multiSourceDijkstra } from '../analysis/traveltime/multi-source-dijkstra.ts';
import { buildModeGraph, segmentCosts } from '../analysis/network/mode-graph.ts';
import { defaultSpeedTable } from '../analysis/network/speed-table.ts';
import { straightLineAccess } from '../analysis/traveltime/straight-line-access.ts';
import { readFacilities } from '../server/io/read-facilities.ts';
import { readPopulation } from '../server/io/read-population.ts';
import { readRoads } from '../server/io/read-roads.ts';
import { applyFacilityFilter } from '../server/cli/facility-filter.ts';
import { syntheticCounty } from './synthetic-county.ts';
import { benchWhatIf } from './whatif-bench.ts';
import { benchGaps } from './gaps-bench.ts';
import { benchServiceHealth } from './service-health-bench.ts';
import { benchServiceWhatIf } from './service-whatif-bench.ts';
import { benchCliStart } from './cli-start-bench.ts';
import { benchSiting } from './siting-bench.ts';
import { benchGridSnap } from './grid-snap-bench.ts';
import { benchCapacity } from './capacity-bench.ts';
import { benchTiles } from './tiles-bench.ts';
import { benchProvince } from './province-bench.ts';
import { benchProvinceHealth } from './province-health-bench.ts';
import { filterFacilities } from '../analysis/facilities/facility-set.ts';
import { loadYuechiDemo } from '../server/io/load-demo.ts';
import { timePgrDrivingDistance } from './pgrouting-driving-distance.ts';
import { canStartEphemeralPostgres, startEphemeralPostgres } from '../tests/support/postgres.ts';
import { timeRuns as time } from './time-runs.ts';

const POA = '../shared/data/realworld/porto-alegre';
const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;


async function pgUrl(): Promise<{ url: string; stop?: () => void } | null> {
  const env = process.env.LIFECIRCLE_BENCH_PG_URL ?? process.env.LIFECIRCLE_TEST_PG_URL;
  if (env) return { url: env };
  if (!canStartEphemeralPostgres()) return null;
  const pg = await startEphemeralPostgres();
  return { url: pg.url, stop: () => pg.stop() };
}

async function portoAlegre(pg: { url: string } | null): Promise<void> {
  console.log('\n## Porto Alegre: walk 15 min to hexagons with healthcare > 0, real OSM roads');
  if (!existsSync(POA)) { console.log(`skipped: ${POA} not found`); return; }
  let t = performance.now();
  const network = buildRoadNetwork(await readRoads(`${POA}/poa_osm.pbf`));
  const grid = await readPopulation(`${POA}/poa_hexgrid.csv`);
  const facilities = applyFacilityFilter(await readFacilities(`${POA}/poa_hexgrid.csv`), 'healthcare>0');
  console.log(`load (PBF, network, grid, facilities): ${ms(performance.now() - t)}; ${network.nodeCount} nodes, ${network.segmentCount} segments, ${grid.count} cells, ${facilities.count} facilities`);
  t = performance.now();
  const prepared = prepareNetwork(network, grid, 'walk', 'time');
  console.log(`prepare (walk graph + snap cells, once per network): ${ms(performance.now() - t)}`);
  const full = time(() => analyzeAccess({ grid, facilities, mode: 'walk', minutes: 15, prepared }));
  console.log(`whole analysis after prepare (snap facilities, Dijkstra, cells, summary): best ${ms(full.best)}, median ${ms(full.median)}; covered ${Math.round(full.value.summary.population.covered)} of ${Math.round(full.value.summary.population.total)}`);

  // the travel-time query alone, both sides from the same start vertices on the same edges
  const graph = prepared.graph;
  const snaps = snapPoints(graph, facilities.lon, facilities.lat, 500);
  const starts = Array.from(new Set(Array.from(snaps.segment).filter((s) => s >= 0).map((s) => network.segA[s])));
  const seeds = { node: Int32Array.from(starts), cost: new Float64Array(starts.length), source: Int32Array.from(starts.map((_, i) => i)) };
  // equal repeat counts on both sides; pgRouting builds its graph from the edge query on every call, so our
  // build (walk graph from the network) + search is the like-for-like figure, search alone beside it
  const REPEATS = 5;
  const span = (m: number, lo: number, hi: number) => `median ${ms(m)} (${ms(lo)}–${ms(hi)})`;
  const ours = time(() => multiSourceDijkstra(graph, seeds, 900), REPEATS);
  const speeds = defaultSpeedTable();
  const built = time(() => multiSourceDijkstra(buildModeGraph(network, 'walk', speeds, { costKind: 'time' }), seeds, 900), REPEATS);
  console.log(`engine multi-source Dijkstra, ${starts.length} starts, 900 s: search alone ${span(ours.median, ours.best, ours.max)}; graph build + search ${span(built.median, built.best, built.max)}; ${ours.value.settled} vertices reached`);
  if (!pg) { console.log('pgRouting: skipped (no PostgreSQL with pgRouting; set LIFECIRCLE_BENCH_PG_URL or install postgresql-15-pgrouting)'); return; }
  const edges = {
    source: graph.network.segA, target: graph.network.segB,
    cost: segmentCosts(graph).forward.map((c) => (c === Infinity ? -1 : c)), reverseCost: segmentCosts(graph).backward.map((c) => (c === Infinity ? -1 : c)),
  };
  for (const equicost of [true, false]) {
    const theirs = await timePgrDrivingDistance(pg.url, edges, starts, 900, REPEATS, equicost);
    console.log(`pgRouting pgr_drivingDistance(equicost => ${equicost}), same graph and starts, warm (it builds its graph each call): ${span(theirs.medianMs, theirs.bestMs, theirs.maxMs)}; ${theirs.reachedNodes} rows`);
    console.log(`ratio pgRouting / engine (medians): vs our build + search ${(theirs.medianMs / built.median).toFixed(1)}×; vs our search alone ${(theirs.medianMs / ours.median).toFixed(1)}×`);
  }
}

function county(): void {
  console.log('\n## County-sized case: seeded synthetic county, walk 15 min');
  let t = performance.now();
  const { grid, network, facilities } = syntheticCounty();
  console.log(`generate: ${ms(performance.now() - t)}; ${grid.count} populated 100 m cells, ${network.nodeCount} nodes, ${network.segmentCount} segments, ${facilities.count} facilities`);
  const whole = time(() => {
    const prepared = prepareNetwork(network, grid, 'walk', 'time');
    return analyzeAccess({ grid, facilities, mode: 'walk', minutes: 15, prepared });
  }, 3);
  console.log(`whole analysis after loading (graph, snap 150k cells, Dijkstra, cells, summary): best ${ms(whole.best)}, median ${ms(whole.median)}`);
  const prepared = prepareNetwork(network, grid, 'walk', 'time');
  const query = time(() => analyzeAccess({ grid, facilities, mode: 'walk', minutes: 15, prepared }));
  console.log(`query with the graph and cell snaps kept (what-if path): best ${ms(query.best)}, median ${ms(query.median)}; covered ${(query.value.summary.population.coveredShare! * 100).toFixed(1)} %`);

  console.log('\n## Straight-line 1 km coverage of the same cells: engine vs plain Turf (buffer + union + pointsWithinPolygon)');
  const sub = facilities.count;
  const eng = time(() => straightLineAccess(facilities.lon, facilities.lat, grid.originLon, grid.originLat, 1000), 5);
  t = performance.now();
  const buffers = Array.from({ length: sub }, (_, i) => turf.buffer(turf.point([facilities.lon[i], facilities.lat[i]]), 1, { units: 'kilometers', steps: 16 })!);
  const merged = turf.union(turf.featureCollection(buffers))!;
  const pts = turf.featureCollection(Array.from({ length: grid.count }, (_, i) => turf.point([grid.originLon[i], grid.originLat[i]])));
  const inside = turf.pointsWithinPolygon(pts, merged).features.length;
  const turfMs = performance.now() - t;
  let covered = 0;
  for (let i = 0; i < grid.count; i++) if (eng.value.cost[i] <= 1000) covered++;
  console.log(`engine: best ${ms(eng.best)}; Turf: ${ms(turfMs)}; ratio ${(turfMs / eng.best).toFixed(0)}×; cells inside: engine ${covered}, Turf ${inside} (Turf's 16-step circles are polygons, not circles)`);
}

async function yuechi(): Promise<void> {
  let t = performance.now();
  const demo = await loadYuechiDemo();
  const network = buildRoadNetwork(demo.roadSource);
  console.log(`\n## Yuechi demo: load ${ms(performance.now() - t)} (${demo.grid.count} cells, ${network.nodeCount} nodes, ${demo.facilities.count} facilities)`);
  // the elderly-care circle's facilities, walked (the what-if bench runs walk 15 min)
  const elderly = new Set(['elderly_complex', 'elderly_station', 'day_care_center', 'meal_point']);
  const facilities = filterFacilities(demo.facilities, (i) => elderly.has(demo.facilities.category[i]));
  t = performance.now();
  await benchWhatIf({ grid: demo.grid, network, facilities, label: 'Yuechi demo, elderly-care facilities' });
}

// `npm run bench -- poa county` runs only the named sections; no names runs them all
const SECTIONS: Array<[string, (pg: { url: string } | null) => unknown]> = [
  ['poa', portoAlegre], ['county', county], ['grid-snap', () => benchGridSnap()], ['gaps', () => benchGaps()], ['whatif', () => benchWhatIf()],
  ['yuechi', yuechi], ['service-whatif', () => benchServiceWhatIf()], ['siting', () => benchSiting()], ['capacity', () => benchCapacity()], ['cli', () => benchCliStart()], ['health', () => benchServiceHealth()],
  ['tiles', () => benchTiles()], ['province', () => benchProvince()], ['province-health', () => benchProvinceHealth()],
];
const only = process.argv.slice(2);
const unknown = only.filter((n) => !SECTIONS.some(([s]) => s === n));
if (unknown.length > 0) { console.error(`bench: unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.map(([s]) => s).join(', ')}`); process.exit(2); }
const pg = only.length === 0 || only.includes('poa') ? await pgUrl() : null;
console.log(`lifecircle bench: node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? ''}`);
try {
  for (const [name, run] of SECTIONS) if (only.length === 0 || only.includes(name)) await run(pg);
} finally {
  pg?.stop?.();
}
console.log(`\npeak memory (max RSS of this process): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

// Gridding and snapping of the seeded synthetic county: the previous implementations (tests/support/previous-grid-snap.ts,
// the equivalence test's oracle) against the current ones, interleaved in one process, medians.
import { analyzeAccess, prepareNetwork, type PreparedNetwork } from '../analysis/accessibility/analyze-access.ts';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';
import {
  gridFromPoints, MAX_POINT_POPULATION, RURAL, UNKNOWN_CLASS, URBAN,
  type GridOptions, type PopulationGrid, type PopulationPoints,
} from '../analysis/grid/population-grid.ts';
import { buildModeGraph, type ModeGraph } from '../analysis/network/mode-graph.ts';
import { snapPoints, type SnappedPoints } from '../analysis/network/snap-points.ts';
import { defaultSpeedTable } from '../analysis/network/speed-table.ts';
import { previousGridFromPoints, previousSnapPoints } from '../tests/support/previous-grid-snap.ts';
import { seededRandom } from '../tests/support/seeded-random.ts';
import { syntheticCounty } from './synthetic-county.ts';

const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;

interface Timing { median: number; min: number; max: number }

function stats(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Runs old and new alternately (which goes first alternates too) after one warm-up each, so load on a shared machine hits both. */
function interleaved<A, B>(old: () => A, fresh: () => B, repeats: number): { old: Timing; fresh: Timing; oldValue: A; freshValue: B } {
  let oldValue = old(), freshValue = fresh();
  const a: number[] = [], b: number[] = [];
  for (let k = 0; k < repeats; k++) {
    for (const which of k % 2 === 0 ? [0, 1] : [1, 0]) {
      const t = performance.now();
      if (which === 0) oldValue = old(); else freshValue = fresh();
      (which === 0 ? a : b).push(performance.now() - t);
    }
  }
  return { old: stats(a), fresh: stats(b), oldValue, freshValue };
}

function report(label: string, r: { old: Timing; fresh: Timing }, same: boolean): void {
  const span = (t: Timing) => `${ms(t.median)} (${ms(t.min)}–${ms(t.max)})`;
  console.log(`${label}: old ${span(r.old)}, new ${span(r.fresh)}; old / new ${(r.old.median / r.fresh.median).toFixed(1)}×; ${same ? 'identical output' : 'OUTPUT DIFFERS'}`);
}

function sameArrays(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function sameGrid(a: PopulationGrid, b: PopulationGrid): boolean {
  return a.count === b.count && a.cols === b.cols && a.rows === b.rows && a.x0 === b.x0 && a.y0 === b.y0
    && (['cellIndex', 'originLon', 'originLat', 'population', 'aged60', 'urbanClass', 'unit'] as const).every((k) => sameArrays(a[k], b[k]));
}

function sameSnaps(a: SnappedPoints, b: SnappedPoints): boolean {
  return a.unsnapped === b.unsnapped && sameArrays(a.segment, b.segment) && sameArrays(a.fraction, b.fraction) && sameArrays(a.offMeters, b.offMeters);
}

/** Four seeded points per cell of the county, each with residents and a class: weighted origins, several points a cell. */
function jitteredPoints(grid: PopulationGrid, seed = 7): PopulationPoints {
  const rand = seededRandom(seed);
  const n = 4 * grid.count;
  const lon = new Float64Array(n), lat = new Float64Array(n), population = new Float64Array(n), aged60 = new Float64Array(n);
  const urbanClass = new Uint8Array(n);
  const dLon = 100 / createLocalProjection(grid.lon0, grid.lat0).kx, dLat = 100 / createLocalProjection(grid.lon0, grid.lat0).ky;
  for (let i = 0; i < n; i++) {
    const j = i >> 2;
    lon[i] = grid.originLon[j] + (rand() - 0.5) * dLon;
    lat[i] = grid.originLat[j] + (rand() - 0.5) * dLat;
    population[i] = grid.population[j] / 4;
    aged60[i] = grid.aged60[j] / 4;
    urbanClass[i] = rand() < 0.3 ? URBAN : RURAL;
  }
  return { lon, lat, population, aged60, urbanClass };
}

/**
 * Prints old vs new gridding (the county's 150k cells as points; 600k jittered points with weighted origins),
 * snapping the cells to the walk graph, and the county pipeline (grid, walk graph and snaps, walk 15 min).
 *
 * @example
 * benchGridSnap(); // npx tsx bench/grid-snap-bench.ts
 */
export function benchGridSnap(repeats = 7): void {
  console.log('\n## Gridding and snapping, previous vs current implementation: seeded synthetic county, interleaved runs');
  const { grid, network, facilities } = syntheticCounty();
  const cells: PopulationPoints = { lon: grid.originLon, lat: grid.originLat, population: grid.population, aged60: grid.aged60 };
  const county = { cellSize: 100, weightedOrigins: false };
  const g = interleaved(() => previousGridFromPoints(cells, county), () => gridFromPoints(cells, county), repeats);
  report(`gridding ${grid.count} points (one per cell, cell centres)`, g, sameGrid(g.oldValue, g.freshValue));
  const jittered = jitteredPoints(grid);
  const w = interleaved(() => previousGridFromPoints(jittered), () => gridFromPoints(jittered), repeats);
  report(`gridding ${jittered.lon.length} points (four per cell, weighted origins, urban/rural)`, w, sameGrid(w.oldValue, w.freshValue));

  const graph = buildModeGraph(network, 'walk', defaultSpeedTable());
  const s = interleaved(
    () => previousSnapPoints(graph, grid.originLon, grid.originLat, 500), () => snapPoints(graph, grid.originLon, grid.originLat, 500), repeats,
  );
  report(`snapping ${grid.count} cells to the walk graph (${graph.snapSegments.length} segments), 500 m`, s, sameSnaps(s.oldValue, s.freshValue));

  const oldPipeline = () => {
    const built = previousGridFromPoints(cells, county);
    const walk = buildModeGraph(network, 'walk', defaultSpeedTable());
    const prepared: PreparedNetwork = { graph: walk, origins: previousSnapPoints(walk, built.originLon, built.originLat, 500), maxSnapMeters: 500 };
    return analyzeAccess({ grid: built, facilities, mode: 'walk', minutes: 15, prepared });
  };
  const newPipeline = () => {
    const built = gridFromPoints(cells, county);
    return analyzeAccess({ grid: built, facilities, mode: 'walk', minutes: 15, prepared: prepareNetwork(network, built, 'walk', 'time') });
  };
  const p = interleaved(oldPipeline, newPipeline, Math.max(3, repeats - 2));
  report('county pipeline (grid the points, walk graph, snap the cells, walk 15 min to ' + facilities.count + ' facilities)', p, sameArrays(p.oldValue.cost, p.freshValue.cost) && sameArrays(p.oldValue.facility, p.freshValue.facility));
}

if (import.meta.url === `file://${process.argv[1]}`) benchGridSnap();

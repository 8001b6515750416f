// Gridding and snapping of the seeded synthetic county: the previous implementations (copied below, as in
// tests/grid-snap-speed-equivalence.test.ts) against the current ones, interleaved in one process, medians.
import { analyzeAccess, prepareNetwork, type PreparedNetwork } from '../analysis/accessibility/analyze-access.ts';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';
import {
  gridFromPoints, MAX_POINT_POPULATION, RURAL, UNKNOWN_CLASS, URBAN,
  type GridOptions, type PopulationGrid, type PopulationPoints,
} from '../analysis/grid/population-grid.ts';
import { buildModeGraph, type ModeGraph } from '../analysis/network/mode-graph.ts';
import { snapPoints, type SnappedPoints } from '../analysis/network/snap-points.ts';
import { defaultSpeedTable } from '../analysis/network/speed-table.ts';
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

// ---- the previous implementations, as kept in tests/grid-snap-speed-equivalence.test.ts

function previousGridFromPoints(points: PopulationPoints, options: GridOptions = {}): PopulationGrid {
  const cellSize = options.cellSize ?? 100;
  const weighted = options.weightedOrigins ?? true;
  if (!(cellSize > 0)) throw new Error(`cellSize must be a positive number of metres, found ${cellSize}`);
  const n = points.lon.length;
  if (points.lat.length !== n || points.population.length !== n) {
    throw new Error(`population points: lon, lat and population arrays differ in length (${n}, ${points.lat.length}, ${points.population.length})`);
  }
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (let i = 0; i < n; i++) {
    const lon = points.lon[i], lat = points.lat[i], p = points.population[i];
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      throw new Error(`population point ${i}: coordinates must be lon in [-180,180], lat in [-90,90], found (${lon}, ${lat})`);
    }
    if (!Number.isFinite(p) || p < 0 || p > MAX_POINT_POPULATION) throw new Error(`population point ${i}: population must be a number in [0, 1e8], found ${p}`);
    const p60 = points.aged60?.[i] ?? 0;
    if (!Number.isFinite(p60) || p60 < 0 || p60 > MAX_POINT_POPULATION) throw new Error(`population point ${i}: population aged 60+ must be a number in [0, 1e8], found ${p60}`);
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  if (n === 0) throw new Error('population: no points with population');
  const [lon0, lat0] = options.center ?? [(minLon + maxLon) / 2, (minLat + maxLat) / 2];
  const proj = createLocalProjection(lon0, lat0);
  const [xa, ya] = proj.forward(minLon, minLat);
  const [xb, yb] = proj.forward(maxLon, maxLat);
  const x0 = Math.floor(xa / cellSize) * cellSize;
  const y0 = Math.floor(ya / cellSize) * cellSize;
  const cols = Math.floor((xb - x0) / cellSize) + 1;
  const rows = Math.floor((yb - y0) / cellSize) + 1;
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [x, y] = proj.forward(points.lon[i], points.lat[i]);
    const col = Math.max(0, Math.min(cols - 1, Math.floor((x - x0) / cellSize)));
    const row = Math.max(0, Math.min(rows - 1, Math.floor((y - y0) / cellSize)));
    key[i] = row * cols + col;
  }
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    if (points.population[i] > 0 || (points.aged60 !== undefined && points.aged60[i] > 0)) ids.push(key[i]);
  }
  const cellIndex = Uint32Array.from(new Set(ids)).sort();
  const count = cellIndex.length;
  const slot = new Map<number, number>();
  for (let j = 0; j < count; j++) slot.set(cellIndex[j], j);
  const population = new Float64Array(count);
  const aged60 = new Float64Array(count);
  const urbanClass = new Uint8Array(count);
  const originLon = new Float64Array(count);
  const originLat = new Float64Array(count);
  const sx = new Float64Array(count), sy = new Float64Array(count), sw = new Float64Array(count);
  const urbanPop = new Float64Array(count), ruralPop = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    const c = slot.get(key[i]);
    if (c === undefined) continue;
    const p = points.population[i];
    population[c] += p;
    if (points.aged60) aged60[c] += points.aged60[i];
    sx[c] += points.lon[i] * p;
    sy[c] += points.lat[i] * p;
    sw[c] += p;
    if (points.urbanClass) {
      if (points.urbanClass[i] === URBAN) urbanPop[c] += p;
      else if (points.urbanClass[i] === RURAL) ruralPop[c] += p;
    }
  }
  for (let j = 0; j < count; j++) {
    const col = cellIndex[j] % cols;
    const row = (cellIndex[j] - col) / cols;
    if (weighted && sw[j] > 0) {
      originLon[j] = sx[j] / sw[j];
      originLat[j] = sy[j] / sw[j];
    } else {
      const [lon, lat] = proj.inverse(x0 + (col + 0.5) * cellSize, y0 + (row + 0.5) * cellSize);
      originLon[j] = lon;
      originLat[j] = lat;
    }
    urbanClass[j] = urbanPop[j] === 0 && ruralPop[j] === 0 ? UNKNOWN_CLASS : urbanPop[j] >= ruralPop[j] ? URBAN : RURAL;
  }
  return {
    lon0, lat0, x0, y0, cellSize, cols, rows, count, cellIndex, originLon, originLat,
    population, aged60, hasAged60: points.aged60 !== undefined, urbanClass,
    unit: new Int32Array(count).fill(-1), unitNames: [], unitCodes: [],
  };
}

function previousSnapPoints(
  graph: ModeGraph, lon: ArrayLike<number>, lat: ArrayLike<number>, maxSnapMeters: number,
  onProgress?: (fraction: number) => void,
): SnappedPoints {
  if (!(maxSnapMeters >= 0)) throw new Error(`maxSnapMeters must be a number >= 0, found ${maxSnapMeters}`);
  const FIRST_RADIUS = 60;
  const count = lon.length;
  const segment = new Int32Array(count).fill(-1);
  const fraction = new Float64Array(count);
  const offMeters = new Float64Array(count).fill(Infinity);
  const { network, snapIndex, snapSegments } = graph;
  const { nodeX, nodeY, segA, segB, proj } = network;
  let unsnapped = 0;
  let best = -1, bestD2 = Infinity, bestT = 0;
  let px = 0, py = 0;
  const visit = (item: number): boolean => {
    const s = snapSegments[item];
    const ax = nodeX[segA[s]], ay = nodeY[segA[s]];
    const dx = nodeX[segB[s]] - ax, dy = nodeY[segB[s]] - ay;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
    if (t < 0) t = 0; else if (t > 1) t = 1;
    const ex = ax + t * dx - px, ey = ay + t * dy - py;
    const d2 = ex * ex + ey * ey;
    if (d2 < bestD2 || (d2 === bestD2 && s < best)) { bestD2 = d2; best = s; bestT = t; }
    return false;
  };
  for (let i = 0; i < count; i++) {
    if (onProgress !== undefined && (i & 0x3fff) === 0) onProgress(i / count);
    best = -1; bestD2 = Infinity; bestT = 0;
    if (snapIndex !== null) {
      px = (lon[i] - proj.lon0) * proj.kx;
      py = (lat[i] - proj.lat0) * proj.ky;
      for (let r = Math.min(FIRST_RADIUS, maxSnapMeters); ; r = Math.min(r * 4, maxSnapMeters)) {
        snapIndex.search(px - r, py - r, px + r, py + r, visit);
        if ((best >= 0 && bestD2 <= r * r) || r >= maxSnapMeters) break;
      }
    }
    if (best >= 0 && bestD2 <= maxSnapMeters * maxSnapMeters) {
      segment[i] = best;
      fraction[i] = bestT;
      offMeters[i] = Math.sqrt(bestD2);
    } else {
      unsnapped++;
    }
  }
  return { count, segment, fraction, offMeters, unsnapped };
}

if (import.meta.url === `file://${process.argv[1]}`) benchGridSnap();

// The faster gridding (typed arrays, a counting sort instead of Set + Map) and snapping (one index search per
// run of nearby points) against the previous implementations, kept in tests/support/previous-grid-snap.ts as the oracle: seeded inputs and edge
// cases, every array element bit for bit, the same cell order, the same errors.
import { describe, expect, it } from 'vitest';
import { prepareNetwork } from '../analysis/accessibility/analyze-access.ts';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';
import {
  gridFromPoints, MAX_POINT_POPULATION, RURAL, UNKNOWN_CLASS, URBAN,
  type GridOptions, type PopulationGrid, type PopulationPoints,
} from '../analysis/grid/population-grid.ts';
import { buildModeGraph, type ModeGraph } from '../analysis/network/mode-graph.ts';
import { buildRoadNetwork } from '../analysis/network/road-network.ts';
import { snapPoints, type SnappedPoints } from '../analysis/network/snap-points.ts';
import { defaultSpeedTable, type Mode } from '../analysis/network/speed-table.ts';
import { generatedNetwork, generatedRoads } from './support/generated-network.ts';
import { previousGridFromPoints, previousSnapPoints } from './support/previous-grid-snap.ts';
import { seededRandom } from './support/seeded-random.ts';

// ---- helpers

type Typed = Float64Array | Uint32Array | Int32Array | Uint8Array;

/** First byte where two typed arrays differ, -1 when they are the same bytes (NaN payloads and -0 included). */
function firstByteDifference(a: Typed, b: Typed): number {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length) return Math.min(x.length, y.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

function expectSameGrid(fresh: PopulationGrid, oracle: PopulationGrid): void {
  expect(fresh).toEqual(oracle);
  for (const k of ['cellIndex', 'originLon', 'originLat', 'population', 'aged60', 'urbanClass', 'unit'] as const) {
    expect(fresh[k].constructor).toBe(oracle[k].constructor);
    expect(firstByteDifference(fresh[k], oracle[k]), k).toBe(-1);
  }
}

function expectSameSnaps(fresh: SnappedPoints, oracle: SnappedPoints): void {
  expect(fresh).toEqual(oracle);
  for (const k of ['segment', 'fraction', 'offMeters'] as const) expect(firstByteDifference(fresh[k], oracle[k]), k).toBe(-1);
}

function thrownBy(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the previous implementation to throw');
}

/** Seeded points scattered over a box of ~`km` km around (lon0, lat0), with zero and non-zero residents. */
function randomPoints(seed: number, n: number, opts: { lon0?: number; lat0?: number; km?: number; aged60?: boolean; urban?: boolean; zeroShare?: number } = {}): PopulationPoints {
  const rand = seededRandom(seed);
  const { lon0 = 106.4, lat0 = 30.5, km = 5, zeroShare = 0.2 } = opts;
  const spanLon = km / (111.32 * Math.cos((lat0 * Math.PI) / 180)), spanLat = km / 111.32;
  const lon = new Float64Array(n), lat = new Float64Array(n), population = new Float64Array(n);
  const aged60 = opts.aged60 ? new Float64Array(n) : undefined;
  const urbanClass = opts.urban ? new Uint8Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    lon[i] = lon0 + (rand() - 0.5) * spanLon;
    lat[i] = lat0 + (rand() - 0.5) * spanLat;
    population[i] = rand() < zeroShare ? 0 : rand() * 40;
    // aged 60+ alone may make a cell populated
    if (aged60) aged60[i] = rand() < 0.3 ? 0 : rand() * 12;
    // 0 = unknown, 3 = a class neither urban nor rural
    if (urbanClass) urbanClass[i] = Math.floor(rand() * 4);
  }
  return { lon, lat, population, aged60, urbanClass };
}

function bothGrids(points: PopulationPoints, options?: GridOptions): void {
  expectSameGrid(gridFromPoints(points, options), previousGridFromPoints(points, options));
}

// ---- gridding

describe('gridFromPoints equals the previous implementation', () => {
  const cases: Array<[string, { aged60: boolean; urban: boolean }, GridOptions]> = [];
  for (const aged60 of [false, true]) {
    for (const urban of [false, true]) {
      for (const weightedOrigins of [true, false]) {
        cases.push([`aged60 ${aged60 ? 'present' : 'absent'}, urbanClass ${urban ? 'present' : 'absent'}, weighted origins ${weightedOrigins ? 'on' : 'off'}`, { aged60, urban }, { weightedOrigins }]);
      }
    }
  }
  it.each(cases)('seeded random points: %s', (_, what, options) => {
    for (let seed = 1; seed <= 2; seed++) {
      const points = randomPoints(seed, 3000, what);
      for (const cellSize of [100, 250, 37.5]) bothGrids(points, { ...options, cellSize });
      bothGrids(points, { ...options, center: [106.41, 30.49] });
    }
  });

  it('dense points, several to a cell, and a county-sized frame of mostly empty cells', () => {
    bothGrids(randomPoints(11, 20000, { km: 1, aged60: true, urban: true }));
    bothGrids(randomPoints(12, 5000, { km: 60, aged60: true }), { weightedOrigins: false });
  });

  it('points west of Greenwich and south of the equator (negative coordinates, -0 products)', () => {
    for (const weightedOrigins of [true, false]) bothGrids(randomPoints(13, 4000, { lon0: -51.2, lat0: -30.05, aged60: true, urban: true }), { weightedOrigins });
  });

  it('points exactly on cell edges and corners, and the frame edges where rounding clamps', () => {
    const lon0 = 106.4, lat0 = 30.5;
    const proj = createLocalProjection(lon0, lat0);
    const rand = seededRandom(21);
    for (const cellSize of [100, 30, 0.5]) {
      const lon: number[] = [], lat: number[] = [], population: number[] = [];
      for (let a = -6; a <= 6; a++) {
        for (let b = -6; b <= 6; b++) {
          // corners, edge midpoints and a hair either side of an edge
          for (const [dx, dy] of [[0, 0], [0.5, 0], [0, 0.5], [1e-9, 0], [-1e-9, 0], [0, -1e-9]]) {
            const [plon, plat] = proj.inverse((a + dx) * cellSize, (b + dy) * cellSize);
            lon.push(plon); lat.push(plat); population.push(rand() < 0.1 ? 0 : Math.round(rand() * 9));
          }
        }
      }
      const points = { lon: Float64Array.from(lon), lat: Float64Array.from(lat), population: Float64Array.from(population) };
      for (const weightedOrigins of [true, false]) {
        bothGrids(points, { cellSize, weightedOrigins, center: [lon0, lat0] });
        bothGrids(points, { cellSize, weightedOrigins });
      }
    }
  });

  it('one point; one point with nobody; all points in one cell; duplicates', () => {
    const one = { lon: Float64Array.of(106.4), lat: Float64Array.of(30.5), population: Float64Array.of(7) };
    bothGrids(one);
    bothGrids(one, { weightedOrigins: false });
    bothGrids({ ...one, population: Float64Array.of(0) });
    const rand = seededRandom(31);
    const n = 500;
    const cell = {
      lon: Float64Array.from({ length: n }, () => 106.4 + rand() * 1e-4),
      lat: Float64Array.from({ length: n }, () => 30.5 + rand() * 1e-4),
      population: Float64Array.from({ length: n }, () => rand() * 3),
      aged60: Float64Array.from({ length: n }, () => rand()),
      urbanClass: Uint8Array.from({ length: n }, () => (rand() < 0.5 ? URBAN : RURAL)),
    };
    for (const weightedOrigins of [true, false]) bothGrids(cell, { weightedOrigins, cellSize: 1000 });
    const twice = { lon: Float64Array.of(106.4, 106.4, 106.41), lat: Float64Array.of(30.5, 30.5, 30.51), population: Float64Array.of(1, 2, 0) };
    bothGrids(twice);
  });

  it('zero-population points: nobody at all, aged 60+ only, -0, and empty cells beside populated ones', () => {
    const rand = seededRandom(41);
    const n = 2000;
    const lon = Float64Array.from({ length: n }, () => 106.4 + rand() * 0.02);
    const lat = Float64Array.from({ length: n }, () => 30.5 + rand() * 0.02);
    bothGrids({ lon, lat, population: new Float64Array(n) });
    bothGrids({ lon, lat, population: new Float64Array(n), aged60: new Float64Array(n) });
    const aged60 = Float64Array.from({ length: n }, () => (rand() < 0.5 ? 0 : rand() * 5));
    for (const weightedOrigins of [true, false]) bothGrids({ lon, lat, population: new Float64Array(n), aged60 }, { weightedOrigins });
    const population = Float64Array.from({ length: n }, () => (rand() < 0.3 ? -0 : rand() < 0.5 ? 0 : rand() * 5));
    for (const weightedOrigins of [true, false]) bothGrids({ lon, lat, population, urbanClass: Uint8Array.from({ length: n }, () => Math.floor(rand() * 3)) }, { weightedOrigins });
  });

  it('an aged 60+ column shorter than the points (read as unknown, summed as NaN) comes out the same', () => {
    const points = randomPoints(51, 300, { km: 0.5 });
    bothGrids({ ...points, aged60: Float64Array.from({ length: 200 }, (_, i) => i % 7) });
  });

  it('throws the same errors with the same messages', () => {
    const good = randomPoints(61, 20, { aged60: true });
    const bad: Array<[PopulationPoints, GridOptions?]> = [
      [good, { cellSize: 0 }], [good, { cellSize: -5 }], [good, { cellSize: NaN }],
      [{ ...good, lat: good.lat.subarray(1) }],
      [{ lon: new Float64Array(0), lat: new Float64Array(0), population: new Float64Array(0) }],
      [{ ...good, lon: Float64Array.from(good.lon, (v, i) => (i === 7 ? 181 : v)) }],
      [{ ...good, lat: Float64Array.from(good.lat, (v, i) => (i === 3 ? NaN : v)) }],
      [{ ...good, population: Float64Array.from(good.population, (v, i) => (i === 5 ? -1 : v)) }],
      [{ ...good, population: Float64Array.from(good.population, (v, i) => (i === 9 ? 2e8 : v)) }],
      [{ ...good, aged60: Float64Array.from(good.aged60!, (v, i) => (i === 2 ? Infinity : v)) }],
      [good, { center: [106.4, 89] }],
    ];
    for (const [points, options] of bad) {
      const message = thrownBy(() => previousGridFromPoints(points, options));
      expect(() => gridFromPoints(points, options)).toThrow(message);
    }
  });

  it('refuses a frame of more than 2^32 cells, where the previous one silently lost residents', () => {
    const points = { lon: Float64Array.of(-179, 179, 0, 100), lat: Float64Array.of(-80, 80, 0, 40), population: Float64Array.of(1, 2, 3, 4) };
    const old = previousGridFromPoints(points);
    // keys past 2^32 wrapped in its Uint32 cellIndex: 9 of the 10 residents are gone
    expect(old.population.reduce((a, b) => a + b, 0)).toBe(1);
    expect(() => gridFromPoints(points)).toThrow(/more than 2\^32 cells; use a larger cellSize/);
    // the same points on 10 km cells fit, and match
    bothGrids(points, { cellSize: 10000 });
  });
});

// ---- snapping

/** Points over the network's area and a margin beyond it (some unsnapped), in row order like a grid's cells. */
function pointsOver(graph: ModeGraph, seed: number, n: number): { lon: Float64Array; lat: Float64Array } {
  const { nodeLon, nodeLat } = graph.network;
  let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
  for (let i = 0; i < nodeLon.length; i++) {
    minLon = Math.min(minLon, nodeLon[i]); maxLon = Math.max(maxLon, nodeLon[i]);
    minLat = Math.min(minLat, nodeLat[i]); maxLat = Math.max(maxLat, nodeLat[i]);
  }
  const pad = 0.008; // ~800 m
  const rand = seededRandom(seed);
  const points = Array.from({ length: n }, () => [minLon - pad + rand() * (maxLon - minLon + 2 * pad), minLat - pad + rand() * (maxLat - minLat + 2 * pad)]);
  // rows of ~110 m, west to east inside a row: the order gridded cells come in
  points.sort((a, b) => Math.floor(a[1] * 1000) - Math.floor(b[1] * 1000) || a[0] - b[0]);
  return { lon: Float64Array.from(points, (p) => p[0]), lat: Float64Array.from(points, (p) => p[1]) };
}

function shuffled(n: number, seed: number): number[] {
  const rand = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function bothSnaps(graph: ModeGraph, lon: ArrayLike<number>, lat: ArrayLike<number>, maxSnapMeters: number): void {
  const oldProgress: number[] = [], newProgress: number[] = [];
  const oracle = previousSnapPoints(graph, lon, lat, maxSnapMeters, (f) => oldProgress.push(f));
  const fresh = snapPoints(graph, lon, lat, maxSnapMeters, (f) => newProgress.push(f));
  expectSameSnaps(fresh, oracle);
  expect(newProgress).toEqual(oldProgress);
  expectSameSnaps(snapPoints(graph, lon, lat, maxSnapMeters), oracle);
}

describe('snapPoints equals the previous implementation', () => {
  const modes: Array<[Mode, number]> = [['walk', 1], ['car', 2], ['bike', 3], ['elderly-walk', 4]];
  it.each(modes)('seeded generated network, %s, seed %i: grid-ordered and shuffled points, every snap limit', (mode, seed) => {
    const network = generatedNetwork(seed, 30);
    const graph = buildModeGraph(network, mode, defaultSpeedTable(), { costKind: seed % 2 ? 'time' : 'distance' });
    const { lon, lat } = pointsOver(graph, seed, 4000);
    for (const maxSnap of [0, 25, 60, 61, 240, 500, Infinity]) bothSnaps(graph, lon, lat, maxSnap);
    // the same points in random order: runs are short, most searches are a point's own
    const perm = shuffled(lon.length, seed + 7);
    bothSnaps(graph, perm.map((i) => lon[i]), perm.map((i) => lat[i]), 500);
  });

  it('points on nodes (ties between segments), on segment ends and middles, duplicates, NaN and Infinity', () => {
    const network = generatedNetwork(9, 20);
    const graph = buildModeGraph(network, 'walk', defaultSpeedTable());
    const lon: number[] = [], lat: number[] = [];
    for (let s = 0; s < network.segmentCount; s += 3) {
      const a = network.segA[s], b = network.segB[s];
      lon.push(network.nodeLon[a], (network.nodeLon[a] + network.nodeLon[b]) / 2, network.nodeLon[a]);
      lat.push(network.nodeLat[a], (network.nodeLat[a] + network.nodeLat[b]) / 2, network.nodeLat[a]);
    }
    lon.push(NaN, 106.41, Infinity, -Infinity, 106.41, NaN);
    lat.push(30.5, NaN, 30.5, 30.5, Infinity, NaN);
    for (const maxSnap of [0, 60, 500, Infinity]) bothSnaps(graph, lon, lat, maxSnap);
  });

  it('more than 16384 points (progress reported the same), and all of them in one spot', () => {
    const network = generatedNetwork(10, 40);
    const graph = buildModeGraph(network, 'walk', defaultSpeedTable());
    const { lon, lat } = pointsOver(graph, 10, 40000);
    bothSnaps(graph, lon, lat, 500);
    bothSnaps(graph, new Float64Array(300).fill(106.41), new Float64Array(300).fill(30.51), 500);
  });

  it('a graph with nothing to snap to, and a bad snap limit', () => {
    const network = buildRoadNetwork({
      lon: Float64Array.of(106.4, 106.41, 106.42), lat: Float64Array.of(30.5, 30.5, 30.5),
      ways: [{ nodes: [0, 1, 2], tags: { highway: 'motorway' } }],
    });
    const graph = buildModeGraph(network, 'car', defaultSpeedTable());
    expect(graph.snapIndex).toBeNull();
    bothSnaps(graph, Float64Array.from({ length: 20000 }, (_, i) => 106.4 + i * 1e-6), new Float64Array(20000).fill(30.5), 500);
    for (const bad of [-1, NaN]) {
      const message = thrownBy(() => previousSnapPoints(graph, [106.4], [30.5], bad));
      expect(() => snapPoints(graph, [106.4], [30.5], bad)).toThrow(message);
    }
  });

  it('far from the projection centre (a province, where the index keeps single-precision boxes): the nearest segment of all, found by brute force', () => {
    // three clusters ~150 km apart: at 100+ km from the centre a float32 steps by ~1 cm, so a box rounded
    // inward would drop a segment closer than the search radius
    const parts = [generatedRoads(21, 14, 106.4, 30.5), generatedRoads(22, 14, 107.9, 30.5), generatedRoads(23, 14, 107.15, 31.8)];
    const lon = Float64Array.from(parts.flatMap((p) => [...p.lon])), lat = Float64Array.from(parts.flatMap((p) => [...p.lat]));
    let offset = 0;
    const ways = parts.flatMap((p) => { const o = offset; offset += p.lon.length; return p.ways.map((w) => ({ ...w, nodes: Array.from(w.nodes, (v) => v + o) })); });
    const network = buildRoadNetwork({ lon, lat, ways });
    const graph = buildModeGraph(network, 'walk', defaultSpeedTable());
    const { nodeX, nodeY, segA, segB, proj } = network;
    // every segment's box holds both its ends: a search at an end's exact metres finds it
    let ends = 0;
    graph.snapSegments.forEach((s, item) => {
      for (const v of [segA[s], segB[s]]) if (graph.snapIndex!.search(nodeX[v], nodeY[v], nodeX[v], nodeY[v]).includes(item)) ends++;
    });
    expect(ends).toBe(2 * graph.snapSegments.length);
    const rand = seededRandom(24);
    const px: number[] = [], py: number[] = [];
    // points near segments (a few metres off, where the boxes' rounding matters) and exactly on them
    for (let i = 0; i < 3000; i++) {
      const s = graph.snapSegments[Math.floor(rand() * graph.snapSegments.length)], t = rand();
      const x = nodeX[segA[s]] + t * (nodeX[segB[s]] - nodeX[segA[s]]), y = nodeY[segA[s]] + t * (nodeY[segB[s]] - nodeY[segA[s]]);
      const off = i % 3 === 0 ? 0 : (rand() - 0.5) * 120;
      px.push(x + off); py.push(y - off);
    }
    const plon = Float64Array.from(px, (x) => proj.lon0 + x / proj.kx), plat = Float64Array.from(py, (y) => proj.lat0 + y / proj.ky);
    const snaps = snapPoints(graph, plon, plat, 500);
    let far = 0;
    for (let i = 0; i < px.length; i++) {
      // brute force in the same metres the engine uses: every snappable segment, ties to the lower id
      const x = (plon[i] - proj.lon0) * proj.kx, y = (plat[i] - proj.lat0) * proj.ky;
      let best = -1, bestD2 = Infinity;
      for (const s of graph.snapSegments) {
        const ax = nodeX[segA[s]], ay = nodeY[segA[s]], dx = nodeX[segB[s]] - ax, dy = nodeY[segB[s]] - ay;
        const len2 = dx * dx + dy * dy;
        const t = Math.min(1, Math.max(0, len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0));
        const d2 = (ax + t * dx - x) ** 2 + (ay + t * dy - y) ** 2;
        if (d2 < bestD2 || (d2 === bestD2 && s < best)) { bestD2 = d2; best = s; }
      }
      expect(snaps.segment[i], `point ${i}`).toBe(best);
      expect(snaps.offMeters[i]).toBe(Math.sqrt(bestD2));
      if (Math.hypot(x, y) > 70_000) far++;
    }
    expect(far).toBeGreaterThan(1000);
  });

  it('prepareNetwork snaps a gridded population as the previous snapping did', () => {
    const network = generatedNetwork(12, 45);
    const { nodeLon, nodeLat } = network;
    const rand = seededRandom(12);
    const n = 30000;
    const lon = Float64Array.from({ length: n }, () => nodeLon[0] - 0.003 + rand() * (nodeLon[nodeLon.length - 1] - nodeLon[0] + 0.006));
    const lat = Float64Array.from({ length: n }, () => nodeLat[0] - 0.003 + rand() * (nodeLat[nodeLat.length - 1] - nodeLat[0] + 0.006));
    const population = Float64Array.from({ length: n }, () => (rand() < 0.1 ? 0 : rand() * 20));
    const grid = gridFromPoints({ lon, lat, population });
    for (const [mode, costKind] of [['walk', 'time'], ['car', 'distance']] as const) {
      const prepared = prepareNetwork(network, grid, mode, costKind, { maxSnapMeters: 300 });
      expectSameSnaps(prepared.origins, previousSnapPoints(prepared.graph, grid.originLon, grid.originLat, 300));
    }
  });
});

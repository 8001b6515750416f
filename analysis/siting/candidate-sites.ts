import type { MultiPolygon, Polygon, Position } from 'geojson';
import { pointInPolygon } from '../geo/point-in-polygon.ts';
import { gridProjection, type PopulationGrid } from '../grid/population-grid.ts';

/** Places a new facility could go, as column arrays; `ids[j]` names candidate j in results. */
export interface CandidateSites {
  lon: Float64Array;
  lat: Float64Array;
  ids?: string[];
}

export interface UncoveredCandidateOptions {
  /** cost threshold a cell must exceed to count as uncovered (as the analysis: seconds or metres) */
  threshold: number;
  thresholdFor?: (cell: number) => number;
  /** one candidate per block of this size, at its most populated uncovered cell; default 300 m */
  blockMeters?: number;
  /** keep the blocks with the most uncovered residents; default 2000 */
  maxCandidates?: number;
  /** rank by population + aged60 × this weight; default 0 */
  aged60Weight?: number;
  /** cells to leave out, e.g. `unreachable` from analyzeAccess (too far from any road to be served) */
  exclude?: Uint8Array;
}

/**
 * Candidates where people are not served: uncovered populated cells thinned to one per block (the block's
 * most populated cell, where its residents start from), blocks with the most uncovered residents first.
 *
 * @example
 * const c = candidatesFromUncoveredCells(grid, result.cost, { threshold: 900, blockMeters: 300, maxCandidates: 2000 });
 */
export function candidatesFromUncoveredCells(grid: PopulationGrid, cost: Float64Array, options: UncoveredCandidateOptions): CandidateSites & { cell: Int32Array } {
  const block = options.blockMeters ?? 300;
  const max = options.maxCandidates ?? 2000;
  const w = options.aged60Weight ?? 0;
  if (cost.length !== grid.count) throw new Error(`candidates: expected ${grid.count} costs (one per cell), found ${cost.length}`);
  if (!(block > 0)) throw new Error(`candidates: blockMeters must be a positive number, found ${block}`);
  if (!(max >= 1) || !Number.isInteger(max)) throw new Error(`candidates: maxCandidates must be a whole number >= 1, found ${max}`);
  if (!(w >= 0)) throw new Error(`candidates: aged60Weight must be a number >= 0, found ${w}`);
  const blockCols = Math.ceil((grid.cols * grid.cellSize) / block) + 1;
  const sum = new Map<number, number>();
  const best = new Map<number, number>();
  for (let i = 0; i < grid.count; i++) {
    const limit = options.thresholdFor ? options.thresholdFor(i) : options.threshold;
    if (cost[i] <= limit || (options.exclude !== undefined && options.exclude[i] === 1)) continue;
    const value = grid.population[i] + w * grid.aged60[i];
    if (!(value > 0)) continue;
    const col = grid.cellIndex[i] % grid.cols, row = (grid.cellIndex[i] - col) / grid.cols;
    const key = Math.floor((row * grid.cellSize) / block) * blockCols + Math.floor((col * grid.cellSize) / block);
    sum.set(key, (sum.get(key) ?? 0) + value);
    const b = best.get(key);
    // strictly more populated wins, so ties keep the lower cell
    if (b === undefined || value > grid.population[b] + w * grid.aged60[b]) best.set(key, i);
  }
  const keys = [...sum.keys()].sort((a, b) => sum.get(b)! - sum.get(a)! || a - b).slice(0, max);
  const n = keys.length;
  const lon = new Float64Array(n), lat = new Float64Array(n), cell = new Int32Array(n), ids: string[] = [];
  keys.forEach((key, j) => {
    const i = best.get(key)!;
    lon[j] = grid.originLon[i];
    lat[j] = grid.originLat[i];
    cell[j] = i;
    const col = grid.cellIndex[i] % grid.cols, row = (grid.cellIndex[i] - col) / grid.cols;
    ids.push(`cell-${col}-${row}`);
  });
  return { lon, lat, ids, cell };
}

/**
 * Candidates a planner chose (sites on offer, land already owned), checked and given ids.
 *
 * @example
 * const c = candidatesFromPoints([{ lon: 106.43, lat: 30.55, id: '地块A' }, { lon: 106.45, lat: 30.52 }]);
 */
export function candidatesFromPoints(points: ReadonlyArray<{ lon: number; lat: number; id?: string | number }>, source = 'candidate points'): CandidateSites {
  const n = points.length;
  const lon = new Float64Array(n), lat = new Float64Array(n), ids: string[] = [];
  const seen = new Set<string>();
  for (let j = 0; j < n; j++) {
    const p = points[j];
    if (!Number.isFinite(p.lon) || !Number.isFinite(p.lat) || p.lon < -180 || p.lon > 180 || p.lat < -90 || p.lat > 90) {
      throw new Error(`${source}: point ${j}: expected lon in [-180,180] and lat in [-90,90], found (${p.lon}, ${p.lat})`);
    }
    const id = p.id === undefined || p.id === '' ? String(j + 1) : String(p.id);
    if (seen.has(id)) throw new Error(`${source}: point ${j}: id '${id}' is used twice; ids must be unique`);
    seen.add(id);
    lon[j] = p.lon;
    lat[j] = p.lat;
    ids.push(id);
  }
  return { lon, lat, ids };
}

export interface PolygonCandidateOptions {
  /** lattice spacing, aligned to the grid's frame; default the cell size (candidates at cell centres) */
  spacingMeters?: number;
  /** the spacing doubles until at most this many candidates remain; default 2000 */
  maxCandidates?: number;
  /** only populated cells (the most populated per lattice block); default false: vacant land counts too */
  populatedOnly?: boolean;
}

/**
 * Candidates on buildable land: lattice points (cell centres of the grid's frame) inside any of the
 * polygons, holes excluded; the lattice coarsens by doubling until at most `maxCandidates` remain. Land in
 * several polygons counts once; parts of one MultiPolygon must not overlap (as GeoJSON requires: the
 * even-odd test cancels overlaps), so pass overlapping land as separate polygons.
 *
 * @example
 * const c = candidatesFromPolygons(grid, [buildableLand], { maxCandidates: 2000 });
 * c.spacingMeters; // the spacing used
 */
export function candidatesFromPolygons(
  grid: PopulationGrid, polygons: ReadonlyArray<Polygon | MultiPolygon>, options: PolygonCandidateOptions = {},
): CandidateSites & { spacingMeters: number } {
  const max = options.maxCandidates ?? 2000;
  let spacing = options.spacingMeters ?? grid.cellSize;
  if (!(spacing > 0)) throw new Error(`candidates: spacingMeters must be a positive number, found ${spacing}`);
  if (!(max >= 1) || !Number.isInteger(max)) throw new Error(`candidates: maxCandidates must be a whole number >= 1, found ${max}`);
  const proj = gridProjection(grid);
  const shapes = polygons.map((geometry, p) => {
    if (geometry === null || typeof geometry !== 'object' || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      throw new Error(`candidates: polygon ${p}: expected a GeoJSON Polygon or MultiPolygon, found ${geometry === null ? 'null' : typeof geometry === 'object' ? (geometry as { type?: unknown }).type : typeof geometry}`);
    }
    const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, area = 0;
    for (const part of parts) {
      part.forEach((ring: Position[], k: number) => {
        const xy = ring.map((q: Position) => proj.forward(q[0], q[1]));
        for (const [x, y] of xy) {
          if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`candidates: polygon ${p}: coordinates must be numbers, found (${x}, ${y})`);
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
        // the first ring is the shell, the rest are holes
        area += (k === 0 ? 1 : -1) * Math.abs(ringArea(xy));
      });
    }
    return { geometry, minX, minY, maxX, maxY, area };
  });
  // start coarse enough that the lattice inside the land is not far above the limit
  const area = shapes.reduce((a, s) => a + s.area, 0);
  while (area / (spacing * spacing) > 8 * max) spacing *= 2;
  const populated = options.populatedOnly ? populatedCells(grid) : null;
  for (;;) {
    const found = latticeInside(grid, shapes, spacing, populated);
    if (found.key.length <= max) {
      const n = found.key.length;
      const lon = new Float64Array(n), lat = new Float64Array(n), ids: string[] = [];
      for (let j = 0; j < n; j++) {
        lon[j] = found.lon[j];
        lat[j] = found.lat[j];
        ids.push(found.id[j]);
      }
      return { lon, lat, ids, spacingMeters: spacing };
    }
    spacing *= 2;
  }
}

interface Shape { geometry: Polygon | MultiPolygon; minX: number; minY: number; maxX: number; maxY: number }

// lattice points (or populated cells, one per block) inside any shape, in row-major order of the lattice
function latticeInside(grid: PopulationGrid, shapes: Shape[], spacing: number, populated: Map<number, number> | null) {
  const proj = gridProjection(grid);
  const hits = new Map<number, { lon: number; lat: number; id: string; value: number }>();
  const span = 1 << 26;
  const keyOf = (c: number, r: number) => (r + span / 2) * span + (c + span / 2);
  for (const s of shapes) {
    const c0 = Math.floor((s.minX - grid.x0) / spacing), c1 = Math.floor((s.maxX - grid.x0) / spacing);
    const r0 = Math.floor((s.minY - grid.y0) / spacing), r1 = Math.floor((s.maxY - grid.y0) / spacing);
    if (populated === null) {
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const key = keyOf(c, r);
          if (hits.has(key)) continue;
          const [lon, lat] = proj.inverse(grid.x0 + (c + 0.5) * spacing, grid.y0 + (r + 0.5) * spacing);
          if (pointInPolygon(lon, lat, s.geometry)) hits.set(key, { lon, lat, id: `land-${c}-${r}`, value: 0 });
        }
      }
      continue;
    }
    // populated cells within the shape's box, by the cell lattice, then one per spacing block
    const cs = grid.cellSize;
    const cc0 = Math.max(0, Math.floor((s.minX - grid.x0) / cs)), cc1 = Math.min(grid.cols - 1, Math.floor((s.maxX - grid.x0) / cs));
    const rr0 = Math.max(0, Math.floor((s.minY - grid.y0) / cs)), rr1 = Math.min(grid.rows - 1, Math.floor((s.maxY - grid.y0) / cs));
    for (let r = rr0; r <= rr1; r++) {
      for (let c = cc0; c <= cc1; c++) {
        const i = populated.get(r * grid.cols + c);
        if (i === undefined) continue;
        const [lon, lat] = proj.inverse(grid.x0 + (c + 0.5) * cs, grid.y0 + (r + 0.5) * cs);
        if (!pointInPolygon(lon, lat, s.geometry)) continue;
        const bc = Math.floor(((c + 0.5) * cs) / spacing), br = Math.floor(((r + 0.5) * cs) / spacing);
        const key = keyOf(bc, br);
        const prev = hits.get(key);
        if (prev === undefined || grid.population[i] > prev.value) hits.set(key, { lon, lat, id: `cell-${c}-${r}`, value: grid.population[i] });
      }
    }
  }
  const keys = [...hits.keys()].sort((a, b) => a - b);
  return { key: keys, lon: keys.map((k) => hits.get(k)!.lon), lat: keys.map((k) => hits.get(k)!.lat), id: keys.map((k) => hits.get(k)!.id) };
}

function populatedCells(grid: PopulationGrid): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < grid.count; i++) m.set(grid.cellIndex[i], i);
  return m;
}

// shoelace, square metres, sign by orientation
function ringArea(xy: Array<[number, number]>): number {
  let a = 0;
  for (let i = 0, j = xy.length - 1; i < xy.length; j = i++) a += (xy[j][0] - xy[i][0]) * (xy[j][1] + xy[i][1]);
  return a / 2;
}

import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { gridProjection, type PopulationGrid } from '../grid/population-grid.ts';

/** What `gapPolygons` needs beside the mask; every array is per populated cell of the grid. */
export interface GapAttributes {
  /** time or distance to the nearest facility, even beyond the threshold; Infinity where none was found */
  cost?: Float64Array;
  /** index of that facility, -1 where none */
  facility?: Int32Array;
  /** ids and names of the facilities `facility` points into */
  facilityIds?: string[];
  facilityNames?: string[];
  /** unit of `cost`: seconds are reported as minutes */
  unit: 'seconds' | 'meters';
  /** name of the catchment preset, copied onto every polygon */
  preset?: string;
  /** gaps with fewer uncovered residents are dropped; default 0 (keep all) */
  minPopulation?: number;
  /** 4 (default): cells touching only at a corner are separate gaps; 8: they form one MultiPolygon gap */
  connectivity?: 4 | 8;
}

/** The attributes each gap polygon carries, so a planner can read it without the rest of the run. */
export interface GapProperties {
  /** 1 = the gap with the most uncovered residents */
  rank: number;
  uncovered_population: number;
  /** null when the grid has no age data */
  uncovered_60plus: number | null;
  cells: number;
  area_km2: number;
  /** population-weighted mean and maximum of the finite costs; null when no cell has one */
  mean_cost: number | null;
  max_cost: number | null;
  cost_unit: 'minutes' | 'meters';
  /** residents with no finite cost at all (no facility within the search, or too far from any road) */
  no_route_population: number;
  /** the facility that is nearest for most of the gap's residents */
  nearest_facility_id: string | null;
  nearest_facility_name: string | null;
  /** townships (admin units) the gap lies in, by uncovered residents, descending */
  townships: string[];
  township_codes: string[];
  preset: string | null;
}

export type GapFeature = Feature<Polygon | MultiPolygon, GapProperties>;

// cell sides, numbered so that side s is walked in the direction of side s+1's outward normal (counter-clockwise)
const S = 0, E = 1, N = 2, W = 3;

/**
 * Dissolves uncovered populated cells into gap polygons by tracing cell edges, one polygon per connected group
 * of cells, sorted by uncovered residents (largest first).
 *
 * Geometry: rings run along cell edges (the local projection is affine in lon/lat, so the edges are exact
 * straight lines), collinear vertices merged, exterior rings counter-clockwise and holes clockwise (RFC 7946).
 * Groups are 4-connected: two cells that touch only at a corner belong to different gaps unless joined through
 * other cells (with `connectivity: 8` such groups become one MultiPolygon whose parts touch at that corner).
 * Inside one group, a corner where the group's cells touch diagonally is crossed (8-connected tracing), so the
 * empty cells on either side end up in different rings: the shell and each hole are simple rings that may touch
 * one another at single corners, which OGC (and PostGIS `ST_IsValid`) accepts, instead of one ring that
 * touches itself there, which it does not.
 *
 * @example
 * const mask = uncoveredMask(access, access.threshold);
 * const gaps = gapPolygons(grid, mask, { cost: far.cost, facility: far.facility, facilityIds: facilities.id,
 *   unit: access.unit, preset: 'walk 15 min', minPopulation: 50 });
 * gaps.features[0].properties.uncovered_population;
 */
export function gapPolygons(
  grid: PopulationGrid, cellMask: Uint8Array, attrs: GapAttributes,
): FeatureCollection<Polygon | MultiPolygon, GapProperties> {
  const n = grid.count;
  checkInputs(grid, cellMask, attrs);
  const connectivity = attrs.connectivity ?? 4;
  const minPopulation = attrs.minPopulation ?? 0;
  const { cols } = grid;

  // frame of the masked cells, padded by one empty cell so every ring closes inside it
  let minC = Infinity, maxC = -1, minR = Infinity, maxR = -1, masked = 0;
  for (let j = 0; j < n; j++) {
    if (cellMask[j] !== 1) continue;
    masked++;
    const col = grid.cellIndex[j] % cols, row = (grid.cellIndex[j] - col) / cols;
    if (col < minC) minC = col;
    if (col > maxC) maxC = col;
    if (row < minR) minR = row;
    if (row > maxR) maxR = row;
  }
  if (masked === 0) return { type: 'FeatureCollection', features: [] };
  const width = maxC - minC + 3, height = maxR - minR + 3;
  const size = width * height;
  const cellAt = new Int32Array(size).fill(-1);
  const cellPos = new Int32Array(masked);
  const cellOf = new Int32Array(masked);
  for (let j = 0, k = 0; j < n; j++) {
    if (cellMask[j] !== 1) continue;
    const col = grid.cellIndex[j] % cols, row = (grid.cellIndex[j] - col) / cols;
    const p = (row - minR + 1) * width + (col - minC + 1);
    cellAt[p] = j;
    cellPos[k] = p;
    cellOf[k++] = j;
  }

  // 4-connected components by flood fill, numbered from 1 in row-major order of their first cell
  const label = new Int32Array(size);
  const stack = new Int32Array(masked);
  const delta = [-width, 1, width, -1];
  let parts = 0;
  for (let k = 0; k < masked; k++) {
    const start = cellPos[k];
    if (label[start] !== 0) continue;
    label[start] = ++parts;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top];
      for (let s = 0; s < 4; s++) {
        const q = p + delta[s];
        if (cellAt[q] >= 0 && label[q] === 0) { label[q] = parts; stack[top++] = q; }
      }
    }
  }

  // gap of each part: the part itself, or with 8-connectivity the union of parts touching at corners
  const gapOfPart = new Int32Array(parts + 1);
  for (let i = 1; i <= parts; i++) gapOfPart[i] = i;
  if (connectivity === 8) {
    const find = (x: number): number => {
      while (gapOfPart[x] !== x) { gapOfPart[x] = gapOfPart[gapOfPart[x]]; x = gapOfPart[x]; }
      return x;
    };
    for (let k = 0; k < masked; k++) {
      const p = cellPos[k], a = label[p];
      for (const q of [p + width + 1, p + width - 1]) {
        const b = label[q];
        if (b === 0 || b === a) continue;
        const ra = find(a), rb = find(b);
        if (ra !== rb) gapOfPart[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
    for (let i = 1; i <= parts; i++) gapOfPart[i] = find(i);
  }

  // rings: every cell side with another label across it, traced once
  const lonOfCol = new Float64Array(width + 1), latOfRow = new Float64Array(height + 1);
  const proj = gridProjection(grid);
  for (let c = 0; c <= width; c++) lonOfCol[c] = proj.inverse(grid.x0 + (c - 1 + minC) * grid.cellSize, 0)[0];
  for (let r = 0; r <= height; r++) latOfRow[r] = proj.inverse(0, grid.y0 + (r - 1 + minR) * grid.cellSize)[1];
  const visited = new Uint8Array(size);
  const shells: Position[][] = new Array(parts + 1);
  const holes: Position[][][] = Array.from({ length: parts + 1 }, () => []);
  for (let k = 0; k < masked; k++) {
    const p = cellPos[k], a = label[p];
    for (let s = 0; s < 4; s++) {
      if (visited[p] & (1 << s) || label[p + delta[s]] === a) continue;
      const { ring, area2 } = traceRing(label, visited, delta, width, p, s, lonOfCol, latOfRow);
      if (area2 > 0) shells[a] = ring;
      else holes[a].push(ring);
    }
  }

  // per-gap sums in one pass over the masked cells
  const gaps = parts + 1;
  const pop = new Float64Array(gaps), pop60 = new Float64Array(gaps), cells = new Int32Array(gaps);
  const costSum = new Float64Array(gaps), costWeight = new Float64Array(gaps), costCells = new Int32Array(gaps);
  const costPlain = new Float64Array(gaps), costMax = new Float64Array(gaps).fill(-Infinity), noRoute = new Float64Array(gaps);
  const byFacility = new Map<number, number>(), byUnit = new Map<number, number>();
  const facilityCount = attrs.facilityIds?.length ?? 0;
  const nf = Math.max(facilityCount, maxOf(attrs.facility)) + 1, nu = grid.unitNames.length + 1;
  for (let k = 0; k < masked; k++) {
    const j = cellOf[k], g = gapOfPart[label[cellPos[k]]];
    const p = grid.population[j];
    pop[g] += p;
    pop60[g] += grid.aged60[j];
    cells[g]++;
    if (attrs.cost) {
      const c = attrs.cost[j];
      if (Number.isFinite(c)) {
        costSum[g] += c * p; costWeight[g] += p; costPlain[g] += c; costCells[g]++;
        if (c > costMax[g]) costMax[g] = c;
      } else {
        noRoute[g] += p;
      }
    }
    const f = attrs.facility ? attrs.facility[j] : -1;
    if (f >= 0) byFacility.set(g * nf + f, (byFacility.get(g * nf + f) ?? 0) + p);
    const u = grid.unit[j];
    if (u >= 0) byUnit.set(g * nu + u, (byUnit.get(g * nu + u) ?? 0) + p);
  }
  const nearest = new Int32Array(gaps).fill(-1), nearestPop = new Float64Array(gaps).fill(-1);
  for (const [key, p] of byFacility) {
    const g = Math.floor(key / nf), f = key - g * nf;
    // ties go to the lower facility index, so the answer does not depend on map order
    if (p > nearestPop[g] || (p === nearestPop[g] && f < nearest[g])) { nearest[g] = f; nearestPop[g] = p; }
  }
  const unitsOf: Array<Array<[number, number]>> = Array.from({ length: gaps }, () => []);
  for (const [key, p] of byUnit) {
    const g = Math.floor(key / nu);
    unitsOf[g].push([key - g * nu, p]);
  }

  const perMinute = attrs.unit === 'seconds' ? 1 / 60 : 1;
  const cellKm2 = (grid.cellSize * grid.cellSize) / 1e6;
  const partsOf: number[][] = Array.from({ length: gaps }, () => []);
  for (let i = 1; i <= parts; i++) partsOf[gapOfPart[i]].push(i);
  const features: GapFeature[] = [];
  for (let g = 1; g < gaps; g++) {
    if (gapOfPart[g] !== g || pop[g] < minPopulation) continue;
    const polygons = partsOf[g].map((i) => [shells[i], ...holes[i]]);
    const units = unitsOf[g].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    const f = nearest[g];
    const hasCost = attrs.cost !== undefined && costCells[g] > 0;
    const mean = costWeight[g] > 0 ? costSum[g] / costWeight[g] : costPlain[g] / costCells[g];
    features.push({
      type: 'Feature',
      geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons },
      properties: {
        rank: 0,
        uncovered_population: pop[g],
        uncovered_60plus: grid.hasAged60 ? pop60[g] : null,
        cells: cells[g],
        area_km2: cells[g] * cellKm2,
        mean_cost: hasCost ? mean * perMinute : null,
        max_cost: hasCost ? costMax[g] * perMinute : null,
        cost_unit: attrs.unit === 'seconds' ? 'minutes' : 'meters',
        no_route_population: attrs.cost ? noRoute[g] : 0,
        nearest_facility_id: f >= 0 ? (attrs.facilityIds?.[f] ?? String(f)) : null,
        nearest_facility_name: f >= 0 ? (attrs.facilityNames?.[f] ?? null) : null,
        townships: units.map(([u]) => grid.unitNames[u]),
        township_codes: units.map(([u]) => grid.unitCodes[u] ?? ''),
        preset: attrs.preset ?? null,
      },
    });
  }
  // stable sort: equal populations keep the row-major order of their first cell
  features.sort((a, b) => b.properties.uncovered_population - a.properties.uncovered_population);
  features.forEach((feature, i) => { feature.properties.rank = i + 1; });
  return { type: 'FeatureCollection', features };
}

/**
 * Walks one ring with the part's cells on its left, from side `s0` of cell `p0`, marking the sides it uses.
 * At a corner it turns right onto the diagonal cell if that cell is in the part, else goes straight if the
 * cell ahead is, else turns left around its own cell. Only corners are emitted, so collinear vertices vanish.
 */
function traceRing(
  label: Int32Array, visited: Uint8Array, delta: number[], width: number, p0: number, s0: number,
  lonOfCol: Float64Array, latOfRow: Float64Array,
): { ring: Position[]; area2: number } {
  const part = label[p0];
  const ring: Position[] = [];
  const xs: number[] = [], ys: number[] = [];
  let p = p0, s = s0;
  do {
    visited[p] |= 1 << s;
    const ahead = p + delta[(s + 1) & 3];
    const diagonal = ahead + delta[s];
    let np: number, ns: number;
    if (label[diagonal] === part) { np = diagonal; ns = (s + 3) & 3; }
    else if (label[ahead] === part) { np = ahead; ns = s; }
    else { np = p; ns = (s + 1) & 3; }
    if (ns !== s) {
      // the corner at the end of side s of cell p
      const col = p % width, row = (p - col) / width;
      const x = s === S || s === E ? col + 1 : col;
      const y = s === E || s === N ? row + 1 : row;
      xs.push(x); ys.push(y);
      ring.push([lonOfCol[x], latOfRow[y]]);
    }
    p = np; s = ns;
  } while (p !== p0 || s !== s0);
  ring.push([ring[0][0], ring[0][1]]);
  // twice the signed area in cell units: positive for the counter-clockwise shell
  let area2 = 0;
  for (let i = 0, m = xs.length, k = m - 1; i < m; k = i++) area2 += xs[k] * ys[i] - xs[i] * ys[k];
  return { ring, area2 };
}

function maxOf(values: Int32Array | undefined): number {
  let m = -1;
  if (values) for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}

function checkInputs(grid: PopulationGrid, cellMask: Uint8Array, attrs: GapAttributes): void {
  const n = grid.count;
  if (cellMask.length !== n) throw new Error(`gap polygons: cellMask has ${cellMask.length} entries, expected one per populated cell (${n})`);
  if (attrs.cost && attrs.cost.length !== n) throw new Error(`gap polygons: cost has ${attrs.cost.length} entries, expected ${n}`);
  if (attrs.facility && attrs.facility.length !== n) throw new Error(`gap polygons: facility has ${attrs.facility.length} entries, expected ${n}`);
  if (attrs.unit !== 'seconds' && attrs.unit !== 'meters') throw new Error(`gap polygons: unit must be 'seconds' or 'meters', found ${String(attrs.unit)}`);
  if (attrs.connectivity !== undefined && attrs.connectivity !== 4 && attrs.connectivity !== 8) {
    throw new Error(`gap polygons: connectivity must be 4 or 8, found ${String(attrs.connectivity)}`);
  }
  const minPop = attrs.minPopulation ?? 0;
  if (!(minPop >= 0)) throw new Error(`gap polygons: minPopulation must be a number >= 0, found ${minPop}`);
  if (attrs.facility && attrs.facilityIds) {
    for (let j = 0; j < n; j++) {
      if (attrs.facility[j] >= attrs.facilityIds.length) {
        throw new Error(`gap polygons: cell ${j} points to facility ${attrs.facility[j]}, but only ${attrs.facilityIds.length} facility ids were given`);
      }
    }
  }
}

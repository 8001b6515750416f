import { createLocalProjection, type LocalProjection } from '../geo/local-projection.ts';

/** Urban/rural class of a cell; UNKNOWN where no rule has classed it yet. */
export const URBAN = 1;
export const RURAL = 2;
export const UNKNOWN_CLASS = 0;

/**
 * A regular grid in metres on a local projection, holding only its populated cells (sparse, column arrays).
 * `originLon/originLat` is where a cell's residents are taken to start from: the cell centre for
 * rasters and polygons, the population-weighted mean of input points for point data (so hexagon
 * centroids are not moved by the gridding).
 */
export interface PopulationGrid {
  /** projection centre and grid frame: cell (col,row) spans x in [x0+col*size, x0+(col+1)*size) */
  readonly lon0: number;
  readonly lat0: number;
  readonly x0: number;
  readonly y0: number;
  readonly cellSize: number;
  readonly cols: number;
  readonly rows: number;
  /** number of populated cells */
  readonly count: number;
  /** row * cols + col of each populated cell, ascending */
  readonly cellIndex: Uint32Array;
  readonly originLon: Float64Array;
  readonly originLat: Float64Array;
  readonly population: Float64Array;
  /** residents aged 60+; NaN-free, zero where unknown (see `hasAged60`) */
  readonly aged60: Float64Array;
  readonly hasAged60: boolean;
  /** URBAN, RURAL or UNKNOWN_CLASS */
  readonly urbanClass: Uint8Array;
  /** index into `unitNames`, -1 outside every unit */
  readonly unit: Int32Array;
  readonly unitNames: string[];
  readonly unitCodes: string[];
}

/** Points with population, the common currency every grid builder reduces its input to. */
export interface PopulationPoints {
  lon: Float64Array;
  lat: Float64Array;
  population: Float64Array;
  /** aged 60+, or undefined where the source has none */
  aged60?: Float64Array;
  /** URBAN/RURAL per point, if the source knows it */
  urbanClass?: Uint8Array;
}

export interface GridOptions {
  /** cell size in metres; default 100 */
  cellSize?: number;
  /** when false every populated cell is placed at its centre; default true for point data */
  weightedOrigins?: boolean;
  /** projection centre [lon, lat]; cell edges fall on multiples of cellSize from it. Default: the data's middle.
   *  Give the centre a gridded source was made with, so its cells map one to one. */
  center?: [number, number];
}

export function gridProjection(grid: Pick<PopulationGrid, 'lon0' | 'lat0'>): LocalProjection {
  return createLocalProjection(grid.lon0, grid.lat0);
}

/** Centre of a cell in lon/lat. */
export function cellCenter(grid: PopulationGrid, cellIndex: number): [number, number] {
  const col = cellIndex % grid.cols;
  const row = (cellIndex - col) / grid.cols;
  const proj = gridProjection(grid);
  return proj.inverse(grid.x0 + (col + 0.5) * grid.cellSize, grid.y0 + (row + 0.5) * grid.cellSize);
}

/** More residents than any one point can hold (China's largest province has ~127 M): sums would lose meaning. */
export const MAX_POINT_POPULATION = 1e8;

// cell keys are Uint32: row * cols + col must stay below 2^32
const MAX_CELLS = 2 ** 32;

/**
 * Bins population points into a regular grid; cells add up to the input exactly (up to float rounding).
 * A frame of more than 2^32 cells is an error (cell keys are Uint32).
 *
 * @example
 * const grid = gridFromPoints({ lon, lat, population }, { cellSize: 100 });
 */
export function gridFromPoints(points: PopulationPoints, options: GridOptions = {}): PopulationGrid {
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
  // snap the frame to whole cells so grids of the same area line up
  const x0 = Math.floor(xa / cellSize) * cellSize;
  const y0 = Math.floor(ya / cellSize) * cellSize;
  const cols = Math.floor((xb - x0) / cellSize) + 1;
  const rows = Math.floor((yb - y0) / cellSize) + 1;
  if (cols * rows > MAX_CELLS) {
    throw new Error(`grid: ${cols} x ${rows} cells of ${cellSize} m is more than 2^32 cells; use a larger cellSize or split the area`);
  }
  // project into flat arrays and key each point by its cell: no array per point
  const x = new Float64Array(n), y = new Float64Array(n);
  const key = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    proj.forwardInto(points.lon[i], points.lat[i], x, y, i);
    // clamped both ways: float rounding can put an edge point a hair outside the frame
    const col = Math.max(0, Math.min(cols - 1, Math.floor((x[i] - x0) / cellSize)));
    const row = Math.max(0, Math.min(rows - 1, Math.floor((y[i] - y0) / cellSize)));
    key[i] = row * cols + col;
  }
  // walk the points cell by cell in key order: a cell is kept when any of its points has residents of any age
  const order = orderByKey(key, cols * rows - 1);
  const cellOf = new Int32Array(n).fill(-1);
  let count = 0;
  for (let a = 0, b = 0; a < n; a = b) {
    const cell = key[order[a]];
    let populated = false;
    for (b = a; b < n && key[order[b]] === cell; b++) {
      const i = order[b];
      if (points.population[i] > 0 || (points.aged60 !== undefined && points.aged60[i] > 0)) populated = true;
    }
    if (!populated) continue;
    for (let k = a; k < b; k++) cellOf[order[k]] = count;
    count++;
  }
  const cellIndex = new Uint32Array(count);
  const population = new Float64Array(count);
  const aged60 = new Float64Array(count);
  const urbanClass = new Uint8Array(count);
  const originLon = new Float64Array(count);
  const originLat = new Float64Array(count);
  const sx = new Float64Array(count), sy = new Float64Array(count);
  const urbanPop = new Float64Array(count), ruralPop = new Float64Array(count);
  // sums run in point order, as they always have, so every cell adds up bit for bit the same
  for (let i = 0; i < n; i++) {
    const c = cellOf[i];
    if (c < 0) continue;
    cellIndex[c] = key[i];
    const p = points.population[i];
    population[c] += p;
    if (points.aged60) aged60[c] += points.aged60[i];
    sx[c] += points.lon[i] * p;
    sy[c] += points.lat[i] * p;
    if (points.urbanClass) {
      if (points.urbanClass[i] === URBAN) urbanPop[c] += p;
      else if (points.urbanClass[i] === RURAL) ruralPop[c] += p;
    }
  }
  for (let j = 0; j < count; j++) {
    const col = cellIndex[j] % cols;
    const row = (cellIndex[j] - col) / cols;
    // each point weighs its residents, so the weights add up to population[j]
    if (weighted && population[j] > 0) {
      originLon[j] = sx[j] / population[j];
      originLat[j] = sy[j] / population[j];
    } else {
      proj.inverseInto(x0 + (col + 0.5) * cellSize, y0 + (row + 0.5) * cellSize, originLon, originLat, j);
    }
    urbanClass[j] = urbanPop[j] === 0 && ruralPop[j] === 0 ? UNKNOWN_CLASS : urbanPop[j] >= ruralPop[j] ? URBAN : RURAL;
  }
  return {
    lon0, lat0, x0, y0, cellSize, cols, rows, count, cellIndex, originLon, originLat,
    population, aged60, hasAged60: points.aged60 !== undefined, urbanClass,
    unit: new Int32Array(count).fill(-1), unitNames: [], unitCodes: [],
  };
}

/** Point ids sorted by key, stable (ids ascending within a key): a counting sort on 16 bits at a time. */
function orderByKey(key: Uint32Array, maxKey: number): Uint32Array {
  const n = key.length;
  const passes = maxKey > 0xffff ? 2 : 1;
  // both digits' counts in one read of the keys, shifted by one so the running sum gives each digit's start
  const low = new Uint32Array(0x10001), high = new Uint32Array(0x10001);
  for (let i = 0; i < n; i++) {
    low[(key[i] & 0xffff) + 1]++;
    high[(key[i] >>> 16) + 1]++;
  }
  let order = new Uint32Array(n), next = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let pass = 0; pass < passes; pass++) {
    const start = pass === 0 ? low : high, shift = 16 * pass;
    for (let d = 0; d < 0xffff; d++) start[d + 1] += start[d];
    for (let k = 0; k < n; k++) {
      const i = order[k];
      next[start[(key[i] >>> shift) & 0xffff]++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}

/** Sum of a column, compensated so 150k cells still add up to the census figure. */
export function sumOf(values: Float64Array): number {
  let sum = 0, comp = 0;
  for (let i = 0; i < values.length; i++) {
    const y = values[i] - comp;
    const t = sum + y;
    comp = (t - sum) - y;
    sum = t;
  }
  return sum;
}

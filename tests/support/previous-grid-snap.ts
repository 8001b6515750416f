// The gridding and snapping as they were before the sort-based rewrite: the oracle for
// tests/grid-snap-speed-equivalence.test.ts and the "old" side of bench/grid-snap-bench.ts.
import { createLocalProjection } from '../../analysis/geo/local-projection.ts';
import {
  MAX_POINT_POPULATION, RURAL, UNKNOWN_CLASS, URBAN,
  type GridOptions, type PopulationGrid, type PopulationPoints,
} from '../../analysis/grid/population-grid.ts';
import type { ModeGraph } from '../../analysis/network/mode-graph.ts';
import type { SnappedPoints } from '../../analysis/network/snap-points.ts';

// ---- the previous implementation of gridFromPoints, kept as the oracle (analysis/grid/population-grid.ts before the rewrite)
export function previousGridFromPoints(points: PopulationPoints, options: GridOptions = {}): PopulationGrid {
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

// ---- the previous implementation of snapPoints, kept as the oracle (analysis/network/snap-points.ts before the rewrite)
export function previousSnapPoints(
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

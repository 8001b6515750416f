import { createLocalProjection } from '../geo/local-projection.ts';
import type { ModeGraph } from '../network/mode-graph.ts';
import { snapPoints, type SnappedPoints } from '../network/snap-points.ts';
import { multiSourceDijkstra } from '../traveltime/multi-source-dijkstra.ts';
import { facilitySeeds, originCosts } from '../traveltime/network-access.ts';
import { straightLineAccess } from '../traveltime/straight-line-access.ts';

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

/**
 * A regular lon/lat raster: sample (i, j) sits at the centre of its cell, lon0 + (i + 0.5)·dLon,
 * lat0 + (j + 0.5)·dLat, row-major from the south-west corner (j = 0 is the southern row).
 */
export interface RasterFrame {
  readonly width: number;
  readonly height: number;
  readonly lon0: number;
  readonly lat0: number;
  readonly dLon: number;
  readonly dLat: number;
}

/** Travel cost at every raster sample to the nearest facility. */
export interface TravelTimeSurface extends RasterFrame {
  /** seconds (or metres, see `unit`); Infinity beyond the cut-off, off the network or unreachable */
  readonly values: Float64Array;
  /** index of the nearest facility per sample, -1 where none */
  readonly facility: Int32Array;
  readonly unit: 'seconds' | 'meters';
}

// a 5000 × 5000 raster is already 200 MB of doubles; beyond that the cell is too fine for the area
const MAX_SAMPLES = 25_000_000;

/**
 * The raster over `bbox` whose cells are `cellMeters` square at the box's centre latitude.
 *
 * @example
 * const frame = rasterFrame([106.2, 30.3, 106.7, 30.7], 100); // ≈ 480 × 445 samples
 */
export function rasterFrame(bbox: BBox, cellMeters: number): RasterFrame {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(Number.isFinite) || !(minLon < maxLon) || !(minLat < maxLat)) {
    throw new Error(`bbox must be [minLon, minLat, maxLon, maxLat] with min < max, found ${JSON.stringify(bbox)}`);
  }
  if (!(cellMeters > 0) || !Number.isFinite(cellMeters)) throw new Error(`cellMeters must be a positive number, found ${cellMeters}`);
  const proj = createLocalProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);
  const dLon = cellMeters / proj.kx, dLat = cellMeters / proj.ky;
  const width = Math.max(1, Math.ceil((maxLon - minLon) / dLon)), height = Math.max(1, Math.ceil((maxLat - minLat) / dLat));
  if (width * height > MAX_SAMPLES) {
    throw new Error(`raster of ${width} × ${height} samples at ${cellMeters} m exceeds ${MAX_SAMPLES}; use a larger cellMeters or a smaller bbox`);
  }
  return { width, height, lon0: minLon, lat0: minLat, dLon, dLat };
}

/**
 * Longitudes and latitudes of a frame's samples, in sample order.
 *
 * @example
 * const { lon, lat } = rasterSamples(rasterFrame(bbox, 50));
 */
export function rasterSamples(frame: RasterFrame): { lon: Float64Array; lat: Float64Array } {
  const { width, height, lon0, lat0, dLon, dLat } = frame;
  const lon = new Float64Array(width * height), lat = new Float64Array(width * height);
  for (let j = 0, k = 0; j < height; j++) {
    const y = lat0 + (j + 0.5) * dLat;
    for (let i = 0; i < width; i++, k++) { lon[k] = lon0 + (i + 0.5) * dLon; lat[k] = y; }
  }
  return { lon, lat };
}

/**
 * Travel time from the nearest facility to every raster sample: samples snap to the network like population
 * cells (`snapPoints`), one multi-source Dijkstra runs from the facilities, and `originCosts` adds both
 * off-network legs, so land farther than `maxSnapMeters` from a usable road stays Infinity.
 *
 * @example
 * const fSnaps = snapPoints(walk, facilities.lon, facilities.lat, 500);
 * const surface = travelTimeSurface(walk, fSnaps, [106.2, 30.3, 106.7, 30.7], 50, 900, 500);
 */
export function travelTimeSurface(
  graph: ModeGraph, facilitiesSnaps: SnappedPoints, bbox: BBox, cellMeters: number, cutoff: number, maxSnapMeters: number,
): TravelTimeSurface {
  if (!(cutoff > 0)) throw new Error(`cutoff must be a positive number of ${graph.costKind === 'time' ? 'seconds' : 'metres'}, found ${cutoff}`);
  const frame = rasterFrame(bbox, cellMeters);
  const { lon, lat } = rasterSamples(frame);
  const samples = snapPoints(graph, lon, lat, maxSnapMeters);
  const nodes = multiSourceDijkstra(graph, facilitySeeds(graph, facilitiesSnaps), cutoff);
  const { cost, facility } = originCosts(graph, nodes, samples, facilitiesSnaps, cutoff);
  return { ...frame, values: cost, facility, unit: graph.costKind === 'time' ? 'seconds' : 'meters' };
}

/**
 * Straight-line (great-circle) surface: metres to the nearest facility, or seconds when `secondsPerMeter`
 * is given (e.g. 3.6 / walkKmh); Infinity beyond `cutoff` (in the same unit).
 *
 * @example
 * const surface = straightLineSurface(fac.lon, fac.lat, bbox, 50, 1000); // metres, 1 km limit
 */
export function straightLineSurface(
  facilityLon: ArrayLike<number>, facilityLat: ArrayLike<number>, bbox: BBox, cellMeters: number, cutoff: number,
  options: { secondsPerMeter?: number } = {},
): TravelTimeSurface {
  const perMeter = options.secondsPerMeter ?? 1;
  if (!(perMeter > 0)) throw new Error(`secondsPerMeter must be a positive number, found ${perMeter}`);
  if (!(cutoff > 0)) throw new Error(`cutoff must be a positive number, found ${cutoff}`);
  const frame = rasterFrame(bbox, cellMeters);
  const { lon, lat } = rasterSamples(frame);
  const { cost, facility } = straightLineAccess(facilityLon, facilityLat, lon, lat, cutoff / perMeter);
  if (perMeter !== 1) for (let k = 0; k < cost.length; k++) cost[k] *= perMeter;
  return { ...frame, values: cost, facility, unit: options.secondsPerMeter === undefined ? 'meters' : 'seconds' };
}

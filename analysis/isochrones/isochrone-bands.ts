import { contours } from 'd3-contour';
import { difference } from '@turf/difference';
import { featureCollection, multiPolygon } from '@turf/helpers';
import type { Feature, FeatureCollection, MultiPolygon, Position } from 'geojson';
import { EARTH_RADIUS_M } from '../geo/local-projection.ts';
import type { TravelTimeSurface } from './travel-time-surface.ts';

/** One band: reached within `*_to` (cumulative), or between `*_from` and `*_to` (rings). */
export interface IsochroneProperties {
  /** index of the threshold, 0 = the smallest */
  band: number;
  cumulative: boolean;
  /** for surfaces in seconds */
  minutes_from?: number;
  minutes_to?: number;
  /** for surfaces in metres */
  meters_from?: number;
  meters_to?: number;
  facility_id?: string;
  area_km2: number;
}

export interface IsochroneOptions {
  /** true (default): band k is everything reached within threshold k; false: only what lies beyond threshold k-1 */
  cumulative?: boolean;
  /**
   * what Infinity (beyond the cut-off, off the network) counts as while contouring; default twice the largest
   * threshold, which keeps every boundary within half a raster cell of the last reached sample
   */
  unreachableValue?: number;
  /** copied to every feature */
  facilityId?: string;
}

// a ring vertex never sits closer than this (in cells) to a sample, so rings of one level never touch
const EDGE_MARGIN = 1e-6;
// rings smaller than this (cells²) are specks left by samples a hair inside the threshold
const MIN_RING_AREA = 1e-6;

/**
 * Isochrone polygons from a travel-time surface by marching squares (d3-contour), linearly interpolated
 * between samples, one MultiPolygon feature per threshold, RFC 7946 winding, holes kept.
 *
 * Bands are cumulative by default: band k covers every place reached within thresholds[k], which is what
 * planners read as "the 10-minute area". With `cumulative: false` band k is the ring between thresholds[k-1]
 * and thresholds[k]. Unreachable samples are never inside any polygon, and a boundary lies at most half a
 * cell beyond the last reached sample, so no hull swallows unreachable land. Empty bands are left out.
 *
 * @example
 * const fc = isochroneBands(surface, [300, 600, 900]); // 5/10/15 min, cumulative
 * fc.features[2].properties; // { band: 2, minutes_from: 0, minutes_to: 15, ... }
 */
export function isochroneBands(
  surface: TravelTimeSurface, thresholds: number[], options: IsochroneOptions = {},
): FeatureCollection<MultiPolygon, IsochroneProperties> {
  const { width, height, values } = surface;
  if (values.length !== width * height) throw new Error(`surface: ${values.length} values for a ${width} × ${height} raster`);
  const levels = checkThresholds(thresholds);
  const cumulative = options.cumulative ?? true;
  const top = levels[levels.length - 1];
  const unreachable = options.unreachableValue ?? 2 * top;
  if (!(unreachable > top)) throw new Error(`unreachableValue must exceed the largest threshold (${top}), found ${unreachable}`);
  // d3 keeps values >= level, so contour the negated times: inside means time <= threshold
  const field = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) field[k] = -(values[k] < unreachable ? values[k] : unreachable);
  const generator = contours().size([width, height]).smooth(false);
  const within = levels.map((t) => polygonsAt(field, width, height, -t, surface, generator));

  const features: Feature<MultiPolygon, IsochroneProperties>[] = [];
  levels.forEach((t, k) => {
    let coordinates = within[k];
    if (!cumulative && k > 0 && within[k - 1].length > 0 && coordinates.length > 0) {
      const ring = difference(featureCollection([multiPolygon(coordinates), multiPolygon(within[k - 1])]));
      coordinates = ring === null ? [] : ring.geometry.type === 'Polygon' ? [ring.geometry.coordinates] : ring.geometry.coordinates;
      coordinates = coordinates.map((polygon) => polygon.map((r, i) => oriented(r, i === 0)));
    }
    if (coordinates.length === 0) return;
    const from = cumulative || k === 0 ? 0 : levels[k - 1];
    const range = surface.unit === 'seconds' ? { minutes_from: from / 60, minutes_to: t / 60 } : { meters_from: from, meters_to: t };
    let area = 0;
    for (const polygon of coordinates) for (const r of polygon) area += sphericalArea(r);
    features.push({
      type: 'Feature',
      geometry: { type: 'MultiPolygon', coordinates },
      properties: {
        band: k, cumulative, ...range,
        ...(options.facilityId !== undefined ? { facility_id: options.facilityId } : {}),
        area_km2: area / 1e6,
      },
    });
  });
  return { type: 'FeatureCollection', features };
}

/** The polygons where field >= level, in lon/lat, shells counter-clockwise and holes clockwise. */
function polygonsAt(
  field: Float64Array, width: number, height: number, level: number, surface: TravelTimeSurface,
  generator: ReturnType<typeof contours>,
): Position[][][] {
  const raw = generator.contour(field as unknown as number[], level).coordinates;
  // d3 gives each hole to the first shell around it, right only because of the order rings close in;
  // taking the smallest shell around the hole does not depend on that
  const shells: Position[][] = [], holes: Position[][] = [];
  for (const polygon of raw) {
    polygon.forEach((ring, i) => {
      interpolate(ring, field, width, height, level);
      const area = Math.abs(signedArea(ring));
      if (area >= MIN_RING_AREA) (i === 0 ? shells : holes).push(ring);
    });
  }
  const shellArea = shells.map((r) => Math.abs(signedArea(r)));
  const shellBox = shells.map(boxOf);
  const polygons: Position[][][] = shells.map((r) => [r]);
  for (const hole of holes) {
    const [x, y] = hole[0];
    let best = -1;
    for (let s = 0; s < shells.length; s++) {
      const b = shellBox[s];
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3] || (best >= 0 && shellArea[s] >= shellArea[best])) continue;
      if (insideRing(shells[s], x, y)) best = s;
    }
    if (best >= 0) polygons[best].push(hole);
  }
  const { lon0, lat0, dLon, dLat } = surface;
  return polygons.map((polygon) => polygon.map((ring, i) => oriented(ring.map(([x, y]) => [lon0 + x * dLon, lat0 + y * dLat]), i === 0)));
}

/**
 * Moves each vertex from the midpoint between two samples to where the level lies between them (what d3's
 * own smoothing does), but never onto a sample, so rings that meet a sample on the level cannot touch.
 */
function interpolate(ring: Position[], field: Float64Array, width: number, height: number, level: number): void {
  for (const point of ring) {
    const [x, y] = point;
    if (Number.isInteger(x) && x > 0 && x < width && !Number.isInteger(y)) {
      const row = (y - 0.5) * width;
      point[0] = x - 0.5 + fraction(field[row + x - 1], field[row + x], level);
    } else if (Number.isInteger(y) && y > 0 && y < height && !Number.isInteger(x)) {
      const col = x - 0.5;
      point[1] = y - 0.5 + fraction(field[(y - 1) * width + col], field[y * width + col], level);
    }
  }
}

function fraction(v0: number, v1: number, level: number): number {
  const d = (level - v0) / (v1 - v0);
  return d < EDGE_MARGIN ? EDGE_MARGIN : d > 1 - EDGE_MARGIN ? 1 - EDGE_MARGIN : d;
}

/** Signed area (shoelace), positive when counter-clockwise with y pointing north. */
function signedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, n = ring.length, k = n - 1; i < n; k = i++) a += ring[k][0] * ring[i][1] - ring[i][0] * ring[k][1];
  return a / 2;
}

/**
 * Signed area in m² on the mean sphere (Chamberlain & Duquette, the formula turf.area uses), so it does not
 * depend on where a raster window was centred.
 */
function sphericalArea(ring: Position[]): number {
  const rad = Math.PI / 180, n = ring.length - 1;
  let a = 0;
  for (let i = 0; i < n; i++) {
    const prev = ring[i === 0 ? n - 1 : i - 1], next = ring[i + 1];
    a += (next[0] - prev[0]) * rad * Math.sin(ring[i][1] * rad);
  }
  return (-a * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2;
}

function oriented(ring: Position[], counterClockwise: boolean): Position[] {
  return signedArea(ring) > 0 === counterClockwise ? ring : ring.slice().reverse();
}

function boxOf(ring: Position[]): [number, number, number, number] {
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  for (const [x, y] of ring) {
    if (x < a) a = x;
    if (y < b) b = y;
    if (x > c) c = x;
    if (y > d) d = y;
  }
  return [a, b, c, d];
}

function insideRing(ring: Position[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, n = ring.length, k = n - 1; i < n; k = i++) {
    const [xi, yi] = ring[i], [xk, yk] = ring[k];
    if (yi > y !== yk > y && x < ((xk - xi) * (y - yi)) / (yk - yi) + xi) inside = !inside;
  }
  return inside;
}

function checkThresholds(thresholds: number[]): number[] {
  if (!Array.isArray(thresholds) || thresholds.length === 0) throw new Error(`thresholds: expected a non-empty list of numbers, found ${JSON.stringify(thresholds)}`);
  const sorted = [...thresholds].sort((a, b) => a - b);
  sorted.forEach((t, i) => {
    if (!Number.isFinite(t) || t <= 0) throw new Error(`thresholds: expected positive finite numbers, found ${t}`);
    if (i > 0 && t === sorted[i - 1]) throw new Error(`thresholds: ${t} appears twice`);
  });
  return sorted;
}

import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import gcoord from 'gcoord';
import proj4 from 'proj4';
import { foundValue } from '../errors/found-value.ts';
import { getCrs } from './crs-registry.ts';
import type { AxisOrder, CrsInfo } from './crs-registry.ts';

/** What the transforms accept: a position, a geometry, a feature or a feature collection. */
export type CoordinateInput = Position | Geometry | Feature<Geometry | null> | FeatureCollection<Geometry | null>;

export interface ToWgs84Options {
  /**
   * Which value comes first in the input positions ('lonlat' also means easting first for Gauss-Krüger).
   * 'auto' decides from the values over the whole input. Default: 'lonlat' for EPSG:4326 (GeoJSON order),
   * GCJ-02 and BD-09; 'auto' for EPSG:4490 and the Gauss-Krüger zones, whose EPSG order is lat/northing first.
   */
  axisOrder?: AxisOrder | 'auto';
}

/** Lon/lat ⇄ one CRS's x/y for single positions. */
export interface PositionTransform {
  forward(lon: number, lat: number): [number, number];
  inverse(x: number, y: number): [number, number];
}

// the geographic side of every projected transform is CGCS2000 (GRS80), with no datum shift: CGCS2000 ≡ WGS84 here
const LONGLAT_GRS80 = '+proj=longlat +ellps=GRS80 +no_defs';
const IDENTITY: PositionTransform = { forward: (lon, lat) => [lon, lat], inverse: (x, y) => [x, y] };
const cache = new Map<string, PositionTransform>();

/**
 * The position-level transform between WGS84 lon/lat and `crs` (forward: WGS84 → crs).
 * GCJ-02 and BD-09 use gcoord, whose inverse is iterative (GCJ-02) or approximate (BD-09), good to about 0.1 m.
 *
 * @example positionTransform('EPSG:4544').forward(106.437, 30.536) // ≈ [637906.675, 3380411.513]
 */
export function positionTransform(crs: string): PositionTransform {
  const info = getCrs(crs);
  let t = cache.get(info.name);
  if (t) return t;
  if (info.kind === 'geographic') t = IDENTITY;
  else if (info.kind === 'offset') t = offsetTransform(info.name === 'GCJ-02' ? gcoord.GCJ02 : gcoord.BD09);
  else {
    const converter = proj4(LONGLAT_GRS80, info.proj4!);
    t = {
      forward: (lon, lat) => converter.forward([lon, lat]) as [number, number],
      inverse: (x, y) => converter.inverse([x, y]) as [number, number],
    };
  }
  cache.set(info.name, t);
  return t;
}

function offsetTransform(system: typeof gcoord.GCJ02 | typeof gcoord.BD09): PositionTransform {
  return {
    forward: (lon, lat) => gcoord.transform([lon, lat], gcoord.WGS84, system) as [number, number],
    inverse: (x, y) => gcoord.transform([x, y], system, gcoord.WGS84) as [number, number],
  };
}

/**
 * Converts positions, geometries, features or feature collections from `from` to WGS84 lon/lat; returns a new
 * object of the same shape (properties kept, `bbox` and `crs` members dropped since they no longer hold).
 *
 * @example
 * toWgs84({ type: 'Point', coordinates: [3380411.513, 637906.675] }, 'EPSG:4544')
 * // { type: 'Point', coordinates: [≈106.437, ≈30.536] } (northing-first input detected)
 */
export function toWgs84<T extends CoordinateInput>(input: T, from: string, options: ToWgs84Options = {}): T {
  const crs = getCrs(from);
  const order = resolveAxisOrder(input, crs.name, options.axisOrder);
  const t = positionTransform(crs.name);
  const swap = order === 'latlon';
  return mapPositions(input, (p) => {
    const [a, b] = swap ? [p[1], p[0]] : [p[0], p[1]];
    const out = checked(t.inverse(a, b), p, crs, 'to WGS84');
    if (Math.abs(out[0]) > 180 || Math.abs(out[1]) > 90) {
      const hint = crs.kind === 'projected' ? 'metres of another zone or CRS?' : Math.abs(a) <= 90 && Math.abs(b) <= 180 ? `lon/lat swapped? set axisOrder '${swap ? 'lonlat' : 'latlon'}'` : 'projected metres? name the CRS';
      throw new Error(`position [${p[0]}, ${p[1]}] read as ${crs.name} (${order}) must give |lon| <= 180 and |lat| <= 90, found [${out[0]}, ${out[1]}] (${hint})`);
    }
    return out;
  });
}

/**
 * Converts WGS84 lon/lat positions, geometries, features or feature collections to `to`, writing x (lon or
 * easting) first as GeoJSON and shapefiles expect; returns a new object of the same shape.
 *
 * @example fromWgs84({ type: 'Point', coordinates: [106.437, 30.536] }, 'EPSG:4544').coordinates // ≈ [637906.675, 3380411.513]
 */
export function fromWgs84<T extends CoordinateInput>(input: T, to: string): T {
  const crs = getCrs(to);
  const t = positionTransform(crs.name);
  return mapPositions(input, (p) => {
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
      throw new Error(`WGS84 position must be [lon, lat] with |lon| <= 180 and |lat| <= 90, found [${p[0]}, ${p[1]}]`);
    }
    return checked(t.forward(p[0], p[1]), p, crs, `from WGS84 to ${crs.name}`);
  });
}

function checked(out: [number, number], p: Position, crs: CrsInfo, what: string): Position {
  if (!Number.isFinite(out[0]) || !Number.isFinite(out[1])) {
    throw new Error(`position [${p[0]}, ${p[1]}] (${crs.name}) did not transform ${what}: found [${out[0]}, ${out[1]}]`);
  }
  // keep a third value (height) untouched
  return p.length > 2 ? [out[0], out[1], ...p.slice(2)] : [out[0], out[1]];
}

/**
 * The axis order to read `input` with: `axisOrder` when given, else the CRS default ('lonlat' for EPSG:4326,
 * GCJ-02, BD-09), else decided from the values — for China a latitude (3–54) never exceeds a longitude (73–136),
 * and a Gauss-Krüger northing (0.3–6.2 million m) differs from an easting near the false easting.
 * Ambiguous input is read lon/lat (easting) first.
 *
 * @example resolveAxisOrder([30.536, 106.437], 'EPSG:4490') // 'latlon'
 */
export function resolveAxisOrder(input: CoordinateInput, crs: string, axisOrder?: AxisOrder | 'auto'): AxisOrder {
  const info = getCrs(crs);
  const wanted = axisOrder ?? (info.name === 'EPSG:4490' || info.kind === 'projected' ? 'auto' : 'lonlat');
  if (wanted === 'lonlat' || wanted === 'latlon') return wanted;
  if (wanted !== 'auto') throw new Error(`axisOrder must be 'lonlat', 'latlon' or 'auto', found ${foundValue(wanted)}`);
  const looksFirst = info.kind === 'projected' ? eastingTest(info) : (v: number) => Math.abs(v) > 90 || (v >= 73 && v <= 136);
  const looksSecond = info.kind === 'projected' ? northingTest : (v: number) => Math.abs(v) <= 90 && v >= 3 && v <= 54;
  let lonlat = 0;
  let latlon = 0;
  forEachPosition(input, (p) => {
    const [a, b] = p;
    const straight = looksFirst(a) && looksSecond(b);
    const swapped = looksSecond(a) && looksFirst(b);
    if (straight && !swapped) lonlat++;
    else if (swapped && !straight) latlon++;
  });
  return latlon > lonlat ? 'latlon' : 'lonlat';
}

function eastingTest(info: CrsInfo): (v: number) => boolean {
  // half a 6-degree zone at the equator is 334 km; allow a little past the edge
  const fe = info.falseEasting!;
  return (v) => v > fe - 400_000 && v < fe + 400_000;
}

function northingTest(v: number): boolean {
  return v >= 300_000 && v <= 6_200_000;
}

function forEachPosition(input: CoordinateInput, fn: (p: Position) => void): void {
  mapPositions(input, (p) => {
    fn(p);
    return p;
  });
}

/** Rebuilds `input` with every position replaced by `fn(position)`; validates positions on the way. */
function mapPositions<T extends CoordinateInput>(input: T, fn: (p: Position) => Position): T {
  const pos = (p: unknown): Position => {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new Error(`position must be an array of at least two finite numbers, found ${foundValue(p)}`);
    }
    return fn(p as Position);
  };
  const list = (a: unknown, depth: number): unknown => {
    if (!Array.isArray(a)) throw new Error(`coordinates must be nested arrays, found ${foundValue(a)}`);
    return depth === 0 ? pos(a) : a.map((x) => list(x, depth - 1));
  };
  const depthOf: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };
  const geometry = (g: Geometry | null): Geometry | null => {
    if (g === null) return null;
    if (g.type === 'GeometryCollection') return { type: 'GeometryCollection', geometries: g.geometries.map((x) => geometry(x)!) };
    const depth = depthOf[(g as Geometry).type];
    if (depth === undefined) throw new Error(`geometry type must be Point…MultiPolygon or GeometryCollection, found ${foundValue((g as Geometry).type)}`);
    return { type: g.type, coordinates: list(g.coordinates, depth) } as Geometry;
  };
  const strip = <O extends object>(o: O): O => {
    const { bbox: _bbox, crs: _crs, ...rest } = o as O & { bbox?: unknown; crs?: unknown };
    return rest as O;
  };
  if (Array.isArray(input)) return pos(input) as T;
  const obj = input as Exclude<CoordinateInput, Position>;
  if (obj === null || typeof obj !== 'object') throw new Error(`input must be a GeoJSON object or a position, found ${foundValue(obj)}`);
  if (obj.type === 'FeatureCollection') {
    return { ...strip(obj), features: obj.features.map((f) => ({ ...strip(f), geometry: geometry(f.geometry) })) } as T;
  }
  if (obj.type === 'Feature') return { ...strip(obj), geometry: geometry(obj.geometry) } as T;
  return geometry(obj) as T;
}

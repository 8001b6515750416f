import type { FeatureCollection, Geometry, Position } from 'geojson';
import gjv from 'geojson-validation';
import { checkCoordinates } from '../../../analysis/crs/coordinate-warnings.ts';
import { getCrs } from '../../../analysis/crs/crs-registry.ts';
import { toWgs84 } from '../../../analysis/crs/transform-coordinates.ts';
import { foundValue } from '../../../analysis/errors/found-value.ts';
import { AppError } from '../../app/app-error.ts';
import { jsonDepth, MAX_PROPERTY_DEPTH } from '../../app/body-fields.ts';
import type { BBox } from '../regions/region-bbox.ts';

// how far outside the region's box an import may reach (about 50 km) before its CRS is doubted
const BBOX_MARGIN_DEG = 0.5;
// warnings that mean the coordinates are not WGS84 lon/lat of this region
const FATAL = new Set(['not-finite', 'projected', 'not-projected', 'swapped', 'zone-mismatch', 'outside-expected']);

/**
 * Parses GeoJSON text and checks it with geojson-validation; the error names the feature and the rule it
 * breaks ("feature 3: a polygon ring must be closed"), or says where the JSON ends (a truncated upload).
 *
 * @example const fc = parseCheckedGeoJson(text, 'units.geojson');
 */
export function parseCheckedGeoJson(text: string, fileName: string): FeatureCollection<Geometry | null> {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const truncated = /end of (JSON )?input|Unterminated/i.test((e as Error).message);
    throw new AppError('invalid_geojson', `${fileName}: not valid JSON${truncated ? ' (the file ends too early: truncated?)' : ''}: ${(e as Error).message}`, { expected: 'GeoJSON', found: truncated ? 'truncated JSON' : 'invalid JSON' });
  }
  return checkGeoJsonObject(json, fileName);
}

/** Checks a parsed object (or a Shapefile read as GeoJSON) the same way as `parseCheckedGeoJson`. */
export function checkGeoJsonObject(json: unknown, fileName: string): FeatureCollection<Geometry | null> {
  // validators and writers recurse: a document nested past this is refused before any of them sees it
  if (jsonDepth(json, 64) > 64) throw new AppError('invalid_geojson', `${fileName}: nests deeper than 64 levels of arrays and objects`, { expected: 'GeoJSON (a MultiPolygon nests 6 levels)', found: 'deeper nesting' });
  const features = json !== null && typeof json === 'object' ? (json as { features?: unknown }).features : undefined;
  if (Array.isArray(features)) {
    features.forEach((f, i) => {
      const props = f !== null && typeof f === 'object' ? (f as { properties?: unknown }).properties : undefined;
      if (jsonDepth(props, MAX_PROPERTY_DEPTH) > MAX_PROPERTY_DEPTH) {
        throw new AppError('invalid_geojson', `${fileName} feature ${i}: properties nest deeper than ${MAX_PROPERTY_DEPTH} levels`, { feature: i, expected: `properties at most ${MAX_PROPERTY_DEPTH} levels deep`, found: 'deeper' });
      }
    });
  }
  const type = json !== null && typeof json === 'object' ? (json as { type?: unknown }).type : undefined;
  if (type === 'Feature') json = { type: 'FeatureCollection', features: [json] };
  else if (type !== 'FeatureCollection') {
    throw new AppError('invalid_geojson', `${fileName}: expected a GeoJSON FeatureCollection, found ${type === undefined ? foundValue(json) : `type ${foundValue(type)}`}`, { expected: 'FeatureCollection', found: String(type ?? typeof json) });
  }
  const problems = gjv.valid(json, true);
  if (problems.length > 0) {
    const m = /^at (\d+): (.*)$/.exec(problems[0]);
    const where = m ? `feature ${m[1]}: ${m[2].replace(/^at \d+: /, '')}` : problems[0];
    throw new AppError('invalid_geojson', `${fileName} ${where}${problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : ''}`, { ...(m ? { feature: Number(m[1]) } : {}), expected: 'valid GeoJSON (RFC 7946)', found: problems[0] });
  }
  return json as FeatureCollection<Geometry | null>;
}

/** The CRS an upload is in: the client's `crs` field, else the GeoJSON's legacy `crs` member, else WGS 84. */
export function declaredCrs(fileName: string, field: string | undefined, member?: unknown): string {
  const named = field ?? ((member as { properties?: { name?: unknown } } | undefined)?.properties?.name);
  if (named === undefined) return 'EPSG:4326';
  try {
    return getCrs(String(named)).name;
  } catch (e) {
    throw new AppError('invalid_crs', `${fileName}: ${(e as Error).message}`, { field: field !== undefined ? 'crs' : 'crs member', found: String(named) });
  }
}

/** The first position of a geometry: enough to place a feature when checking its CRS. */
export function firstPosition(g: Geometry | null): Position | undefined {
  if (!g) return undefined;
  if (g.type === 'GeometryCollection') return g.geometries.map(firstPosition).find((p) => p !== undefined);
  let c: unknown = g.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' ? (c as Position) : undefined;
}

/**
 * A 400 naming the field when a point typed into a form or an edit lies outside the region's box plus the
 * import margin; nothing is checked for a region with no layers yet.
 *
 * @example checkPointInRegion(region.bbox, -70, -30, 'facility') // throws: field 'lon'/'lat' outside the region
 */
export function checkPointInRegion(bbox: BBox | null, lon: number, lat: number, what: string): void {
  if (!bbox) return;
  const m = BBOX_MARGIN_DEG;
  if (lon >= bbox[0] - m && lon <= bbox[2] + m && lat >= bbox[1] - m && lat <= bbox[3] + m) return;
  const box = `lon ${(bbox[0] - m).toFixed(3)}–${(bbox[2] + m).toFixed(3)}, lat ${(bbox[1] - m).toFixed(3)}–${(bbox[3] + m).toFixed(3)}`;
  throw new AppError('validation_failed', `${what}: fields 'lon', 'lat' must lie within the region and ${m}° around it (${box}), found (${lon}, ${lat})`, { field: 'lon', expected: box, found: `(${lon}, ${lat})` });
}

/**
 * Checks that points in `declared` land where the region is (Gauss-Krüger metres given as degrees, swapped
 * lon/lat, another county); `where(i)` names point i ("feature 3", "line 12") in the message.
 *
 * @example checkPlausibleCrs({ lon, lat }, 'EPSG:4326', region.bbox, 'schools.csv', (i) => `line ${i + 2}`);
 */
export function checkPlausibleCrs(points: { lon: ArrayLike<number>; lat: ArrayLike<number> }, declared: string, bbox: BBox | null, fileName: string, where: (i: number) => string, options: { extendsBeyond?: boolean } = {}): void {
  const expectedBbox = bbox ? ([bbox[0] - BBOX_MARGIN_DEG, bbox[1] - BBOX_MARGIN_DEG, bbox[2] + BBOX_MARGIN_DEG, bbox[3] + BBOX_MARGIN_DEG] as const) : undefined;
  const n = points.lon.length;
  const outside = (w: { code: string; count: number }) => w.code === 'outside-expected' || (expectedBbox !== undefined && w.code === 'outside-china');
  // with a region box, a point outside China is as wrong as one in the next county (a Sichuan region, (-70, -30));
  // a road extract may reach past the region (`extendsBeyond`), but not lie wholly elsewhere
  const warning = checkCoordinates(points, { declared, expectedBbox }).find((w) => (FATAL.has(w.code) && w.code !== 'outside-expected') || (outside(w) && (!options.extendsBeyond || w.count === n)));
  if (!warning) return;
  const region = expectedBbox && (warning.code === 'outside-expected' || warning.code === 'outside-china') ? ` (the region spans lon ${bbox![0].toFixed(3)}–${bbox![2].toFixed(3)}, lat ${bbox![1].toFixed(3)}–${bbox![3].toFixed(3)})` : '';
  throw new AppError('invalid_crs', `${fileName} ${where(warning.first)}: coordinates read as ${declared}: ${warning.en}${region}`, {
    ...(where(warning.first).startsWith('feature') ? { feature: warning.first } : {}), field: 'coordinates', expected: `${declared} within the region`, found: warning.code, ...(warning.suggestion ? { suggestion: warning.suggestion } : {}),
  });
}

/** A FeatureCollection in `declared` converted to WGS 84 (no-op for EPSG:4326 and EPSG:4490). */
export function featuresToWgs84<T extends FeatureCollection<Geometry | null>>(fc: T, declared: string, fileName: string): T {
  if (declared === 'EPSG:4326' || declared === 'EPSG:4490') return fc;
  try {
    return toWgs84(fc, declared, { axisOrder: 'lonlat' });
  } catch (e) {
    throw new AppError('invalid_crs', `${fileName}: ${(e as Error).message}`, { field: 'crs', found: declared });
  }
}

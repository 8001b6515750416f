import type { FeatureCollection, Geometry, Position } from 'geojson';
import { getCrs } from '../../analysis/crs/crs-registry.ts';
import { fromWgs84 } from '../../analysis/crs/transform-coordinates.ts';
import { foundValue } from '../../analysis/errors/found-value.ts';

/** The GeoJSON 2008 `crs` member (named CRS), which GDAL, QGIS and ArcGIS still read. */
export interface NamedCrsMember {
  type: 'name';
  properties: { name: string };
}

export type ExportedFeatureCollection = FeatureCollection<Geometry | null> & { crs?: NamedCrsMember };

export interface ExportGeoJsonOptions {
  /** decimals kept per coordinate; default 8 for degrees (≈ 1 mm) and 3 for metres (1 mm) */
  decimals?: number;
}

/**
 * `fc` (WGS84 lon/lat) in the target CRS, x (lon or easting) first. RFC 7946 GeoJSON is WGS84-only, so a
 * collection in CGCS2000 or a Gauss-Krüger zone is for GIS interchange: it carries the 2008-spec `crs` member
 * (`urn:ogc:def:crs:EPSG::4544`) that GDAL and QGIS read, always in x, y order as GDAL's GeoJSON driver assumes.
 *
 * @example exportGeoJson(gaps, 'EPSG:4544').crs // { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4544' } }
 */
export function exportGeoJson(
  fc: FeatureCollection<Geometry | null>,
  crs = 'EPSG:4326',
  options: ExportGeoJsonOptions = {},
): ExportedFeatureCollection {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error(`GeoJSON export input must be a FeatureCollection, found ${foundValue((fc as { type?: unknown })?.type ?? fc)}`);
  }
  const target = getCrs(crs);
  if (target.kind === 'offset') {
    throw new Error(`GeoJSON export CRS must be EPSG:4326, EPSG:4490 or a Gauss-Krüger zone, found '${target.name}' (no GIS reads it as a CRS)`);
  }
  const decimals = options.decimals ?? (target.kind === 'projected' ? 3 : 8);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
    throw new Error(`decimals must be an integer from 0 to 15, found ${foundValue(decimals)}`);
  }
  const scale = 10 ** decimals;
  const round = (v: number): number => Math.round(v * scale) / scale;
  const out = fromWgs84(fc, target.name);
  const rounded: ExportedFeatureCollection = {
    type: 'FeatureCollection',
    ...(target.epsg === 4326 ? {} : { crs: { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${target.epsg}` } } }),
    features: out.features.map((f) => ({ ...f, geometry: roundGeometry(f.geometry, round) })),
  };
  return rounded;
}

function roundGeometry(g: Geometry | null, round: (v: number) => number): Geometry | null {
  if (g === null) return null;
  if (g.type === 'GeometryCollection') return { ...g, geometries: g.geometries.map((x) => roundGeometry(x, round)!) };
  const walk = (c: unknown): unknown =>
    typeof (c as Position)[0] === 'number' ? (c as Position).map((v, i) => (i < 2 ? round(v) : v)) : (c as unknown[]).map(walk);
  return { ...g, coordinates: walk(g.coordinates) } as Geometry;
}

import type { FeatureCollection, Geometry } from 'geojson';
import { foundValue } from '../../../analysis/errors/found-value.ts';
import type { FacilitySet } from '../../../analysis/facilities/facility-set.ts';
import type { AdminUnits } from '../../../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../../../analysis/grid/population-grid.ts';
import type { RoadSource } from '../../../analysis/network/road-network.ts';
import { readFacilities } from '../../io/read-facilities.ts';
import { readPopulation } from '../../io/read-population.ts';
import { readRoads, roadsFromGeoJson } from '../../io/read-roads.ts';
import { readUnits } from '../../io/read-units.ts';
import { AppError } from '../../app/app-error.ts';
import { toJson } from '../../db/column-types.ts';
import { FACILITY_STATUSES, type FacilityStatus, type NewFacility } from '../facilities/facility.table.ts';
import { checkPlausibleCrs } from './geojson-checks.ts';
import { checkPbfFraming } from './pbf-framing.ts';
import { jsonBytes, withUploadFile } from './upload-file.ts';
import { uploadCsv, uploadFeatures, type Upload } from './upload-sources.ts';

const POPULATION_FIELDS = ['population', 'pop', 'POP', 'total'];
const UNIT_NAME_FIELDS = ['name', 'NAME', '名称'];
// columns that become facility fields, not free properties
const FACILITY_KEYS = new Set(['id', 'name', 'category', 'capacity', 'status', 'capacity_unit']);

export interface FacilityDefaults {
  category?: string;
  status: FacilityStatus;
  capacityUnit?: string;
}

/** Facility rows of an upload, without region and source, which the service adds. */
export type UploadedFacility = Omit<NewFacility, 'region_id' | 'source'>;

/**
 * Facilities from GeoJSON points, a Shapefile or CSV (UTF-8 or GBK), read by the CLI's own reader; every
 * row needs a category (its own, or the form's default) and a valid status.
 *
 * @example const rows = await facilitiesFromUpload(upload, { status: 'existing' });
 */
export async function facilitiesFromUpload(u: Upload, d: FacilityDefaults): Promise<UploadedFacility[]> {
  let set: FacilitySet;
  let where: (i: number) => { text: string; line?: number; feature?: number };
  let hasId: (i: number) => boolean;
  if (u.format === 'csv') {
    const { table, bytes } = await uploadCsv(u, d.category ? [] : [{ field: 'category', names: ['category'] }]);
    set = await withUploadFile(bytes, 'csv', u.fileName, readFacilities);
    const idCol = table.header.findIndex((h) => h.toLowerCase() === 'id');
    where = (i) => ({ text: `line ${table.lines[i]}`, line: table.lines[i] });
    hasId = (i) => idCol >= 0 && table.rows[i][idCol] !== '';
  } else {
    const fc = await uploadFeatures(u);
    set = await withUploadFile(jsonBytes(fc), 'geojson', u.fileName, readFacilities);
    where = (i) => ({ text: `feature ${i}`, feature: i });
    hasId = (i) => fc.features[i].properties?.id != null || fc.features[i].id != null;
  }
  const rows: UploadedFacility[] = [];
  for (let i = 0; i < set.count; i++) {
    const props = set.properties[i];
    const category = set.category[i] || d.category;
    if (!category) {
      const w = where(i);
      throw new AppError('missing_field', `${u.fileName} ${w.text}: field 'category' is required (or give a default category with the upload), found nothing`, { line: w.line, feature: w.feature, field: 'category', expected: 'a category such as elderly_station', found: 'nothing' });
    }
    const rawStatus = props.status ?? d.status;
    if (!(FACILITY_STATUSES as readonly unknown[]).includes(rawStatus)) {
      const w = where(i);
      throw new AppError('invalid_file', `${u.fileName} ${w.text}: field 'status' must be one of ${FACILITY_STATUSES.join(', ')}, found ${foundValue(rawStatus)}`, { line: w.line, feature: w.feature, field: 'status', expected: FACILITY_STATUSES.join(', '), found: foundValue(rawStatus) });
    }
    const rest = Object.fromEntries(Object.entries(props).filter(([k]) => !FACILITY_KEYS.has(k)));
    const unit = props.capacity_unit ?? d.capacityUnit;
    rows.push({
      external_id: hasId(i) ? set.id[i] : null, category, name: set.name[i], capacity: Number.isNaN(set.capacity[i]) ? null : set.capacity[i],
      capacity_unit: typeof unit === 'string' && unit !== '' ? unit : null, status: rawStatus as FacilityStatus,
      lon: set.lon[i], lat: set.lat[i], properties: toJson(rest),
    });
  }
  if (rows.length === 0) throw new AppError('invalid_file', `${u.fileName}: expected at least one facility, found none`, { expected: 'facilities', found: 'none' });
  return rows;
}

/** A population grid from CSV points, GeoJSON points or polygons, or a GeoTIFF raster. */
export async function populationFromUpload(u: Upload, options: { cellSize?: number }): Promise<PopulationGrid> {
  let grid: PopulationGrid;
  if (u.format === 'geotiff') {
    grid = await withUploadFile(u.bytes, 'tif', u.fileName, (path) => readPopulation(path, options));
    checkPlausibleCrs({ lon: grid.originLon, lat: grid.originLat }, 'EPSG:4326', u.bbox, u.fileName, (i) => `cell ${i}`);
  } else if (u.format === 'csv') {
    const { bytes } = await uploadCsv(u, [{ field: 'population', names: POPULATION_FIELDS }]);
    grid = await withUploadFile(bytes, 'csv', u.fileName, (path) => readPopulation(path, options));
  } else {
    const fc = await uploadFeatures(u);
    requireProperty(fc, u.fileName, 'population', POPULATION_FIELDS, 0);
    grid = await withUploadFile(jsonBytes(fc), 'geojson', u.fileName, (path) => readPopulation(path, options));
  }
  if (grid.count === 0) throw new AppError('invalid_file', `${u.fileName}: expected populated cells, found none (every value is 0 or nodata)`, { expected: 'population > 0', found: 'none' });
  return grid;
}

/** Roads from GeoJSON lines, a Shapefile of lines, or an OSM PBF extract. */
export async function roadsFromUpload(u: Upload): Promise<RoadSource> {
  if (u.format === 'osm-pbf') {
    checkPbfFraming(u.bytes, u.fileName);
    const roads = await withUploadFile(u.bytes, 'osm.pbf', u.fileName, readRoads);
    if (roads.ways.length === 0) throw new AppError('invalid_file', `${u.fileName}: expected ways with a highway tag, found none`, { field: 'highway', found: 'none' });
    checkPlausibleCrs(roads, 'EPSG:4326', u.bbox, u.fileName, (i) => `node ${i}`);
    return roads;
  }
  const fc = await uploadFeatures(u);
  fc.features.forEach((f, i) => requireProperty(fc, u.fileName, 'highway', ['highway'], i));
  try {
    return roadsFromGeoJson(fc, u.fileName);
  } catch (e) {
    throw AppError.fromInput(e, 'invalid_file');
  }
}

/** Township (admin-unit) polygons from GeoJSON or a Shapefile; each needs a name. */
export async function unitsFromUpload(u: Upload): Promise<AdminUnits> {
  const fc = await uploadFeatures(u);
  fc.features.forEach((_, i) => requireProperty(fc, u.fileName, 'name', UNIT_NAME_FIELDS, i));
  return withUploadFile(jsonBytes(fc), 'geojson', u.fileName, readUnits);
}

function requireProperty(fc: FeatureCollection<Geometry | null>, fileName: string, field: string, names: string[], i: number): void {
  const f = fc.features[i];
  if (!f) return;
  const props = f.properties ?? {};
  if (names.some((n) => props[n] !== undefined && props[n] !== null && props[n] !== '')) return;
  throw new AppError('missing_field', `${fileName} feature ${i}: property '${field}' is required${names.length > 1 ? ` (or ${names.slice(1).map((n) => `'${n}'`).join(', ')})` : ''}, found ${Object.keys(props).map((k) => `'${k}'`).join(', ') || 'no properties'}`, { feature: i, field, expected: names.join(' | '), found: Object.keys(props).join(', ') });
}

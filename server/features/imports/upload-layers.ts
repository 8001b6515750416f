import type { FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
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
import { makeValid, polygonProblem } from '../../io/polygon-validity.ts';
import { xlsxSheetAsCsv } from '../../io/read-xlsx-sheet.ts';
import { checkFacilityValues, type RowPlace } from '../../io/facility-values.ts';
import type { RowProblem } from '../../io/row-problem.ts';
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
  /** categories a row may carry (null: any); an unknown one is refused with `addStep` named as the way to add it */
  known: ReadonlySet<string> | null;
  addStep: string;
  /** the CLI analyses files without categories (filtered with --where); the service stores none without one */
  categoryOptional?: boolean;
}

/** Facility rows of an upload, without region and source, which the service adds. */
export type UploadedFacility = Omit<NewFacility, 'region_id' | 'source'>;

/**
 * Facilities from GeoJSON points, a Shapefile or CSV (UTF-8 or GBK), as rows to store and as the engine's set:
 * every row needs a known category (its own, or the form's default), a valid status and texts within
 * TEXT_LIMITS. The API and the CLI both read facility files here, so a file gets one verdict. With `problems`
 * (a preview), every bad row is listed there and left out instead of failing the file; `places[j]` says where
 * the j-th row came from.
 *
 * @example const { rows } = await readUploadedFacilities(upload, { status: 'existing', known, addStep: 'newCategories' });
 */
export async function readUploadedFacilities(upload: Upload, d: FacilityDefaults, problems?: RowProblem[]): Promise<{ rows: UploadedFacility[]; set: FacilitySet; places: RowPlace[] }> {
  const u = await sheetAsCsv(upload);
  let set: FacilitySet;
  let where: (i: number) => RowPlace;
  let hasId: (i: number) => boolean;
  // file row of each facility of the set (a preview leaves bad rows out)
  const kept: number[] = [];
  const collect = problems ? { problems, kept } : undefined;
  if (u.format === 'csv') {
    const { table, bytes } = await uploadCsv(u, d.category || d.categoryOptional ? [] : [{ field: 'category', names: ['category'] }]);
    set = await withUploadFile(bytes, 'csv', u.fileName, (path) => readFacilities(path, { collect }));
    const idCol = table.header.findIndex((h) => h.toLowerCase() === 'id');
    where = (i) => ({ text: `line ${table.lines[i]}`, line: table.lines[i] });
    hasId = (i) => idCol >= 0 && table.rows[i][idCol] !== '';
  } else {
    const fc = await uploadFeatures(u);
    set = await withUploadFile(jsonBytes(fc), 'geojson', u.fileName, (path) => readFacilities(path, { collect }));
    where = (i) => ({ text: `feature ${i}`, feature: i });
    hasId = (i) => fc.features[i].properties?.id != null || fc.features[i].id != null;
  }
  const row = (i: number) => (collect ? kept[i] : i);
  const rows: UploadedFacility[] = [];
  const places: RowPlace[] = [];
  const props: Record<string, unknown>[] = [];
  const report = (w: RowPlace, code: 'missing_field' | 'invalid_file', message: string, p: { field: string; expected: string; found: string }) => {
    if (!problems) throw new AppError(code, `${u.fileName} ${w.text}: ${message}`, { line: w.line, feature: w.feature, ...p });
    problems.push({ line: w.line, feature: w.feature, ...p, message });
  };
  for (let i = 0; i < set.count; i++) {
    const properties = set.properties[i];
    const w = where(row(i));
    const category = set.category[i] || d.category || '';
    if (!category && !d.categoryOptional) {
      report(w, 'missing_field', "field 'category' is required (or give a default category with the upload), found nothing", { field: 'category', expected: 'a category such as elderly_station', found: 'nothing' });
      continue;
    }
    const rawStatus = properties.status ?? d.status;
    if (!(FACILITY_STATUSES as readonly unknown[]).includes(rawStatus)) {
      report(w, 'invalid_file', `field 'status' must be one of ${FACILITY_STATUSES.join(', ')}, found ${foundValue(rawStatus)}`, { field: 'status', expected: FACILITY_STATUSES.join(', '), found: foundValue(rawStatus) });
      continue;
    }
    const rest = Object.fromEntries(Object.entries(properties).filter(([k]) => !FACILITY_KEYS.has(k)));
    const unit = properties.capacity_unit ?? d.capacityUnit;
    rows.push({
      external_id: hasId(row(i)) ? set.id[i] : null, category, name: set.name[i], capacity: Number.isNaN(set.capacity[i]) ? null : set.capacity[i],
      capacity_unit: typeof unit === 'string' && unit !== '' ? unit : null, status: rawStatus as FacilityStatus,
      lon: set.lon[i], lat: set.lat[i], properties: toJson(rest),
    });
    places.push(w);
    props.push(properties);
  }
  if (rows.length === 0 && !problems?.length) throw new AppError('invalid_file', `${u.fileName}: expected at least one facility, found none`, { expected: 'facilities', found: 'none' });
  checkFacilityValues(rows.map((r, j) => ({ category: r.category, name: r.name, capacityUnit: r.capacity_unit ?? null, externalId: r.external_id ?? null, properties: props[j] })), u.fileName, (j) => places[j], d.known, d.addStep, problems);
  return { rows, set, places };
}

/** Facility rows of an upload, checked as `readUploadedFacilities` checks them. */
export async function facilitiesFromUpload(u: Upload, d: FacilityDefaults): Promise<UploadedFacility[]> {
  return (await readUploadedFacilities(u, d)).rows;
}

/** A population grid from CSV points, GeoJSON points or polygons, or a GeoTIFF raster. */
export async function populationFromUpload(upload: Upload, options: { cellSize?: number }): Promise<PopulationGrid> {
  const u = await sheetAsCsv(upload);
  let grid: PopulationGrid;
  if (u.format === 'geotiff') {
    grid = await withUploadFile(u.bytes, 'tif', u.fileName, (path) => readPopulation(path, options));
    // a raster is often cut wider than the county: only one wholly elsewhere is refused
    checkPlausibleCrs({ lon: grid.originLon, lat: grid.originLat }, 'EPSG:4326', u.bbox, u.fileName, (i) => `cell ${i}`, { extendsBeyond: true });
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

/** An .xlsx upload as the CSV of its sheet (rows keep their numbers; the name says which sheet); others pass. */
export async function sheetAsCsv(u: Upload): Promise<Upload> {
  if (u.format !== 'xlsx') return u;
  const { text, sheet } = await xlsxSheetAsCsv(u.bytes, u.fileName, u.sheet);
  return { ...u, format: 'csv', bytes: Buffer.from(text, 'utf8'), fileName: `${u.fileName} [${sheet}]` };
}

/** Roads from GeoJSON lines, a Shapefile of lines, or an OSM PBF extract. */
export async function roadsFromUpload(u: Upload): Promise<RoadSource> {
  if (u.format === 'osm-pbf') {
    checkPbfFraming(u.bytes, u.fileName);
    const roads = await withUploadFile(u.bytes, 'osm.pbf', u.fileName, readRoads);
    if (roads.ways.length === 0) throw new AppError('invalid_file', `${u.fileName}: expected ways with a highway tag, found none`, { field: 'highway', found: 'none' });
    checkPlausibleCrs(roads, 'EPSG:4326', u.bbox, u.fileName, (i) => `node ${i}`, { extendsBeyond: true });
    return roads;
  }
  // an extract may reach past the region (OSM cuts by box), but not lie wholly elsewhere
  const fc = await uploadFeatures(u, { extendsBeyond: true });
  fc.features.forEach((f, i) => requireProperty(fc, u.fileName, 'highway', ['highway'], i));
  try {
    return roadsFromGeoJson(fc, u.fileName);
  } catch (e) {
    throw AppError.fromInput(e, 'invalid_file');
  }
}

/** Longest township or village name taken (the longest real ones are about 20 characters). */
const MAX_UNIT_NAME = 200;

/**
 * Township (admin-unit) polygons from GeoJSON or a Shapefile; each needs a name and a valid polygon (ST_IsValid
 * semantics). `makeValid` repairs self-crossing rings as ST_MakeValid would, only when asked.
 */
export async function unitsFromUpload(u: Upload, options: { makeValid?: boolean } = {}): Promise<AdminUnits> {
  const fc = await uploadFeatures(u);
  fc.features.forEach((f, i) => {
    requireProperty(fc, u.fileName, 'name', UNIT_NAME_FIELDS, i);
    const name = String(UNIT_NAME_FIELDS.map((k) => f.properties?.[k]).find((v) => v != null && v !== ''));
    if (name.length > MAX_UNIT_NAME) throw new AppError('invalid_file', `${u.fileName} feature ${i}: property 'name' must be at most ${MAX_UNIT_NAME} characters, found ${name.length}`, { feature: i, field: 'name', expected: `at most ${MAX_UNIT_NAME} characters`, found: `${name.length} characters` });
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return; // the reader names the wrong geometry
    let problem = polygonProblem(g);
    if (problem && options.makeValid) {
      f.geometry = makeValid(g);
      problem = polygonProblem(f.geometry as Polygon | MultiPolygon);
      if (problem) problem = `still invalid after make-valid: ${problem}`;
    }
    if (problem) {
      throw new AppError('invalid_geojson', `${u.fileName} feature ${i} (${name}): not a valid polygon: ${problem}${options.makeValid ? '' : "; fix it, or upload with repair=make-valid to split it as ST_MakeValid would"}`, { feature: i, field: 'geometry', expected: 'a valid polygon (ST_IsValid)', found: problem });
    }
  });
  return withUploadFile(jsonBytes(fc), 'geojson', u.fileName, readUnits);
}

function requireProperty(fc: FeatureCollection<Geometry | null>, fileName: string, field: string, names: string[], i: number): void {
  const f = fc.features[i];
  if (!f) return;
  const props = f.properties ?? {};
  if (names.some((n) => props[n] !== undefined && props[n] !== null && props[n] !== '')) return;
  throw new AppError('missing_field', `${fileName} feature ${i}: property '${field}' is required${names.length > 1 ? ` (or ${names.slice(1).map((n) => `'${n}'`).join(', ')})` : ''}, found ${Object.keys(props).map((k) => `'${k}'`).join(', ') || 'no properties'}`, { feature: i, field, expected: names.join(' | '), found: Object.keys(props).join(', ') });
}

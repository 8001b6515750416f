import type { BBox, Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { AdminUnits } from '../../../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../../../analysis/grid/population-grid.ts';
import { SPREAD_METHODS, type SpreadMethod } from '../../../analysis/grid/spread-unit-population.ts';
import type { RoadSource } from '../../../analysis/network/road-network.ts';
import { AppError } from '../../app/app-error.ts';
import { buildableFromUpload } from '../buildable/buildable-upload.ts';
import { storeBuildable, type BuildableParcel } from '../buildable/buildable.repository.ts';
import type { Db } from '../../db/database.ts';
import { categoryList, type RowPlace } from '../../io/facility-values.ts';
import { parseCsvTable } from '../../io/parse-csv-table.ts';
import { readTextFile } from '../../io/read-text-file.ts';
import type { RowProblem } from '../../io/row-problem.ts';
import { knownCategories } from '../analyses/preset-catalog.ts';
import { deleteRegionFacilities, insertFacilities, regionCategories } from '../facilities/facility.repository.ts';
import { FACILITY_STATUSES, type FacilityStatus } from '../facilities/facility.table.ts';
import type { RegionModelCache } from '../regions/region-model-cache.ts';
import { requireRegion, storeRegionLayers } from '../regions/region.service.ts';
import * as repo from './import.repository.ts';
import { IMPORT_KINDS, type ImportKind, type ImportRow } from './import.table.ts';
import { IMPORT_FIELDS, parseColumnMapping, recognisedColumns } from './column-mapping.ts';
import { readPopulationTable, spreadPopulationTable, type SpreadTable } from './population-table.ts';
import { gunzipUpload, withUploadFile } from './upload-file.ts';
import { detectFormat, safeFileName, type UploadFormat } from './upload-format.ts';
import { populationFromUpload, readUploadedFacilities, roadsFromUpload, sheetAsCsv, unitsFromUpload, type FacilityDefaults, type UploadedFacility } from './upload-layers.ts';
import { uploadFeatures, type Upload } from './upload-sources.ts';

/** The form fields of an import, as strings (multipart). */
export type ImportFields = Partial<Record<'kind' | 'format' | 'crs' | 'category' | 'status' | 'capacityUnit' | 'mode' | 'cellSize' | 'newCategories' | 'repair' | 'sheet' | 'columns' | 'spread', string>>;

export interface ImportView {
  id: number;
  regionId: number;
  kind: ImportKind;
  fileName: string;
  format: string;
  rowCount: number;
  details: Record<string, unknown>;
  createdAt: Date;
}

export function importView(r: ImportRow): ImportView {
  return { id: r.id, regionId: r.region_id, kind: r.kind, fileName: r.file_name, format: r.format, rowCount: r.row_count, details: r.details, createdAt: r.created_at };
}

function fieldError(field: string, expected: string, found: string | undefined): AppError {
  return new AppError('validation_failed', `field '${field}': expected ${expected}, found ${found === undefined ? 'nothing' : `'${found}'`}`, { field, expected, found: found ?? 'nothing' });
}

/** An upload with its options checked, ready to be read. */
interface PreparedImport {
  regionId: number;
  region: { name: string; outline: Polygon | MultiPolygon | null; bbox: BBox | null };
  kind: ImportKind;
  mode: 'append' | 'replace';
  upload: Upload;
  format: UploadFormat;
  details: Record<string, unknown>;
  facilityDefaults: Omit<FacilityDefaults, 'known'> & { added: string[] };
  cellSize?: number;
  repair?: string;
  spread: SpreadMethod;
}

// the form fields checked and the file unpacked and recognised, before any of its rows is read
async function prepareImport(db: Db, regionId: number, file: { buffer: Uint8Array; originalname?: string } | undefined, fields: ImportFields): Promise<PreparedImport> {
  const region = await requireRegion(db, regionId);
  const kind = fields.kind as ImportKind;
  if (!IMPORT_KINDS.includes(kind)) throw fieldError('kind', `one of ${IMPORT_KINDS.join(', ')}`, fields.kind);
  if (!file) throw new AppError('validation_failed', "expected multipart/form-data with the file in a field named 'file', found no file", { field: 'file', expected: 'a file', found: 'nothing' });
  const mode = fields.mode ?? 'append';
  if (mode !== 'append' && mode !== 'replace') throw fieldError('mode', 'append or replace', fields.mode);
  const status = (fields.status ?? 'existing') as FacilityStatus;
  if (!FACILITY_STATUSES.includes(status)) throw fieldError('status', FACILITY_STATUSES.join(', '), fields.status);
  const cellSize = fields.cellSize === undefined ? undefined : Number(fields.cellSize);
  if (cellSize !== undefined && !(cellSize >= 10 && cellSize <= 5000)) throw fieldError('cellSize', 'a number of metres in [10, 5000]', fields.cellSize);
  const added = categoryList(fields.newCategories, 'newCategories');
  const repair = fields.repair;
  if (repair !== undefined && repair !== 'make-valid') throw fieldError('repair', "'make-valid' (polygons repaired as ST_MakeValid would) or nothing", repair);
  const spread = (fields.spread ?? 'grid-weights') as SpreadMethod;
  if (!SPREAD_METHODS.includes(spread)) throw fieldError('spread', SPREAD_METHODS.join(' or '), fields.spread);
  const columns = parseColumnMapping(fields.columns, kind);
  if (file.buffer.length === 0) throw new AppError('invalid_file', `${safeFileName(file.originalname)}: the file is empty`, { expected: 'data', found: 'an empty file' });

  const unzipped = gunzipUpload(file.buffer, safeFileName(file.originalname));
  const format = detectFormat(unzipped.bytes, unzipped.fileName, kind, fields.format);
  const upload: Upload = { bytes: unzipped.bytes, fileName: unzipped.fileName, format, crs: fields.crs, sheet: fields.sheet, bbox: region.bbox, ...(columns ? { columns } : {}) };
  const details: Record<string, unknown> = { mode, ...(fields.crs ? { crs: fields.crs } : {}), ...(added.length ? { newCategories: added } : {}), ...(repair ? { repair } : {}), ...(columns ? { columns } : {}) };
  return {
    regionId, region: { name: region.name, outline: region.outline, bbox: region.bbox }, kind, mode, upload, format, details, cellSize, repair, spread,
    facilityDefaults: { category: fields.category, status, capacityUnit: fields.capacityUnit, addStep: "the upload's newCategories field (a comma list)", added },
  };
}

type ParsedLayers = { facilities?: UploadedFacility[]; places?: RowPlace[]; grid?: PopulationGrid; gridMetadata?: Record<string, unknown>; roads?: RoadSource; units?: AdminUnits; buildable?: BuildableParcel[]; spread?: Omit<SpreadTable, 'grid' | 'gridMetadata'> };

// the one reading of a file both the import and its preview do; with `problems`, bad facility rows are listed, not thrown
async function parseImport(db: Db, p: PreparedImport, problems?: RowProblem[]): Promise<ParsedLayers> {
  const d = p.facilityDefaults;
  if (p.kind === 'facilities') {
    const known = new Set([...knownCategories(), ...(await regionCategories(db, p.regionId)), ...d.added]);
    const { rows, places } = await readUploadedFacilities(p.upload, { ...d, known }, problems);
    return { facilities: rows, places };
  }
  if (p.kind === 'population') return { grid: await populationFromUpload(p.upload, { cellSize: p.cellSize }) };
  if (p.kind === 'population-table') {
    const table = await readPopulationTable(p.upload, problems);
    const spread = await spreadPopulationTable(db, p.regionId, table.rows, p.spread, table.fileName, table.codeColumn, problems);
    if (!spread) return {};
    const { grid, gridMetadata, ...report } = spread;
    return { grid, gridMetadata: { ...gridMetadata, spread: { table: table.fileName, level: report.level, method: report.method } }, spread: report };
  }
  if (p.kind === 'roads') return { roads: await roadsFromUpload(p.upload) };
  if (p.kind === 'buildable') return { buildable: await buildableFromUpload(p.upload, p.region, problems) };
  return { units: await unitsFromUpload(p.upload, { makeValid: p.repair === 'make-valid' }) };
}

/**
 * Imports one uploaded file into a region, all or nothing: the file is read and checked completely before
 * anything is written, and every row (facilities, or the new grid, roads or units, and the import record)
 * is written in one transaction.
 *
 * @example await importUpload(db, cache, 1, { buffer, originalname: 'schools.csv' }, { kind: 'facilities' });
 */
export async function importUpload(db: Db, cache: RegionModelCache, regionId: number, file: { buffer: Uint8Array; originalname?: string } | undefined, fields: ImportFields): Promise<{ import: ImportView; written: Record<string, number> }> {
  const p = await prepareImport(db, regionId, file, fields);
  const { upload, kind, format, details, mode } = p;
  // read and check everything first: a bad file never opens a transaction
  const { places: _places, spread, ...parsed } = await parseImport(db, p);
  // the level, method and each unit's cells, kept with the import record
  if (spread) details.spread = spread;

  const result = await db.transaction().execute(async (trx) => {
    const record = await repo.insertImport(trx, { regionId, kind, fileName: upload.fileName, format, rowCount: 0, details });
    const written: Record<string, number> = {};
    if (parsed.facilities) {
      if (mode === 'replace') written.deleted = await deleteRegionFacilities(trx, regionId, [...new Set(parsed.facilities.map((f) => f.category))]);
      const rows = await insertFacilities(trx, parsed.facilities.map((f) => ({ ...f, region_id: regionId, source: `import:${record.id} ${upload.fileName}` })));
      written.facilities = rows.length;
    } else if (parsed.buildable) {
      const stored = await storeBuildable(trx, regionId, parsed.buildable, mode);
      written.parcels = stored.parcels;
      if (mode === 'replace') written.deleted = stored.deleted;
    } else {
      Object.assign(written, await storeRegionLayers(trx, regionId, { ...parsed, name: upload.fileName }));
    }
    const rowCount = written.facilities ?? written.cells ?? written.ways ?? written.units ?? written.parcels ?? 0;
    return { record: await repo.setImportRowCount(trx, record.id, rowCount, { ...details, written }), written };
  });
  cache.forget(regionId);
  return { import: importView(result.record), written: result.written };
}

/** Most features a preview draws, and most problems it lists; both say how many there are in all. */
export const PREVIEW_LIMITS = { features: 2000, problems: 200 } as const;

/** What a dry run of an import found: the features it would write, the columns it read, every bad row. */
export interface ImportPreview {
  kind: ImportKind;
  fileName: string;
  format: UploadFormat;
  /** the file's headers (CSV, sheet) or property names (GeoJSON, Shapefile), as the mapping names them */
  headers: string[];
  /** the fields the kind reads, which are required, and the header each reads now (null: none found) */
  fields: Array<{ field: string; required: boolean; column: string | null }>;
  columns: Record<string, string | null>;
  /** features (facilities, cells, units, ways) the import would write */
  total: number;
  features: FeatureCollection<Geometry, Record<string, unknown>>;
  /** every bad row (the first PREVIEW_LIMITS.problems), in file order; the file-wide problem when there is one */
  errors: RowProblem[];
  errorCount: number;
  /** true when the import would succeed as it stands */
  ok: boolean;
  /** a population table: the level its codes name, the method, and what each unit's cells would get */
  spread?: ParsedLayers['spread'];
}

// problems of the file, not of the request: a preview lists them beside the headers
const FILE_PROBLEMS = new Set(['invalid_file', 'missing_field', 'invalid_geojson', 'invalid_crs']);

function fileProblem(e: AppError): RowProblem {
  const d = e.details ?? {};
  return {
    ...(d.line !== undefined ? { line: d.line } : {}), ...(d.feature !== undefined ? { feature: d.feature } : {}),
    field: d.field ?? 'file', expected: d.expected ?? '', found: d.found ?? '', message: e.message,
  };
}

/** The header row of a table upload, or the property names of a GeoJSON or Shapefile one (first 1000 features). */
async function uploadHeaders(u: Upload): Promise<string[]> {
  const plain = { ...u, columns: undefined };
  if (u.format === 'csv' || u.format === 'xlsx') {
    const sheet = await sheetAsCsv(plain);
    const text = await withUploadFile(sheet.bytes, 'csv', sheet.fileName, (path) => readTextFile(path, { allowGbk: true }));
    try {
      return parseCsvTable(text, sheet.fileName).header;
    } catch (e) {
      throw AppError.fromInput(e, 'invalid_file');
    }
  }
  if (u.format === 'geojson' || u.format === 'shapefile-zip') {
    const names = new Set<string>();
    for (const f of (await uploadFeatures(plain, { extendsBeyond: true })).features.slice(0, 1000)) for (const k of Object.keys(f.properties ?? {})) names.add(k);
    return [...names];
  }
  return [];
}

function previewFeatures(parsed: ParsedLayers, problems: RowProblem[]): { total: number; features: Array<Feature<Geometry, Record<string, unknown>>> } {
  const cap = PREVIEW_LIMITS.features;
  if (parsed.facilities) {
    // a row can pass reading and still fail a later check (a category nobody knows): drawn, marked bad
    const bad = new Set(problems.map((p) => `${p.line ?? ''}:${p.feature ?? ''}`));
    const features = parsed.facilities.slice(0, cap).map((f, i) => {
      const w = parsed.places![i];
      return { type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [f.lon, f.lat] },
        properties: { name: f.name, category: f.category, status: f.status, capacity: f.capacity, ...(w.line !== undefined ? { line: w.line } : { feature: w.feature }), problem: bad.has(`${w.line ?? ''}:${w.feature ?? ''}`) } };
    });
    return { total: parsed.facilities.length, features };
  }
  if (parsed.grid) {
    const g = parsed.grid, n = Math.min(g.count, cap);
    const features = Array.from({ length: n }, (_, i) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [g.originLon[i], g.originLat[i]] }, properties: { population: g.population[i] } }));
    return { total: g.count, features };
  }
  if (parsed.buildable) return { total: parsed.buildable.length, features: parsed.buildable.slice(0, cap).map((b) => ({ type: 'Feature' as const, geometry: b.geometry, properties: { name: b.name } })) };
  if (parsed.units) return { total: parsed.units.features.length, features: parsed.units.features.slice(0, cap).map((f) => ({ ...f, properties: { ...(f.properties ?? {}) } })) };
  // a census table whose every row is bad spreads nothing
  if (!parsed.roads) return { total: 0, features: [] };
  const r = parsed.roads;
  const features = r.ways.slice(0, cap).map((w) => ({ type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates: Array.from(w.nodes, (k) => [r.lon[k], r.lat[k]]) }, properties: { highway: w.tags.highway ?? null } }));
  return { total: r.ways.length, features };
}

/**
 * A dry run of an import: the same checks of the form and the same reading of the file, but nothing is
 * written. Every bad facility row is listed (line or feature, field, the file's column, expected versus found);
 * a problem of the whole file (a missing column, an unknown CRS) is the one error, beside the file's headers
 * so a client can map the columns (`columns` field) and ask again. Bad form fields stay 4xx errors.
 *
 * @example const p = await previewUpload(db, 1, { buffer, originalname: 'a.csv' }, { kind: 'facilities', columns: '{"lon":"X"}' });
 */
export async function previewUpload(db: Db, regionId: number, file: { buffer: Uint8Array; originalname?: string } | undefined, fields: ImportFields): Promise<ImportPreview> {
  const p = await prepareImport(db, regionId, file, fields);
  const table = p.format === 'csv' || p.format === 'xlsx';
  const problems: RowProblem[] = [];
  let headers: string[] = [];
  let drawn: ReturnType<typeof previewFeatures> = { total: 0, features: [] };
  let spread: ParsedLayers['spread'];
  const listed = (e: unknown) => {
    if (!(e instanceof AppError) || !FILE_PROBLEMS.has(e.code)) throw e;
    problems.push(fileProblem(e));
  };
  try {
    headers = await uploadHeaders(p.upload);
    const parsed = await parseImport(db, p, problems);
    spread = parsed.spread;
    drawn = previewFeatures(parsed, problems);
  } catch (e) {
    listed(e);
  }
  const columns = recognisedColumns(headers, p.upload.columns, p.kind, table);
  for (const e of problems) {
    // the file's own header for the field, so the planner finds the column she knows
    const column = columns[e.field];
    if (column) e.column = column;
    // the reader named the column by the field it was mapped to: say the file's name for it too
    if (column && column !== e.field) e.message = e.message.replace(`column '${e.field}'`, `column '${column}' (${e.field})`);
  }
  problems.sort((a, b) => (a.line ?? a.feature ?? -1) - (b.line ?? b.feature ?? -1));
  const fieldList = IMPORT_FIELDS[p.kind].filter((f) => table || !f.tableOnly)
    .map((f) => ({ field: f.field, required: f.required && !(f.field === 'category' && p.facilityDefaults.category), column: columns[f.field] ?? null }));
  return {
    kind: p.kind, fileName: p.upload.fileName, format: p.format, headers, fields: fieldList, columns,
    total: drawn.total, features: { type: 'FeatureCollection', features: drawn.features },
    errors: problems.slice(0, PREVIEW_LIMITS.problems), errorCount: problems.length, ok: problems.length === 0 && drawn.total > 0,
    ...(spread ? { spread } : {}),
  };
}

export async function listImportViews(db: Db, regionId: number): Promise<ImportView[]> {
  await requireRegion(db, regionId);
  return (await repo.listImports(db, regionId)).map(importView);
}

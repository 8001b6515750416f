import type { FeatureCollection, Geometry } from 'geojson';
import { AppError } from '../../app/app-error.ts';
import { PARCEL_NAME_FIELDS } from '../buildable/parcel-name-fields.ts';
import type { ImportKind } from './import.table.ts';

/** Which import field takes which of the file's columns: `{ "lon": "X坐标", "name": "机构名称" }`. */
export type ColumnMapping = Record<string, string>;

/** One field an import reads from a column, the header names it recognises, and whether a file must have it. */
export interface ImportField {
  field: string;
  /** header names taken without a mapping, case-insensitively, first wins */
  names: string[];
  required: boolean;
  /** lon/lat are columns of a table only; GeoJSON and Shapefiles carry them in the geometry */
  tableOnly?: boolean;
}

const LON: ImportField = { field: 'lon', names: ['lon', 'lng', 'longitude'], required: true, tableOnly: true };
const LAT: ImportField = { field: 'lat', names: ['lat', 'latitude'], required: true, tableOnly: true };

/** The fields each kind reads, in the order a form shows them. */
export const IMPORT_FIELDS: Record<ImportKind, ImportField[]> = {
  facilities: [
    LON, LAT, { field: 'name', names: ['name'], required: false }, { field: 'category', names: ['category'], required: true },
    { field: 'capacity', names: ['capacity'], required: false }, { field: 'id', names: ['id'], required: false },
    { field: 'status', names: ['status'], required: false }, { field: 'capacity_unit', names: ['capacity_unit'], required: false },
  ],
  population: [LON, LAT, { field: 'population', names: ['population', 'pop', 'total'], required: true }, { field: 'population_60plus', names: ['population_60plus'], required: false }, { field: 'urban', names: ['urban'], required: false }],
  roads: [{ field: 'highway', names: ['highway'], required: true }, { field: 'name', names: ['name'], required: false }, { field: 'oneway', names: ['oneway'], required: false }],
  units: [{ field: 'name', names: ['name', '名称'], required: true }, { field: 'code', names: ['code'], required: false }, { field: 'type', names: ['type'], required: false }],
  buildable: [{ field: 'name', names: PARCEL_NAME_FIELDS, required: false }],
  // 七普 tables by township or village, with the headings the bureau's sheets use
  'population-table': [
    { field: 'code', names: ['code', '统计用区划代码', '区划代码', '代码', '编码'], required: true },
    { field: 'name', names: ['name', '名称', '村名', '乡镇', '单位名称'], required: false },
    { field: 'population', names: ['population', 'residents', '常住人口', '常住人口数', '人口', '总人口'], required: true },
    { field: 'aged60', names: ['aged60', 'population_60plus', '60岁以上', '60岁及以上', '60岁以上人口', '60岁及以上人口'], required: true },
  ],
};

/**
 * The `columns` form field as a mapping, checked against the fields of the kind: a 400 naming the field
 * when it is not a JSON object of strings or names a field the kind does not read.
 *
 * @example parseColumnMapping('{"lon":"X坐标","lat":"Y坐标"}', 'facilities') // { lon: 'X坐标', lat: 'Y坐标' }
 */
export function parseColumnMapping(raw: string | undefined, kind: ImportKind): ColumnMapping | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new AppError('validation_failed', `field 'columns': expected a JSON object such as {"lon":"X坐标","lat":"Y坐标"}, found invalid JSON (${(e as Error).message})`, { field: 'columns', expected: 'a JSON object', found: 'invalid JSON' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('validation_failed', `field 'columns': expected a JSON object of field → column name, found ${Array.isArray(value) ? 'an array' : typeof value}`, { field: 'columns', expected: 'a JSON object', found: typeof value });
  }
  const known = IMPORT_FIELDS[kind].map((f) => f.field);
  const mapping: ColumnMapping = {};
  for (const [field, column] of Object.entries(value)) {
    if (!known.includes(field)) throw new AppError('validation_failed', `field 'columns': ${kind} have no field '${field}'; expected some of ${known.join(', ')}`, { field: 'columns', expected: known.join(', '), found: field });
    if (column === null || column === '') continue;
    if (typeof column !== 'string') throw new AppError('validation_failed', `field 'columns': '${field}' must name a column (a string), found ${typeof column}`, { field: 'columns', expected: 'a column name', found: typeof column });
    mapping[field] = column;
  }
  const used = Object.values(mapping);
  const twice = used.find((c, i) => used.indexOf(c) !== i);
  if (twice !== undefined) throw new AppError('validation_failed', `field 'columns': column '${twice}' is mapped to two fields; map each column once`, { field: 'columns', expected: 'each column once', found: twice });
  return Object.keys(mapping).length > 0 ? mapping : undefined;
}

function missingColumn(fileName: string, field: string, column: string, headers: string[], where: string): AppError {
  return new AppError('validation_failed', `${fileName} ${where}: field 'columns' maps '${field}' to column '${column}', which the file does not have; its columns are ${headers.map((h) => `'${h}'`).join(', ') || 'none'}`, { field: 'columns', column, expected: headers.join(', '), found: column });
}

/**
 * The header a table has once `mapping` is applied: each mapped column takes its field's name, and a column
 * that already had that name steps aside as `<name>_original`. A mapped column the header lacks is a 400.
 *
 * @example mappedHeader(['机构名称', 'X坐标'], { name: '机构名称', lon: 'X坐标' }, 'a.csv') // ['name', 'lon']
 */
export function mappedHeader(header: string[], mapping: ColumnMapping, fileName: string): string[] {
  const out = [...header];
  const sources = new Set(Object.values(mapping).map((c) => c.toLowerCase()));
  for (const [field, column] of Object.entries(mapping)) {
    const k = header.findIndex((h) => h.toLowerCase() === column.toLowerCase());
    if (k < 0) throw missingColumn(fileName, field, column, header, 'line 1');
    out[k] = field;
  }
  header.forEach((h, k) => {
    const lower = h.toLowerCase();
    if (sources.has(lower)) return;
    if (Object.keys(mapping).some((f) => f.toLowerCase() === lower)) out[k] = `${h}_original`;
  });
  return out;
}

/** GeoJSON properties renamed by `mapping` as `mappedHeader` renames columns (lon/lat are the geometry's). */
export function mapFeatureProperties<T extends FeatureCollection<Geometry | null>>(fc: T, mapping: ColumnMapping, fileName: string): T {
  const present = new Set<string>();
  for (const f of fc.features) for (const k of Object.keys(f.properties ?? {})) present.add(k);
  for (const [field, column] of Object.entries(mapping)) {
    if (field === 'lon' || field === 'lat') throw new AppError('validation_failed', `${fileName}: field 'columns' maps '${field}', but a GeoJSON or Shapefile takes its coordinates from the geometry; map only properties`, { field: 'columns', expected: 'properties', found: field });
    if (!present.has(column)) throw missingColumn(fileName, field, column, [...present], 'properties');
  }
  for (const f of fc.features) {
    const props = f.properties ?? {};
    const next: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props)) {
      const field = Object.keys(mapping).find((m) => mapping[m] === k);
      if (field !== undefined) next[field] = v;
      else if (k in mapping) next[`${k}_original`] = v;
      else next[k] = v;
    }
    f.properties = next;
  }
  return fc;
}

/**
 * Which of the file's headers each field of `kind` reads, after the mapping: `{ lon: 'X坐标', category: null }`.
 *
 * @example recognisedColumns(['lon', 'lat', '类型'], { category: '类型' }, 'facilities', true)
 */
export function recognisedColumns(headers: string[], mapping: ColumnMapping | undefined, kind: ImportKind, table: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const f of IMPORT_FIELDS[kind]) {
    if (f.tableOnly && !table) continue;
    const given = mapping?.[f.field];
    if (given !== undefined) { out[f.field] = headers.find((h) => h.toLowerCase() === given.toLowerCase()) ?? given; continue; }
    // a header another field took is not this field's any more
    const taken = new Set(Object.values(mapping ?? {}).map((c) => c.toLowerCase()));
    const hit = f.names.map((n) => headers.find((h) => h.toLowerCase() === n.toLowerCase() && !taken.has(h.toLowerCase()))).find((h) => h !== undefined);
    out[f.field] = hit ?? null;
  }
  return out;
}

import type { FeatureCollection, Geometry } from 'geojson';
import { unzipSync, zipSync } from 'fflate';
import { maxUnpackedBytes, unpackedTooLarge } from './upload-file.ts';
import { csvDelimiter, parseCsvTable, type CsvTable } from '../../io/parse-csv-table.ts';
import { readTextFile } from '../../io/read-text-file.ts';
import { AppError } from '../../app/app-error.ts';
import type { BBox } from '../regions/region-bbox.ts';
import { checkGeoJsonObject, checkPlausibleCrs, declaredCrs, featuresToWgs84, firstPosition, parseCheckedGeoJson } from './geojson-checks.ts';
import { withUploadFile } from './upload-file.ts';
import type { UploadFormat } from './upload-format.ts';
import { mapFeatureProperties, mappedHeader, type ColumnMapping } from './column-mapping.ts';

/** One uploaded file with what the client said about it. */
export interface Upload {
  bytes: Uint8Array;
  /** the client's file name, made safe; for messages only */
  fileName: string;
  format: UploadFormat;
  /** the `crs` form field, if given */
  crs?: string;
  /** the worksheet of an .xlsx upload (default the first with data) */
  sheet?: string;
  /** the region's box, to judge whether the coordinates are plausible */
  bbox: BBox | null;
  /** the `columns` form field: which column each field reads, when the headers are not recognised */
  columns?: ColumnMapping;
}

/**
 * A GeoJSON or zipped-Shapefile upload as checked WGS 84 GeoJSON: valid per geojson-validation, in a known
 * CRS (form field, `crs` member, or the Shapefile's .prj), landing where the region is.
 *
 * @example const fc = await uploadFeatures(upload);
 */
export async function uploadFeatures(u: Upload, options: { extendsBeyond?: boolean } = {}): Promise<FeatureCollection<Geometry | null>> {
  let fc: FeatureCollection<Geometry | null>;
  let member: unknown;
  if (u.format === 'shapefile-zip') {
    const clean = cleanZip(u.bytes, u.fileName, u.crs !== undefined);
    // loaded on the first Shapefile: most runs never read one
    const { parseZip } = await import('shpjs');
    let parsed: Awaited<ReturnType<typeof parseZip>>;
    try {
      parsed = await parseZip(clean);
    } catch (e) {
      throw new AppError('invalid_file', `${u.fileName}: not a readable zipped Shapefile (${(e as Error).message}); the zip must hold .shp, .dbf and .prj of one layer, complete`, { expected: 'zipped Shapefile', found: 'unreadable zip' });
    }
    if (Array.isArray(parsed)) {
      throw new AppError('invalid_file', `${u.fileName}: expected one Shapefile layer, found ${parsed.length} (${parsed.map((p) => p.fileName).join(', ')}); zip one layer per upload`, { expected: '1 layer', found: String(parsed.length) });
    }
    fc = checkGeoJsonObject(parsed, u.fileName);
  } else {
    const text = await withUploadFile(u.bytes, 'geojson', u.fileName, (path) => readTextFile(path));
    fc = parseCheckedGeoJson(text, u.fileName);
    member = (fc as { crs?: unknown }).crs;
  }
  if (u.columns) fc = mapFeatureProperties(fc, u.columns, u.fileName);
  const declared = declaredCrs(u.fileName, u.crs, member);
  fc.features.forEach((f, i) => {
    const bad = nonFinite(f.geometry);
    if (bad !== undefined) throw new AppError('invalid_geojson', `${u.fileName} feature ${i}: a coordinate is ${bad}, expected a finite number`, { feature: i, field: 'coordinates', expected: 'finite numbers', found: String(bad) });
  });
  const lon: number[] = [], lat: number[] = [], at: number[] = [];
  fc.features.forEach((f, i) => {
    const p = firstPosition(f.geometry);
    if (p) { lon.push(p[0]); lat.push(p[1]); at.push(i); }
  });
  checkPlausibleCrs({ lon, lat }, declared, u.bbox, u.fileName, (k) => `feature ${at[k]}`, options);
  const out = featuresToWgs84(fc, declared, u.fileName);
  delete (out as { crs?: unknown }).crs;
  return out;
}

/** The first coordinate of a geometry that is not a finite number (1e400 parses to Infinity), if any. */
function nonFinite(g: Geometry | null): number | undefined {
  if (!g) return undefined;
  if (g.type === 'GeometryCollection') return g.geometries.map(nonFinite).find((v) => v !== undefined);
  const stack: unknown[] = [g.coordinates];
  while (stack.length > 0) {
    const c = stack.pop();
    if (typeof c === 'number') { if (!Number.isFinite(c)) return c; } else if (Array.isArray(c)) for (const x of c) stack.push(x);
  }
  return undefined;
}

// shpjs's unzipper loops forever on a cut-off zip: fflate reads it first (and throws), then writes a clean one
const SHAPEFILE_PARTS = /\.(shp|dbf|prj|cpg|json)$/i;
class TooLarge extends Error {}

function cleanZip(bytes: Uint8Array, fileName: string, crsGiven: boolean): Uint8Array {
  let total = 0;
  const cap = maxUnpackedBytes();
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        const wanted = SHAPEFILE_PARTS.test(f.name) && !f.name.includes('__MACOSX');
        // the sizes the zip declares, checked before anything is inflated; the real sizes are checked after
        if (wanted) total += f.originalSize;
        if (total > cap) throw new TooLarge();
        return wanted;
      },
    });
    if (Object.values(entries).reduce((s, e) => s + e.length, 0) > cap) throw new TooLarge();
  } catch (e) {
    if (e instanceof TooLarge) throw unpackedTooLarge(fileName);
    throw new AppError('invalid_file', `${fileName}: not a readable zip (${(e as Error).message}); is the file complete?`, { expected: 'a complete zip', found: 'truncated or damaged zip' });
  }
  if (!Object.keys(entries).some((n) => /\.shp$/i.test(n))) {
    throw new AppError('invalid_file', `${fileName}: expected a zipped Shapefile (.shp, .dbf, .prj), found ${Object.keys(entries).join(', ') || 'no Shapefile parts'}`, { expected: '.shp in the zip', found: Object.keys(entries).join(', ') });
  }
  const names = Object.keys(entries);
  const shp = names.find((n) => /\.shp$/i.test(n))!;
  if (!names.some((n) => /\.dbf$/i.test(n))) {
    throw new AppError('invalid_file', `${fileName}: holds ${shp} but no .dbf, the attribute table (names, categories, population live there); zip the .shp, .shx, .dbf and .prj of the layer together`, { expected: '.dbf in the zip', found: names.join(', ') });
  }
  // without a .prj the numbers could be any CRS: metres of a Gauss-Krüger zone read as degrees land nowhere
  if (!crsGiven && !names.some((n) => /\.prj$/i.test(n))) {
    throw new AppError('invalid_crs', `${fileName}: holds ${shp} but no .prj, so its coordinate system is unknown; add the .prj, or name the CRS in the crs field (e.g. EPSG:4490 for CGCS2000 degrees, EPSG:4544 for a Gauss-Krüger zone)`, { field: 'crs', expected: '.prj in the zip or a crs field', found: names.join(', ') });
  }
  return zipSync(entries, { level: 0 });
}

/** A CSV upload (UTF-8, UTF-16 or GBK) as a table, with its lon/lat checked for a plausible CRS. */
export interface CsvUpload {
  table: CsvTable;
  /** the upload's bytes as UTF-8 CSV in WGS 84, for the readers */
  bytes: Uint8Array;
}

/**
 * Reads a CSV upload, requires `required` columns (each a list of accepted names) and lon/lat, checks the
 * coordinates' CRS and converts them to WGS 84 when the client named another CRS.
 *
 * @example const { table } = await uploadCsv(upload, [['population', 'pop']]);
 */
export async function uploadCsv(u: Upload, required: { field: string; names: string[] }[]): Promise<CsvUpload> {
  let text = await withUploadFile(u.bytes, 'csv', u.fileName, (path) => readTextFile(path, { allowGbk: true }));
  let table: CsvTable;
  try {
    table = parseCsvTable(text, u.fileName);
  } catch (e) {
    throw AppError.fromInput(e, 'invalid_file');
  }
  let bytes = u.bytes;
  if (u.columns) {
    // only the header line is rewritten, so every row keeps its line number
    text = withHeader(text, mappedHeader(table.header, u.columns, u.fileName));
    table = parseCsvTable(text, u.fileName);
    bytes = Buffer.from(text, 'utf8');
  }
  const col = (...names: string[]) => {
    const lower = table.header.map((h) => h.toLowerCase());
    return names.map((n) => lower.indexOf(n.toLowerCase())).find((k) => k >= 0) ?? -1;
  };
  for (const r of [{ field: 'lon', names: ['lon', 'lng', 'longitude'] }, { field: 'lat', names: ['lat', 'latitude'] }, ...required]) {
    if (col(...r.names) < 0) {
      throw new AppError('missing_field', `${u.fileName} line 1: column '${r.field}' is required${r.names.length > 1 ? ` (or ${r.names.slice(1).map((n) => `'${n}'`).join(', ')})` : ''}, found columns ${table.header.map((h) => `'${h}'`).join(', ')}`, { line: 1, field: r.field, expected: r.names.join(' | '), found: table.header.join(', ') });
    }
  }
  if (table.rows.length === 0) throw new AppError('invalid_file', `${u.fileName}: expected rows after the header, found none`, { expected: 'rows', found: 'header only' });
  const lonCol = col('lon', 'lng', 'longitude'), latCol = col('lat', 'latitude');
  const declared = declaredCrs(u.fileName, u.crs);
  // rows whose values are not numbers are left to the reader, which names the line and the column
  const lon: number[] = [], lat: number[] = [], at: number[] = [];
  table.rows.forEach((row, r) => {
    const x = Number(row[lonCol]), y = Number(row[latCol]);
    if (row[lonCol] !== '' && row[latCol] !== '' && Number.isFinite(x) && Number.isFinite(y)) { lon.push(x); lat.push(y); at.push(r); }
  });
  checkPlausibleCrs({ lon, lat }, declared, u.bbox, u.fileName, (k) => `line ${table.lines[at[k]]}`);
  // the original bytes keep the reader's line numbers right; only a conversion rewrites the file
  if (declared === 'EPSG:4326' || declared === 'EPSG:4490') return { table, bytes };
  {
    const fc = featuresToWgs84({ type: 'FeatureCollection', features: at.map((r, k) => ({ type: 'Feature', properties: { r }, geometry: { type: 'Point', coordinates: [lon[k], lat[k]] } })) }, declared, u.fileName);
    fc.features.forEach((f) => {
      const row = table.rows[(f.properties as { r: number }).r];
      const [x, y] = (f.geometry as { coordinates: number[] }).coordinates;
      row[lonCol] = String(x);
      row[latCol] = String(y);
    });
  }
  return { table, bytes: Buffer.from(csvText(table), 'utf8') };
}

/** CSV text with its first non-blank line replaced by `header` (same delimiter, quoted where needed). */
function withHeader(text: string, header: string[]): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const start = /^(?:[ \t]*\r?\n)*/.exec(body)![0].length;
  const nl = body.indexOf('\n', start);
  const end = nl < 0 ? body.length : body[nl - 1] === '\r' ? nl - 1 : nl;
  // the delimiter parseCsvTable will sniff from the first line
  const d = csvDelimiter(body.slice(0, body.search(/\r?\n|$/)));
  const q = (v: string) => (v.includes(d) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return body.slice(0, start) + header.map(q).join(d) + body.slice(end);
}

// every field quoted, so commas, quotes and newlines in values survive
function csvText(table: CsvTable): string {
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  return [table.header, ...table.rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
}

import { AppError } from '../../app/app-error.ts';
import type { ImportKind } from './import.table.ts';

export const UPLOAD_FORMATS = ['geojson', 'csv', 'xlsx', 'shapefile-zip', 'osm-pbf', 'geotiff'] as const;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

/** Which formats each kind of layer takes. */
export const FORMATS_OF: Record<ImportKind, readonly UploadFormat[]> = {
  facilities: ['geojson', 'csv', 'xlsx', 'shapefile-zip'],
  population: ['csv', 'xlsx', 'geojson', 'geotiff'],
  roads: ['geojson', 'shapefile-zip', 'osm-pbf'],
  units: ['geojson', 'shapefile-zip'],
  buildable: ['geojson', 'shapefile-zip'],
  'population-table': ['csv', 'xlsx'],
};

/** File extension the readers expect for each format (they pick their parser by name). */
export const EXTENSION_OF: Record<UploadFormat, string> = {
  geojson: 'geojson', csv: 'csv', xlsx: 'xlsx', 'shapefile-zip': 'zip', 'osm-pbf': 'osm.pbf', geotiff: 'tif',
};

function startsWith(bytes: Uint8Array, ...sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

/**
 * The format of an upload, from its first bytes (zip, TIFF, OSM PBF, JSON) and else its name; `forced` wins
 * when the client names one. A format the layer does not take is a 415 listing the ones it does.
 *
 * @example detectFormat(bytes, 'schools.csv', 'facilities') // 'csv'
 */
export function detectFormat(bytes: Uint8Array, fileName: string, kind: ImportKind, forced?: string): UploadFormat {
  let format: UploadFormat | undefined;
  // the old binary workbook is not read: say what to do
  if (/\.xls$/i.test(fileName)) {
    throw new AppError('unsupported_format', `${fileName}: an Excel 97–2003 workbook (.xls); save it as .xlsx or CSV (UTF-8 or GBK) and upload that`, { field: 'file', expected: FORMATS_OF[kind].join(', '), found: 'xls' });
  }
  if (forced !== undefined) {
    if (!(UPLOAD_FORMATS as readonly string[]).includes(forced)) {
      throw new AppError('unsupported_format', `field 'format': expected one of ${UPLOAD_FORMATS.join(', ')}, found '${forced}'`, { field: 'format', expected: UPLOAD_FORMATS.join(', '), found: forced });
    }
    format = forced as UploadFormat;
  // a workbook is a zip too, told apart by its name or its part list
  } else if (/\.xlsx$/i.test(fileName) || (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04) && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('[Content_Types].xml'))) format = 'xlsx';
  else if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) format = 'shapefile-zip';
  else if (startsWith(bytes, 0x49, 0x49, 0x2a, 0x00) || startsWith(bytes, 0x4d, 0x4d, 0x00, 0x2a)) format = 'geotiff';
  // an OSM PBF file opens with a 4-byte length and a BlobHeader naming "OSMHeader"
  else if (Buffer.from(bytes.subarray(0, 32)).includes('OSMHeader')) format = 'osm-pbf';
  else if (/\.(geo)?json$/i.test(fileName)) format = 'geojson';
  else if (/\.(csv|txt)$/i.test(fileName)) format = 'csv';
  else if (/\.zip$/i.test(fileName)) format = 'shapefile-zip';
  else if (/\.pbf$/i.test(fileName)) format = 'osm-pbf';
  else if (/\.tiff?$/i.test(fileName)) format = 'geotiff';
  else {
    // text that opens with '{' is JSON, other text is taken as CSV
    const head = Buffer.from(bytes.subarray(0, 64)).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    format = head.startsWith('{') ? 'geojson' : 'csv';
  }
  if (!FORMATS_OF[kind].includes(format)) {
    throw new AppError('unsupported_format', `${fileName}: ${kind} are imported from ${FORMATS_OF[kind].join(', ')}, found ${format}`, { field: 'file', expected: FORMATS_OF[kind].join(', '), found: format });
  }
  return format;
}

/**
 * The client's file name reduced to a label for messages and the import record: no directories, no control
 * characters, at most 120 characters. It is never used to open a file.
 *
 * @example safeFileName('../../etc/passwd') // 'passwd'
 */
export function safeFileName(name: string | undefined): string {
  // multer decodes the multipart filename as latin1; browsers send UTF-8
  const decoded = name ? Buffer.from(name, 'latin1').toString('utf8') : '';
  const base = (decoded.includes('\uFFFD') ? name ?? '' : decoded).split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 120);
  return clean === '' || clean === '.' || clean === '..' ? 'upload' : clean;
}

import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import { categoryList } from '../../io/facility-values.ts';
import { knownCategories } from '../analyses/preset-catalog.ts';
import { deleteRegionFacilities, insertFacilities, regionCategories } from '../facilities/facility.repository.ts';
import { FACILITY_STATUSES, type FacilityStatus } from '../facilities/facility.table.ts';
import type { RegionModelCache } from '../regions/region-model-cache.ts';
import { requireRegion, storeRegionLayers } from '../regions/region.service.ts';
import * as repo from './import.repository.ts';
import { IMPORT_KINDS, type ImportKind, type ImportRow } from './import.table.ts';
import { gunzipUpload } from './upload-file.ts';
import { detectFormat, safeFileName } from './upload-format.ts';
import { facilitiesFromUpload, populationFromUpload, roadsFromUpload, unitsFromUpload } from './upload-layers.ts';
import type { Upload } from './upload-sources.ts';

/** The form fields of an import, as strings (multipart). */
export type ImportFields = Partial<Record<'kind' | 'format' | 'crs' | 'category' | 'status' | 'capacityUnit' | 'mode' | 'cellSize' | 'newCategories' | 'repair' | 'sheet', string>>;

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

/**
 * Imports one uploaded file into a region, all or nothing: the file is read and checked completely before
 * anything is written, and every row (facilities, or the new grid, roads or units, and the import record)
 * is written in one transaction.
 *
 * @example await importUpload(db, cache, 1, { buffer, originalname: 'schools.csv' }, { kind: 'facilities' });
 */
export async function importUpload(db: Db, cache: RegionModelCache, regionId: number, file: { buffer: Uint8Array; originalname?: string } | undefined, fields: ImportFields): Promise<{ import: ImportView; written: Record<string, number> }> {
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
  if (file.buffer.length === 0) throw new AppError('invalid_file', `${safeFileName(file.originalname)}: the file is empty`, { expected: 'data', found: 'an empty file' });

  const unzipped = gunzipUpload(file.buffer, safeFileName(file.originalname));
  const format = detectFormat(unzipped.bytes, unzipped.fileName, kind, fields.format);
  const upload: Upload = { bytes: unzipped.bytes, fileName: unzipped.fileName, format, crs: fields.crs, sheet: fields.sheet, bbox: region.bbox };
  const details: Record<string, unknown> = { mode, ...(fields.crs ? { crs: fields.crs } : {}), ...(added.length ? { newCategories: added } : {}), ...(repair ? { repair } : {}) };

  // read and check everything first: a bad file never opens a transaction
  const known = kind === 'facilities' ? new Set([...knownCategories(), ...(await regionCategories(db, regionId)), ...added]) : null;
  const parsed = kind === 'facilities' ? { facilities: await facilitiesFromUpload(upload, { category: fields.category, status, capacityUnit: fields.capacityUnit, known, addStep: "the upload's newCategories field (a comma list)" }) }
    : kind === 'population' ? { grid: await populationFromUpload(upload, { cellSize }) }
      : kind === 'roads' ? { roads: await roadsFromUpload(upload) }
        : { units: await unitsFromUpload(upload, { makeValid: repair === 'make-valid' }) };

  const result = await db.transaction().execute(async (trx) => {
    const record = await repo.insertImport(trx, { regionId, kind, fileName: upload.fileName, format, rowCount: 0, details });
    const written: Record<string, number> = {};
    if (parsed.facilities) {
      if (mode === 'replace') written.deleted = await deleteRegionFacilities(trx, regionId, [...new Set(parsed.facilities.map((f) => f.category))]);
      const rows = await insertFacilities(trx, parsed.facilities.map((f) => ({ ...f, region_id: regionId, source: `import:${record.id} ${upload.fileName}` })));
      written.facilities = rows.length;
    } else {
      Object.assign(written, await storeRegionLayers(trx, regionId, { ...parsed, name: upload.fileName }));
    }
    const rowCount = written.facilities ?? written.cells ?? written.ways ?? written.units ?? 0;
    return { record: await repo.setImportRowCount(trx, record.id, rowCount, { ...details, written }), written };
  });
  cache.forget(regionId);
  return { import: importView(result.record), written: result.written };
}

export async function listImportViews(db: Db, regionId: number): Promise<ImportView[]> {
  await requireRegion(db, regionId);
  return (await repo.listImports(db, regionId)).map(importView);
}

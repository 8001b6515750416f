import { readFile, stat } from 'node:fs/promises';
import type { FacilitySet } from '../../../analysis/facilities/facility-set.ts';
import type { AdminUnits } from '../../../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../../../analysis/grid/population-grid.ts';
import type { RoadSource } from '../../../analysis/network/road-network.ts';
import { AppError } from '../../app/app-error.ts';
import { bboxOf, type BBox } from '../regions/region-bbox.ts';
import type { ImportKind } from './import.table.ts';
import { gunzipUpload } from './upload-file.ts';
import { detectFormat } from './upload-format.ts';
import { populationFromUpload, readUploadedFacilities, roadsFromUpload, unitsFromUpload } from './upload-layers.ts';
import type { Upload } from './upload-sources.ts';

/** What the CLI knows about a file besides its path: the CRS it was told and where the other layers lie. */
export interface InputContext {
  crs?: string;
  /** the box of the layers read before (the population grid), as a region's box is for an import */
  bbox: BBox | null;
}

/**
 * A file on disk as an upload, so the CLI reads it through the service's own checks and a file gets the same
 * verdict both ways: gzip capped and checked, format by content then name, the same readers and limits.
 *
 * @example const upload = await uploadFromPath('schools.csv', 'facilities', { bbox: null });
 */
export async function uploadFromPath(path: string, kind: ImportKind, ctx: InputContext): Promise<Upload> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new AppError('not_found', e.code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot read file (${e.code ?? e.message})`);
  });
  if (info.isDirectory()) throw new AppError('invalid_file', `${path}: expected a file, found a directory`);
  if (info.size === 0) throw new AppError('invalid_file', `${path}: the file is empty`, { expected: 'data', found: 'an empty file' });
  const unzipped = gunzipUpload(await readFile(path), path);
  if (unzipped.bytes.length === 0) throw new AppError('invalid_file', `${path}: the file is empty once gunzipped`, { expected: 'data', found: 'an empty file' });
  return { bytes: unzipped.bytes, fileName: path, format: detectFormat(unzipped.bytes, unzipped.fileName, kind), crs: ctx.crs, bbox: ctx.bbox };
}

/** Facilities of a file, checked as an import checks them; a file without categories is fine here (--where). */
export async function facilitiesFromPath(path: string, ctx: InputContext & { known: ReadonlySet<string> | null }): Promise<FacilitySet> {
  const u = await uploadFromPath(path, 'facilities', ctx);
  return (await readUploadedFacilities(u, { status: 'existing', known: ctx.known, addStep: '--new-category (a comma list)', categoryOptional: true })).set;
}

export async function populationFromPath(path: string, ctx: InputContext & { cellSize?: number }): Promise<PopulationGrid> {
  return populationFromUpload(await uploadFromPath(path, 'population', ctx), { cellSize: ctx.cellSize });
}

export async function roadsFromPath(path: string, ctx: InputContext): Promise<RoadSource> {
  return roadsFromUpload(await uploadFromPath(path, 'roads', ctx));
}

export async function unitsFromPath(path: string, ctx: InputContext & { makeValid?: boolean }): Promise<AdminUnits> {
  return unitsFromUpload(await uploadFromPath(path, 'units', ctx), { makeValid: ctx.makeValid });
}

/** The box of a grid's populated cells, which later layers of a CLI run must lie in (with the import margin). */
export function gridBBox(grid: PopulationGrid): BBox | null {
  return bboxOf([], [{ lon: grid.originLon, lat: grid.originLat }]);
}

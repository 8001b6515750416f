import type { Db } from '../../db/database.ts';
import { mapSheetPdf } from '../../export/map-sheet-pdf.ts';
import { AppError } from '../../app/app-error.ts';
import { analysisGaps, getAnalysis } from '../analyses/analysis.service.ts';
import * as repo from '../analyses/analysis.repository.ts';
import { runFacilities } from '../analyses/run-facilities.ts';
import type { RegionModelCache } from '../regions/region-model-cache.ts';
import { requireRegion } from '../regions/region.service.ts';
import type { ExportFile } from './export.service.ts';
import { sheetInput, sheetLayout } from './map-sheet.ts';

/**
 * A filed run as a printable map sheet (PDF, A4 or A3, landscape or portrait): its townships, gaps and
 * facilities, legend, scale, north arrow, sources and township table; made without a browser.
 *
 * @example const file = await analysisSheetExport(db, cache, 7, { paper: 'A3', orientation: 'portrait' });
 */
export async function analysisSheetExport(db: Db, cache: RegionModelCache, id: number, query: { paper?: unknown; orientation?: unknown }): Promise<ExportFile> {
  const layout = sheetLayout(query);
  const info = await repo.findRun(db, id);
  if (!info) throw AppError.notFound('analysis', id);
  const run = await getAnalysis(db, id);
  const region = await requireRegion(db, run.regionId);
  const model = await cache.get(db, run.regionId);
  const input = sheetInput({
    run, gaps: await analysisGaps(db, id), units: model.units, facilities: await runFacilities(db, cache, info),
    regionName: region.name, synthetic: region.metadata.synthetic === true, runLabel: `analysis ${id} (${run.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
  }, layout);
  const body = await mapSheetPdf(input);
  return { body, contentType: 'application/pdf', fileName: `sheet-${id}-${layout.paper}-${layout.orientation}.pdf` };
}

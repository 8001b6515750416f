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
import { siteSuggestion } from '../sites/site.service.ts';
import { enumField } from '../../app/body-fields.ts';

/** `sites` of a sheet: how many suggested sites to draw, 0 (default) for none; a 400 naming it otherwise. */
function sheetSites(raw: unknown): number {
  if (raw === undefined || raw === '') return 0;
  const k = Number(raw);
  if (!Number.isInteger(k) || k < 0 || k > 50) throw new AppError('validation_failed', `query 'sites': expected a whole number of suggested sites to draw, 0 to 50, found '${String(raw)}'`, { field: 'sites', expected: '0..50', found: String(raw) });
  return k;
}

/**
 * A filed run as a printable map sheet (PDF, A4 or A3, landscape or portrait): its townships, gaps and
 * facilities, with `sites=k` its k suggested sites (from `candidates`, as the page asks), legend, scale,
 * north arrow, sources and township table; made without a browser.
 *
 * @example const file = await analysisSheetExport(db, cache, 7, { paper: 'A3', orientation: 'portrait' });
 */
export async function analysisSheetExport(db: Db, cache: RegionModelCache, id: number, query: { paper?: unknown; orientation?: unknown; sites?: unknown; candidates?: unknown }): Promise<ExportFile> {
  const layout = sheetLayout(query);
  const k = sheetSites(query.sites);
  const from = query.candidates === undefined ? 'uncovered' : enumField({ candidates: query.candidates }, 'candidates', ['uncovered', 'buildable', 'facilities'] as const)!;
  const info = await repo.findRun(db, id);
  if (!info) throw AppError.notFound('analysis', id);
  const run = await getAnalysis(db, id);
  const region = await requireRegion(db, run.regionId);
  const model = await cache.get(db, run.regionId);
  // the sites the page lists for this run: the same suggestion, on the run's own parameters
  const suggestion = k === 0 ? null : await siteSuggestion(db, cache, run.parameters, { k, kGiven: true, from, blockMeters: 300, exact: false });
  const sites = suggestion && {
    type: 'FeatureCollection' as const,
    features: suggestion.sites.map((s, i) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] }, properties: { rank: i + 1 } })),
  };
  const input = sheetInput({
    run, gaps: await analysisGaps(db, id), units: model.units, facilities: await runFacilities(db, cache, info), ...(sites ? { sites } : {}),
    regionName: region.name, synthetic: region.metadata.synthetic === true, runLabel: `analysis ${id} (${run.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
  }, layout);
  const body = await mapSheetPdf(input);
  return { body, contentType: 'application/pdf', fileName: `sheet-${id}-${layout.paper}-${layout.orientation}.pdf` };
}

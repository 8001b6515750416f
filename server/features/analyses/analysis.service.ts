import type { FeatureCollection } from 'geojson';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import type { ProgressFn, RegionModelCache } from '../regions/region-model-cache.ts';
import { listRegions, regionStamps } from '../regions/region.repository.ts';
import { requireRegion } from '../regions/region.service.ts';
import type { AnalysisParameters, AnalysisRequest } from './analysis-request.ts';
import { summarizeRun, type AnalysisSummary, type UnitRow } from './analysis-summary.ts';
import * as repo from './analysis.repository.ts';
import { circleRun, runStamp } from './circle-run.ts';
import { findPreset } from './preset-catalog.ts';

/** A filed run as the API shows it; gap polygons are served apart (`links.gaps`), being large. */
export interface AnalysisView {
  id: number;
  regionId: number;
  scenarioId: number | null;
  preset: string | null;
  parameters: AnalysisParameters;
  summary: AnalysisSummary;
  units: UnitRow[];
  links: { self: string; gaps: string; reportCsv: string; reportHtml: string };
  createdAt: Date;
  updatedAt: Date;
}

export function analysisView(r: repo.AnalysisRunInfo): AnalysisView {
  const self = `/api/analyses/${r.id}`;
  return {
    id: r.id, regionId: r.region_id, scenarioId: r.scenario_id, preset: r.preset, parameters: r.parameters, summary: r.summary, units: r.units,
    links: { self, gaps: `${self}/gaps`, reportCsv: `${self}/report.csv`, reportHtml: `${self}/report.html` },
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** The region a request names, or the first region (the demo) when it names none. */
export async function resolveRegionId(db: Db, regionId: number | null): Promise<number> {
  // the id alone: the region's outline (thousands of vertices) is not read on every what-if
  const q = db.selectFrom('regions').select('id');
  const row = await (regionId !== null ? q.where('id', '=', regionId) : q.orderBy('id')).limit(1).executeTakeFirst();
  if (row) return row.id;
  if (regionId !== null) throw AppError.notFound('region', regionId);
  throw new AppError('not_found', 'no region exists yet; create one (POST /api/regions) and import its layers');
}

/**
 * Runs a circle over a region (with a scenario's edits, saved or inline) and files the run: summary, one row
 * per township (with the baseline beside a scenario's), gap polygons. The what-if, the exports and the page
 * read the same computation (circle-run.ts).
 *
 * @example const run = await runAnalysis(db, cache, parseAnalysisRequest({ preset: 'elderly-care-15min' }));
 */
export async function runAnalysis(db: Db, cache: RegionModelCache, request: AnalysisRequest, report: ProgressFn = () => undefined): Promise<AnalysisView> {
  const started = performance.now();
  const regionId = await resolveRegionId(db, request.regionId);
  const parameters: AnalysisParameters = { regionId, ...request.parameters };
  // let progress events reach their streams before the engine holds the CPU
  await nextTurn();
  const run = await circleRun(db, cache, parameters, report);
  const preset = parameters.preset === null ? null : findPreset(parameters.preset);
  const { summary, units } = summarizeRun(run.result, {
    preset, baseline: run.scenario ? run.session.base : null, scenario: run.scenario, stamp: run.stamp, engineMs: run.engineMs, ms: performance.now() - started,
  });
  report('filing the run');
  return analysisView(await repo.insertRun(db, { parameters, summary, units, gaps: run.result.gaps }));
}

/**
 * The newest filed run of a preset on the region's current data (layers, facilities, statuses, the circle),
 * without a scenario; null when the data changed since (or it was never run), so the page can open the stored
 * baseline instead of running again.
 *
 * @example await currentAnalysis(db, request) // AnalysisView | null
 */
export async function currentAnalysis(db: Db, request: AnalysisRequest): Promise<AnalysisView | null> {
  const regionId = await resolveRegionId(db, request.regionId);
  const p = request.parameters;
  if (p.scenarioId !== null || p.edits.length > 0) return null;
  const { layers, facilities } = await regionStamps(db, regionId);
  const row = await repo.findRunByStamp(db, regionId, runStamp(layers, facilities, p));
  return row ? analysisView(row) : null;
}

export async function getAnalysis(db: Db, id: number): Promise<AnalysisView> {
  const row = await repo.findRun(db, id);
  if (!row) throw AppError.notFound('analysis', id);
  return analysisView(row);
}

export async function analysisGaps(db: Db, id: number): Promise<FeatureCollection> {
  const row = await repo.findRunGaps(db, id);
  if (!row) throw AppError.notFound('analysis', id);
  return row.gaps ?? { type: 'FeatureCollection', features: [] };
}

export async function listAnalyses(db: Db, query: { regionId?: number; limit?: number }): Promise<AnalysisView[]> {
  return (await repo.listRuns(db, { regionId: query.regionId, limit: Math.min(query.limit ?? 50, 500) })).map(analysisView);
}

export async function deleteAnalysis(db: Db, id: number): Promise<void> {
  if (!(await repo.deleteRun(db, id))) throw AppError.notFound('analysis', id);
}

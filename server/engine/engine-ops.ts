import { runAnalysis } from '../features/analyses/analysis.service.ts';
import { analysisIsochrones } from '../features/analyses/analysis-isochrones.ts';
import { analysisSheetExport } from '../features/exports/sheet-export.ts';
import { importUpload, previewUpload } from '../features/imports/import.service.ts';
import { runCompliance } from '../features/compliance/compliance.service.ts';
import { indicatorReport, populationColumns } from '../features/regions/region-layers.service.ts';
import type { ProgressFn, RegionModelCache } from '../features/regions/region-model-cache.ts';
import { whatIf } from '../features/scenarios/what-if.service.ts';
import { capacitySites, suggestedSites, targetSites } from '../features/sites/site.service.ts';
import { planTiledRun, runAccessTile } from '../features/tiles/tile-run.service.ts';
import type { Db } from '../db/database.ts';

/** What an operation runs with: a database, the thread's region models, and where progress goes. */
export interface EngineContext {
  db: Db;
  cache: RegionModelCache;
  report: ProgressFn;
}

type Rest<T> = T extends [unknown, unknown, ...infer R] ? R : never;

/**
 * The service's heavy questions, each the service function it names with the context put in front: the one
 * table both the inline engine and the worker threads run, so a route gives the same answer either way.
 */
export const engineOps = {
  runAnalysis: (c: EngineContext, ...a: Rest<Parameters<typeof runAnalysis>>) => runAnalysis(c.db, c.cache, a[0], a[1] ?? c.report),
  analysisIsochrones: (c: EngineContext, ...a: Rest<Parameters<typeof analysisIsochrones>>) => analysisIsochrones(c.db, c.cache, ...a),
  runCompliance: (c: EngineContext, ...a: Rest<Parameters<typeof runCompliance>>) => runCompliance(c.db, c.cache, a[0], a[1], a[2] ?? c.report),
  whatIf: (c: EngineContext, ...a: Rest<Parameters<typeof whatIf>>) => whatIf(c.db, c.cache, ...a),
  suggestedSites: (c: EngineContext, ...a: Rest<Parameters<typeof suggestedSites>>) => suggestedSites(c.db, c.cache, ...a),
  targetSites: (c: EngineContext, ...a: Rest<Parameters<typeof targetSites>>) => targetSites(c.db, c.cache, ...a),
  capacitySites: (c: EngineContext, ...a: Rest<Parameters<typeof capacitySites>>) => capacitySites(c.db, c.cache, ...a),
  indicatorReport: (c: EngineContext, ...a: Rest<Parameters<typeof indicatorReport>>) => indicatorReport(c.db, c.cache, ...a),
  analysisSheet: (c: EngineContext, ...a: Rest<Parameters<typeof analysisSheetExport>>) => analysisSheetExport(c.db, c.cache, ...a),
  importUpload: (c: EngineContext, ...a: Rest<Parameters<typeof importUpload>>) => importUpload(c.db, c.cache, ...a),
  previewUpload: (c: EngineContext, ...a: Parameters<typeof previewUpload> extends [unknown, ...infer R] ? R : never) => previewUpload(c.db, ...a),
  populationColumns: (c: EngineContext, ...a: Rest<Parameters<typeof populationColumns>>) => populationColumns(c.db, c.cache, ...a),
  planTiledRun: (c: EngineContext, ...a: Rest<Parameters<typeof planTiledRun>>) => planTiledRun(c.db, c.cache, a[0], a[1] ?? c.report),
  runAccessTile: (c: EngineContext, ...a: Rest<Parameters<typeof runAccessTile>>) => runAccessTile(c.db, c.cache, a[0], a[1] ?? c.report),
};

export type EngineOps = typeof engineOps;
export type OpName = keyof EngineOps;
export type OpArgs<K extends OpName> = EngineOps[K] extends (c: EngineContext, ...a: infer A) => unknown ? A : never;
export type OpResult<K extends OpName> = Awaited<ReturnType<EngineOps[K]>>;

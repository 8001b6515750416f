import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseAnalysisRequest } from '../features/analyses/analysis-request.ts';
import { runAnalysis, type AnalysisView } from '../features/analyses/analysis.service.ts';
import { reportCsvExport, reportHtmlExport, type ExportFile } from '../features/exports/export.service.ts';
import { importUpload, type ImportFields, type ImportView } from '../features/imports/import.service.ts';
import { createRegionModelCache } from '../features/regions/region-model-cache.ts';
import { listRegionViews, type RegionView } from '../features/regions/region.service.ts';
import { openService } from './open-service.ts';
import { inlineEngine } from '../engine/engine.ts';
import { bossDispatch } from '../features/jobs/boss-dispatch.ts';
import { createJobRunner } from '../features/jobs/job.service.ts';
import { getTiledRun, startTiledRun, type TiledRunView } from '../features/tiles/tile-run.service.ts';
import type { TiledRunSpec } from '../features/tiles/tile-run.table.ts';

/** What the CLI can do against the service's database, through the same service functions as the API. */
export interface Batch {
  kind: 'pglite' | 'postgres';
  regions(): Promise<RegionView[]>;
  /** body as POST /api/analyses takes it, e.g. { preset: 'elderly-care-15min' }; the run is filed */
  analyze(body: unknown, onProgress?: (step: string, fraction?: number) => void): Promise<AnalysisView>;
  /** a local file the CLI user names (their own machine), imported like an upload */
  importFile(regionId: number, path: string, fields: ImportFields): Promise<{ import: ImportView; written: Record<string, number> }>;
  report(analysisId: number, format: 'csv' | 'html'): Promise<ExportFile>;
  /**
   * A tiled run queued as POST /api/regions/:id/tiled-runs queues it, followed until merged or failed; with
   * `work` this process takes tiles too (so it finishes alone; `lifecircle worker`s on the database only speed it)
   */
  tiledRun(spec: TiledRunSpec, options: { work: boolean }, onProgress?: (step: string, fraction?: number) => void): Promise<Omit<TiledRunView, 'cells'>>;
  close(): Promise<void>;
}

/**
 * Opens the database for batch use (`lifecircle --db URL ...`): `db` is a postgres:// URL or a folder for the
 * embedded database. Migrations run as at server start; the demo is not seeded unless asked.
 *
 * @example
 * const batch = await openBatch('postgres://planner@db/lifecircle');
 * const run = await batch.analyze({ preset: 'elderly-care-15min' });
 * await batch.close();
 */
export async function openBatch(db: string, options: { seed?: boolean; log?: (m: string) => void } = {}): Promise<Batch> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const isUrl = /^postgres(ql)?:\/\//i.test(db);
  const { handle } = await openService({ databaseUrl: isUrl ? db : undefined, dataDir: db, seed: options.seed ?? false, log });
  const cache = createRegionModelCache();
  return {
    kind: handle.kind,
    regions: () => listRegionViews(handle.db),
    analyze: (body, onProgress) => runAnalysis(handle.db, cache, parseAnalysisRequest(body), onProgress),
    importFile: async (regionId, path, fields) => importUpload(handle.db, cache, regionId, { buffer: await readFile(path), originalname: basename(path) }, fields),
    report: (id, format) => (format === 'csv' ? reportCsvExport(handle.db, id, {}) : reportHtmlExport(handle.db, id)),
    async tiledRun(spec, o, onProgress) {
      const engine = inlineEngine(handle.db, cache);
      const quiet = () => undefined;
      const jobs = createJobRunner(handle.db, engine, quiet, await bossDispatch({ url: isUrl ? db : undefined, pool: handle.pool, concurrency: 1, log: quiet }), { work: o.work });
      try {
        const run = await startTiledRun(engine, jobs, spec);
        for (;;) {
          const { cells: _cells, ...view } = await getTiledRun(handle.db, run.runId, { cells: false });
          if (view.state !== 'running') return view;
          onProgress?.(`tiles stored ${view.tilesStored} of ${view.tiles}`, view.tilesStored / view.tiles);
          await new Promise((ok) => setTimeout(ok, 250));
        }
      } finally {
        await jobs.close(0);
      }
    },
    close: () => handle.close(),
  };
}

import { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { AppError } from '../../app/app-error.ts';
import { idParam } from '../../app/body-fields.ts';
import { heavyRateLimit } from '../../app/write-guard.ts';
import { parseAnalysisRequest } from './analysis-request.ts';
import * as service from './analysis.service.ts';
import { listPresets } from './preset-catalog.ts';

/** Analyses: run a circle (inline, or as a background job), list, read, gaps, delete; and the presets. */
export function analysisRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/presets', (_req, res) => {
    res.json({ presets: listPresets() });
  });
  r.post('/analyses', heavyRateLimit(deps.limits), async (req, res) => {
    const request = parseAnalysisRequest(req.body);
    if (!request.background) {
      const run = await deps.engine.call('runAnalysis', [request]);
      return void res.status(201).location(run.links.self).json(run);
    }
    const job = await deps.jobs.start('analysis', [request]);
    res.status(202).location(`/api/jobs/${job.id}`).json({ job, links: { self: `/api/jobs/${job.id}`, events: `/api/jobs/${job.id}/events` } });
  });
  r.get('/analyses', async (req, res) => {
    const regionId = req.query.regionId === undefined ? undefined : idParam(req.query.regionId, 'regionId');
    const limit = req.query.limit === undefined ? undefined : idParam(req.query.limit, 'limit');
    res.json({ analyses: await service.listAnalyses(deps.db, { regionId, limit }) });
  });
  // the stored run of a preset that still matches the region's data: the page opens it instead of running again
  r.get('/analyses/current', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const regionId = q.regionId === undefined ? null : idParam(q.regionId, 'regionId');
    const statuses = typeof q.statuses === 'string' ? q.statuses.split(',') : undefined;
    const request = parseAnalysisRequest({ regionId, preset: q.preset, ...(statuses ? { statuses } : {}) });
    const run = await service.currentAnalysis(deps.db, request);
    if (!run) throw new AppError('not_found', `no stored run of '${String(q.preset)}' matches the region's current data; run it (POST /api/analyses)`);
    res.json(run);
  });
  r.get('/analyses/:id', async (req, res) => {
    res.json(await service.getAnalysis(deps.db, idParam(req.params.id, 'id')));
  });
  r.get('/analyses/:id/gaps', async (req, res) => {
    res.type('application/geo+json').send(JSON.stringify(await service.analysisGaps(deps.db, idParam(req.params.id, 'id'))));
  });
  r.get('/analyses/:id/isochrones', heavyRateLimit(deps.limits), async (req, res) => {
    const raw = req.query.minutes === undefined ? undefined : String(req.query.minutes).split(',').map(Number);
    const fc = await deps.engine.call('analysisIsochrones', [idParam(req.params.id, 'id'), { kind: 'merged', minutes: raw }]);
    res.type('application/geo+json').send(JSON.stringify(fc));
  });
  r.get('/analyses/:id/catchments', heavyRateLimit(deps.limits), async (req, res) => {
    const fc = await deps.engine.call('analysisIsochrones', [idParam(req.params.id, 'id'), { kind: 'catchment' }]);
    res.type('application/geo+json').send(JSON.stringify(fc));
  });
  r.delete('/analyses/:id', async (req, res) => {
    await service.deleteAnalysis(deps.db, idParam(req.params.id, 'id'));
    res.status(204).end();
  });
  return r;
}

import { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { enumField, idParam, numberField, objectBody, onlyFields, stringListField } from '../../app/body-fields.ts';
import { heavyRateLimit } from '../../app/write-guard.ts';
import { ACCESS_MODES, type AccessMode } from '../../../analysis/accessibility/analyze-access.ts';
import type { FacilityStatus } from '../facilities/facility.table.ts';
import { getTiledRun, startTiledRun } from './tile-run.service.ts';

/**
 * Tiled runs of a region of many counties: POST plans the tiles and queues one job per county (any worker
 * takes them), GET follows the run and, once merged, gives the coverage and the rollup per county.
 */
export function tileRunRoutes(deps: AppDeps): Router {
  const r = Router();
  r.post('/regions/:regionId/tiled-runs', heavyRateLimit(deps.limits), async (req, res) => {
    const body = objectBody(req.body);
    onlyFields(body, ['mode', 'minutes', 'meters', 'categories', 'statuses']);
    const spec = {
      regionId: idParam(req.params.regionId, 'regionId'),
      mode: enumField(body, 'mode', ACCESS_MODES, { required: true }) as AccessMode,
      minutes: numberField(body, 'minutes', { positive: true, max: 600 }),
      meters: numberField(body, 'meters', { positive: true, max: 500_000 }),
      categories: stringListField(body, 'categories'),
      statuses: stringListField(body, 'statuses') as FacilityStatus[] | undefined,
    };
    const run = await startTiledRun(deps.engine, deps.jobs, spec);
    res.status(202).location(`/api/tiled-runs/${run.runId}`).json({ ...run, links: { self: `/api/tiled-runs/${run.runId}` } });
  });
  r.get('/tiled-runs/:id', async (req, res) => {
    // the per-cell columns stay in the database: a province's are hundreds of MB
    const { cells: _cells, ...view } = await getTiledRun(deps.db, idParam(req.params.id, 'id'), { cells: false });
    res.json(view);
  });
  return r;
}

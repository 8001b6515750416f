import { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { AppError } from '../../app/app-error.ts';
import { idParam, objectBody } from '../../app/body-fields.ts';
import { heavyRateLimit } from '../../app/write-guard.ts';
import { parseAnalysisRequest } from '../analyses/analysis-request.ts';
import { listScenarios } from './scenario.repository.ts';
import { parseEdits } from './scenario-edits.ts';
import * as service from './scenario.service.ts';
import { requireRegion } from '../regions/region.service.ts';

function gapsOption(raw: unknown): boolean | 'changed' {
  if (raw === undefined || raw === false) return false;
  if (raw === true || raw === 'changed') return raw;
  throw new AppError('validation_failed', `field 'withGaps': expected true, false or "changed", found ${JSON.stringify(raw)}`, { field: 'withGaps', expected: 'true | false | "changed"' });
}

/** Scenarios (named facility edits): CRUD, and what-if answers for a stored scenario or inline edits. */
export function scenarioRoutes(deps: AppDeps): Router {
  const r = Router();
  const heavy = heavyRateLimit(deps.limits);
  r.get('/regions/:regionId/scenarios', async (req, res) => {
    const regionId = idParam(req.params.regionId, 'regionId');
    await requireRegion(deps.db, regionId);
    res.json({ scenarios: (await listScenarios(deps.db, regionId)).map(service.scenarioView) });
  });
  r.post('/regions/:regionId/scenarios', async (req, res) => {
    const created = await service.createScenario(deps.db, idParam(req.params.regionId, 'regionId'), req.body);
    res.status(201).location(`/api/scenarios/${created.id}`).json(created);
  });
  r.get('/scenarios/:id', async (req, res) => {
    res.json(service.scenarioView(await service.requireScenario(deps.db, idParam(req.params.id, 'id'))));
  });
  r.patch('/scenarios/:id', async (req, res) => {
    res.json(await service.updateScenario(deps.db, idParam(req.params.id, 'id'), req.body));
  });
  r.delete('/scenarios/:id', async (req, res) => {
    await service.deleteScenario(deps.db, idParam(req.params.id, 'id'));
    res.status(204).end();
  });
  // what-if computes and stores nothing, so it is a POST only for its body; it still needs the token
  r.post('/scenarios/:id/what-if', heavy, async (req, res) => {
    const scenario = await service.requireScenario(deps.db, idParam(req.params.id, 'id'));
    const { withGaps, ...rest } = objectBody(req.body ?? {});
    const request = parseAnalysisRequest({ ...rest, regionId: scenario.region_id });
    res.json(await deps.engine.call('whatIf', [request, [], scenario.id, { gaps: gapsOption(withGaps) }]));
  });
  r.post('/regions/:regionId/what-if', heavy, async (req, res) => {
    const { edits, withGaps, ...rest } = objectBody(req.body);
    const request = parseAnalysisRequest({ ...rest, regionId: idParam(req.params.regionId, 'regionId') });
    res.json(await deps.engine.call('whatIf', [request, parseEdits(edits ?? []), null, { gaps: gapsOption(withGaps) }]));
  });
  return r;
}

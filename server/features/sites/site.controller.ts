import { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { AppError } from '../../app/app-error.ts';
import { idParam, objectBody } from '../../app/body-fields.ts';
import { heavyRateLimit } from '../../app/write-guard.ts';

/** Suggested sites: where k new facilities would cover the most of the group (goal 'coverage', default), the fewest that bring townships to the target (goal 'target'), or k sites of limited places (goal 'capacity'). */
export function siteRoutes(deps: AppDeps): Router {
  const r = Router();
  r.post('/regions/:regionId/suggested-sites', heavyRateLimit(deps.limits), async (req, res) => {
    const body: Record<string, unknown> = { ...objectBody(req.body ?? {}), regionId: idParam(req.params.regionId, 'regionId') };
    const goal = body.goal ?? 'coverage';
    if (goal !== 'coverage' && goal !== 'target' && goal !== 'capacity') throw new AppError('validation_failed', `field 'goal': expected coverage (most covered with k sites), target (fewest sites to the target share) or capacity (k sites of siteCapacity places, the group served by the nearest site with room), found ${JSON.stringify(goal)}`, { field: 'goal', expected: 'coverage, target, capacity' });
    if (goal === 'target') { res.json(await deps.engine.call('targetSites', [body])); return; }
    if (goal === 'capacity') { res.json(await deps.engine.call('capacitySites', [body])); return; }
    const { goal: _goal, ...rest } = body;
    res.json(await deps.engine.call('suggestedSites', [rest]));
  });
  return r;
}

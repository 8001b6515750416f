import { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { idParam, objectBody } from '../../app/body-fields.ts';
import { heavyRateLimit } from '../../app/write-guard.ts';
import { suggestedSites } from './site.service.ts';

/** Suggested sites: where k new facilities would cover the most residents. */
export function siteRoutes(deps: AppDeps): Router {
  const r = Router();
  r.post('/regions/:regionId/suggested-sites', heavyRateLimit(deps.limits), async (req, res) => {
    const body = { ...objectBody(req.body ?? {}), regionId: idParam(req.params.regionId, 'regionId') };
    res.json(await suggestedSites(deps.db, deps.cache, body));
  });
  return r;
}

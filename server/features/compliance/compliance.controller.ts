import { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { idParam } from '../../app/body-fields.ts';
import { AppError } from '../../app/app-error.ts';
import { heavyRateLimit } from '../../app/write-guard.ts';
import { requireRegion } from '../regions/region.service.ts';
import { deleteReport, listReports } from './compliance.repository.ts';
import * as service from './compliance.service.ts';

/** Compliance reports: judge the standards per township (inline or as a job), list, read, CSV/HTML, delete. */
export function complianceRoutes(deps: AppDeps): Router {
  const r = Router();
  const heavy = heavyRateLimit(deps.limits);
  r.post('/regions/:regionId/compliance', heavy, async (req, res) => {
    const regionId = idParam(req.params.regionId, 'regionId');
    const { background, ...p } = service.parseComplianceRequest(req.body);
    if (!background) {
      const view = await deps.engine.call('runCompliance', [regionId, p]);
      return void res.status(201).location(view.links.self).json(view);
    }
    await requireRegion(deps.db, regionId);
    const job = await deps.jobs.start('compliance', [regionId, p]);
    res.status(202).location(`/api/jobs/${job.id}`).json({ job, links: { self: `/api/jobs/${job.id}`, events: `/api/jobs/${job.id}/events` } });
  });
  r.get('/regions/:regionId/compliance', async (req, res) => {
    const regionId = idParam(req.params.regionId, 'regionId');
    await requireRegion(deps.db, regionId);
    res.json({ reports: (await listReports(deps.db, regionId)).map((row) => service.complianceView(row)) });
  });
  r.get('/compliance/:id', async (req, res) => {
    res.json(await service.getCompliance(deps.db, idParam(req.params.id, 'id')));
  });
  for (const format of ['csv', 'html', 'xlsx'] as const) {
    r.get(`/compliance/:id/report.${format}`, heavy, async (req, res) => {
      const file = await service.complianceFile(deps.db, idParam(req.params.id, 'id'), format);
      res.type(file.contentType).set('Content-Disposition', `${format === 'html' ? 'inline' : 'attachment'}; filename="${file.fileName}"`).send(file.body);
    });
  }
  r.delete('/compliance/:id', async (req, res) => {
    const id = idParam(req.params.id, 'id');
    if (!(await deleteReport(deps.db, id))) throw AppError.notFound('compliance report', id);
    res.status(204).end();
  });
  return r;
}

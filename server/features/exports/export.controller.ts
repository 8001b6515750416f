import { Router, type Response } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { idParam, objectBody } from '../../app/body-fields.ts';
import { heavyRateLimit } from '../../app/write-guard.ts';
import * as service from './export.service.ts';

function send(res: Response, file: service.ExportFile, inline = false): void {
  res.type(file.contentType);
  res.attachment(file.fileName);
  if (inline) res.set('Content-Disposition', `inline; filename="${file.fileName}"`);
  res.send(typeof file.body === 'string' ? file.body : Buffer.from(file.body));
}

/** Exports: gaps as GeoJSON in a chosen CRS or a Shapefile zip, facilities as a Shapefile zip, reports as CSV and HTML. */
export function exportRoutes(deps: AppDeps): Router {
  const r = Router();
  const heavy = heavyRateLimit(deps.limits);
  r.get('/analyses/:id/gaps.geojson', heavy, async (req, res) => send(res, await service.gapsGeoJsonExport(deps.db, idParam(req.params.id, 'id'), req.query)));
  r.get('/analyses/:id/gaps.zip', heavy, async (req, res) => send(res, await service.gapsShapefileExport(deps.db, idParam(req.params.id, 'id'), req.query)));
  r.get('/analyses/:id/report.csv', heavy, async (req, res) => send(res, await service.reportCsvExport(deps.db, idParam(req.params.id, 'id'), req.query)));
  // made in an engine worker: a sheet draws every township and gap
  r.get('/analyses/:id/sheet.pdf', heavy, async (req, res) => {
    const q = { paper: req.query.paper, orientation: req.query.orientation, sites: req.query.sites, candidates: req.query.candidates };
    send(res, await deps.engine.call('analysisSheet', [idParam(req.params.id, 'id'), q]));
  });
  // the suggestion is computed in the engine (same body as POST suggested-sites), the file written here
  r.post('/regions/:regionId/suggested-sites/file', heavy, async (req, res) => {
    const { goal: _goal, ...rest } = objectBody(req.body ?? {});
    const body = { ...rest, regionId: idParam(req.params.regionId, 'regionId') };
    // a bad format is named before the sites are computed
    const q = { format: service.sitesFileFormat(req.query.format), crs: req.query.crs, encoding: req.query.encoding };
    send(res, await service.suggestedSitesFile(await deps.engine.call('suggestedSites', [body]), q));
  });
  r.get('/analyses/:id/gaps.xlsx', heavy, async (req, res) => send(res, await service.gapsXlsxExport(deps.db, idParam(req.params.id, 'id'), req.query)));
  r.get('/analyses/:id/report.xlsx', heavy, async (req, res) => send(res, await service.reportXlsxExport(deps.db, idParam(req.params.id, 'id'), req.query)));
  r.get('/analyses/:id/report.html', heavy, async (req, res) => send(res, await service.reportHtmlExport(deps.db, idParam(req.params.id, 'id')), true));
  r.get('/regions/:regionId/facilities.zip', heavy, async (req, res) => send(res, await service.facilitiesShapefileExport(deps.db, idParam(req.params.regionId, 'regionId'), req.query)));
  return r;
}

import { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { idParam } from '../../app/body-fields.ts';
import { requireRegion } from '../regions/region.service.ts';
import * as service from './facility.service.ts';

/** Facilities: list per region (JSON or GeoJSON), create, read, update, delete. */
export function facilityRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/regions/:regionId/facilities', async (req, res) => {
    const regionId = idParam(req.params.regionId, 'regionId');
    await requireRegion(deps.db, regionId);
    // the region's rows are kept by their stamp: the map reads them often, they change rarely
    const rows = service.filterFacilities((await deps.cache.facilities(deps.db, regionId)).rows, service.facilityFilter(req.query));
    if (req.query.format === 'geojson') res.type('application/geo+json').send(JSON.stringify(service.facilitiesGeoJson(rows)));
    else res.json({ facilities: rows.map(service.facilityView) });
  });
  r.post('/regions/:regionId/facilities', async (req, res) => {
    const created = await service.createFacility(deps.db, idParam(req.params.regionId, 'regionId'), req.body);
    res.status(201).location(`/api/facilities/${created.id}`).json(created);
  });
  r.get('/facilities/:id', async (req, res) => {
    res.json(await service.getFacility(deps.db, idParam(req.params.id, 'id')));
  });
  r.patch('/facilities/:id', async (req, res) => {
    res.json(await service.updateFacility(deps.db, idParam(req.params.id, 'id'), req.body));
  });
  r.delete('/facilities/:id', async (req, res) => {
    await service.deleteFacility(deps.db, idParam(req.params.id, 'id'));
    res.status(204).end();
  });
  return r;
}

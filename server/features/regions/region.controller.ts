import { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { idParam, objectBody, onlyFields, stringField } from '../../app/body-fields.ts';
import { AppError } from '../../app/app-error.ts';
import { facilityCounts } from '../facilities/facility.repository.ts';
import { updateRegion } from './region.repository.ts';
import * as service from './region.service.ts';
import { roadsGeoJsonText } from './region-layers.service.ts';

/** Regions: list, create, read (with its layers and facility counts), rename, delete; units and outline as GeoJSON. */
export function regionRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/regions', async (_req, res) => {
    res.json({ regions: await service.listRegionViews(deps.db) });
  });
  r.post('/regions', async (req, res) => {
    const body = objectBody(req.body);
    onlyFields(body, ['name', 'code']);
    const row = await service.createRegion(deps.db, {
      name: stringField(body, 'name', { required: true, nonEmpty: true, max: 200 })!,
      code: stringField(body, 'code', { max: 50 }),
    });
    res.status(201).location(`/api/regions/${row.id}`).json(await service.regionView(deps.db, row.id));
  });
  r.get('/regions/:regionId', async (req, res) => {
    const id = idParam(req.params.regionId, 'regionId');
    res.json({ ...(await service.regionView(deps.db, id)), facilities: await facilityCounts(deps.db, id) });
  });
  r.patch('/regions/:regionId', async (req, res) => {
    const id = idParam(req.params.regionId, 'regionId');
    const body = objectBody(req.body);
    onlyFields(body, ['name', 'code']);
    const row = await updateRegion(deps.db, id, { name: stringField(body, 'name', { nonEmpty: true, max: 200 }), code: stringField(body, 'code', { max: 50 }) });
    if (!row) throw AppError.notFound('region', id);
    res.json(await service.regionView(deps.db, id));
  });
  r.delete('/regions/:regionId', async (req, res) => {
    const id = idParam(req.params.regionId, 'regionId');
    await service.deleteRegion(deps.db, id);
    deps.cache.forget(id);
    res.status(204).end();
  });
  r.get('/regions/:regionId/units', async (req, res) => {
    res.type('application/geo+json').send(JSON.stringify(await service.unitsGeoJson(deps.db, idParam(req.params.regionId, 'regionId'))));
  });
  r.get('/regions/:regionId/outline', async (req, res) => {
    const row = await service.requireRegion(deps.db, idParam(req.params.regionId, 'regionId'));
    const b = row.bbox;
    const geometry = row.outline ?? (b && { type: 'Polygon' as const, coordinates: [[[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]], [b[0], b[1]]]] });
    res.type('application/geo+json').send(JSON.stringify({ type: 'Feature', geometry, properties: { name: row.name, code: row.code, ...row.metadata, outlineIsBbox: row.outline === null } }));
  });
  r.get('/regions/:regionId/roads', async (req, res) => {
    res.type('application/geo+json').send(await roadsGeoJsonText(deps.db, idParam(req.params.regionId, 'regionId')));
  });
  r.get('/regions/:regionId/population', async (req, res) => {
    res.json(await deps.engine.call('populationColumns', [idParam(req.params.regionId, 'regionId')]));
  });
  r.get('/regions/:regionId/indicators', async (req, res) => {
    const scenario = req.query.scenarioId === undefined ? null : idParam(String(req.query.scenarioId), 'scenarioId');
    res.json(await deps.engine.call('indicatorReport', [idParam(req.params.regionId, 'regionId'), scenario]));
  });
  return r;
}

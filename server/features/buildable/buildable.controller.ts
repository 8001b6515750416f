import { Router } from 'express';
import type { AppDeps } from '../../app/app-deps.ts';
import { idParam } from '../../app/body-fields.ts';
import { requireRegion } from '../regions/region.service.ts';
import { deleteBuildable, listBuildable } from './buildable.repository.ts';

/** A region's buildable land as GeoJSON (for the map and for siting on it), and its removal. */
export function buildableRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/regions/:regionId/buildable', async (req, res) => {
    const id = idParam(req.params.regionId, 'regionId');
    await requireRegion(deps.db, id);
    const rows = await listBuildable(deps.db, id);
    const features = rows.map((p) => ({ type: 'Feature', id: p.position + 1, geometry: p.geometry, properties: { ...p.properties, name: p.name, parcel: p.position + 1 } }));
    res.type('application/geo+json').send(JSON.stringify({ type: 'FeatureCollection', features }));
  });
  r.delete('/regions/:regionId/buildable', async (req, res) => {
    const id = idParam(req.params.regionId, 'regionId');
    await requireRegion(deps.db, id);
    res.json({ deleted: await deleteBuildable(deps.db, id) });
  });
  return r;
}

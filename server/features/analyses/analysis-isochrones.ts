import type { FeatureCollection, MultiPolygon } from 'geojson';
import { snapPoints } from '../../../analysis/network/snap-points.ts';
import { isochronesPerFacility, mergedIsochrones } from '../../../analysis/isochrones/facility-isochrones.ts';
import type { IsochroneProperties } from '../../../analysis/isochrones/isochrone-bands.ts';
import { reachThreshold } from '../../../analysis/standards/presets.ts';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import type { RegionModelCache } from '../regions/region-model-cache.ts';
import * as repo from './analysis.repository.ts';
import { runFacilities } from './run-facilities.ts';

/**
 * Isochrones of a filed run's facilities at its reach: `merged` bands (default a third, two thirds and all of
 * the reach) or one `catchment` per facility at the reach. Circles judged by two reaches answer with the urban
 * one, which is said in each feature's `reach` property.
 *
 * @example const fc = await analysisIsochrones(db, cache, 7, { kind: 'merged', minutes: [5, 10, 15] });
 */
export async function analysisIsochrones(
  db: Db, cache: RegionModelCache, analysisId: number, q: { kind: 'merged' | 'catchment'; minutes?: number[] },
): Promise<FeatureCollection<MultiPolygon, IsochroneProperties & { reach: string }>> {
  const run = await repo.findRun(db, analysisId);
  if (!run) throw AppError.notFound('analysis', analysisId);
  const p = run.parameters;
  const reach = p.circle.urban ?? p.circle.rural;
  if (!reach) throw new AppError('validation_failed', `analysis ${analysisId} judges no cells`, { field: 'analysisId' });
  if (reach.mode === 'straight') {
    throw new AppError('validation_failed', `analysis ${analysisId} measures straight-line distance; isochrones follow roads`, { field: 'mode', expected: 'a road mode', found: 'straight' });
  }
  const { costKind, threshold } = reachThreshold(reach);
  const unit = costKind === 'time' ? 60 : 1;
  const bands = q.kind === 'catchment' ? [threshold] : q.minutes?.map((m) => m * unit) ?? [threshold / 3, (2 * threshold) / 3, threshold];
  if (bands.some((b) => !(b > 0))) throw new AppError('validation_failed', 'minutes: expected positive numbers separated by commas, e.g. 5,10,15', { field: 'minutes' });
  const model = await cache.get(db, p.regionId);
  const facilities = await runFacilities(db, cache, run);
  const prepared = cache.prepared(model, reach.mode, costKind);
  const snaps = snapPoints(prepared.graph, facilities.lon, facilities.lat, prepared.maxSnapMeters);
  // 100 m sampling keeps a county-wide raster near 200k points
  const req = { graph: prepared.graph, facilities: snaps, facilityIds: facilities.id, thresholds: bands.sort((a, b) => a - b), cellMeters: 100, maxSnapMeters: prepared.maxSnapMeters };
  const fc = q.kind === 'catchment' ? isochronesPerFacility(req) : mergedIsochrones(req);
  const label = `${reach.mode} ${reach.minutes !== undefined ? `${reach.minutes} min` : `${reach.meters} m`}`;
  return { type: 'FeatureCollection', features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, reach: label } })) };
}

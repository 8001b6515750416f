import type { Feature, FeatureCollection, LineString } from 'geojson';
import { buildComplianceReport, type ComplianceReport } from '../../../analysis/standards/compliance-report.ts';
import { defaultStandards } from '../../../analysis/standards/presets.ts';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import { facilityStamp } from '../facilities/facility.repository.ts';
import { toFacilitySet, withStatus } from '../facilities/facility.service.ts';
import { applyEdits } from '../../../analysis/scenario/apply-edits.ts';
import { requireScenario } from '../scenarios/scenario.service.ts';
import type { RegionModelCache } from './region-model-cache.ts';
import { latestRoadsInfo, roadsData } from './region.repository.ts';
import { requireRegion } from './region.service.ts';
import { decodeRoads } from './road-codec.ts';

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

// the basemap asks once per page load; the GeoJSON of a stored road layer never changes, so keep the text
const roadsText = new Map<number, string>();

/**
 * The region's roads as GeoJSON lines carrying their tags, for the offline basemap (roads by class).
 *
 * @example const text = await roadsGeoJsonText(db, 1);
 */
export async function roadsGeoJsonText(db: Db, regionId: number): Promise<string> {
  await requireRegion(db, regionId);
  const info = await latestRoadsInfo(db, regionId);
  if (!info) return JSON.stringify({ type: 'FeatureCollection', features: [] });
  const hit = roadsText.get(info.id);
  if (hit) return hit;
  const source = decodeRoads(await roadsData(db, info.id));
  const features: Feature<LineString>[] = source.ways.map((w) => ({
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: Array.from(w.nodes, (n) => [round6(source.lon[n]), round6(source.lat[n])]) },
    properties: { ...w.tags },
  }));
  const text = JSON.stringify({ type: 'FeatureCollection', features } satisfies FeatureCollection<LineString>);
  roadsText.set(info.id, text);
  return text;
}

/** The region's population grid as columns (one pixel per populated cell in the browser). */
export async function populationColumns(db: Db, cache: RegionModelCache, regionId: number): Promise<Record<string, unknown>> {
  await requireRegion(db, regionId);
  const g = (await cache.get(db, regionId)).grid;
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return {
    lon0: g.lon0, lat0: g.lat0, x0: g.x0, y0: g.y0, cellSize: g.cellSize, cols: g.cols, rows: g.rows, count: g.count,
    hasAged60: g.hasAged60, cellIndex: Array.from(g.cellIndex), population: Array.from(g.population, r1), aged60: Array.from(g.aged60, r1),
  };
}

/**
 * Every ratio, presence and capacity indicator per township for the region's facilities (and a scenario's
 * edits), as a compliance report without circles; computed on request, not filed.
 */
export async function indicatorReport(db: Db, cache: RegionModelCache, regionId: number, scenarioId: number | null): Promise<ComplianceReport> {
  const region = await requireRegion(db, regionId);
  const model = await cache.get(db, regionId);
  const edits = scenarioId === null ? [] : (await requireScenario(db, scenarioId, regionId)).edits;
  let facilities;
  try {
    facilities = applyEdits(toFacilitySet(withStatus((await cache.facilities(db, regionId)).rows, ['existing'])), edits);
  } catch (e) {
    throw AppError.fromInput(e, 'invalid_edit');
  }
  const standards = defaultStandards();
  // the same data give the same report: kept with the region's model, so a page reload does not rebuild it
  const key = `indicators|f${await facilityStamp(db, regionId)}|${region.name}|${JSON.stringify(edits)}`;
  try {
    return cache.session(model, key, () => buildComplianceReport({
      grid: model.grid, units: model.units, facilities, network: cache.network(model), urbanRule: model.urbanRule,
      synthetic: model.synthetic, sources: { region: `${region.name} (region ${regionId})` },
    }, standards, { only: standards.indicators.map((i) => i.id) }));
  } catch (e) {
    throw AppError.fromInput(e, 'validation_failed');
  }
}

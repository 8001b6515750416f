import { createScenarioEngine, type ScenarioDelta, type ScenarioEngine } from '../../../analysis/scenario/scenario-engine.ts';
import { filterFacilities } from '../../../analysis/facilities/facility-set.ts';
import { defaultSpeedTable } from '../../../analysis/network/speed-table.ts';
import { reachThreshold } from '../../../analysis/standards/presets.ts';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import type { AnalysisRequest } from '../analyses/analysis-request.ts';
import { resolveRegionId } from '../analyses/analysis.service.ts';
import { facilityStamp, listFacilities } from '../facilities/facility.repository.ts';
import { toFacilitySet } from '../facilities/facility.service.ts';
import type { RegionModel, RegionModelCache } from '../regions/region-model-cache.ts';
import type { ScenarioEdit } from './scenario-edits.ts';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { gapPolygons, type GapProperties } from '../../../analysis/gaps/gap-polygons.ts';
import { uncoveredMask } from '../../../analysis/gaps/uncovered-mask.ts';

// one engine per region model and question; a new model (after an import) drops them all
const engines = new WeakMap<RegionModel, Map<string, ScenarioEngine>>();

export interface WhatIfResult {
  regionId: number;
  scenarioId: number | null;
  preset: string | null;
  /** covered residents before and after, in total and per township */
  delta: ScenarioDelta;
  /** edits left out: their facility is not of the circle's categories or statuses */
  ignoredEdits: number[];
  unsnapped: string[];
  /** with `withGaps: true`: the scenario's gap polygons, so the map redraws them as edits come */
  gaps?: FeatureCollection<Polygon | MultiPolygon, GapProperties>;
  ms: number;
}

/**
 * Instant what-if: the change in coverage, per township, from adding, moving or removing facilities, by the
 * incremental scenario engine kept in memory per region and question (no full rerun after the first).
 * Circles with one reach and one service group only; others need a full run (POST /api/analyses with scenarioId).
 *
 * @example await whatIf(db, cache, parseAnalysisRequest({ preset: 'elderly-care-15min' }), edits, null);
 */
export async function whatIf(
  db: Db, cache: RegionModelCache, request: AnalysisRequest, edits: ScenarioEdit[], scenarioId: number | null, options: { gaps?: boolean } = {},
): Promise<WhatIfResult> {
  const started = performance.now();
  const p = request.parameters;
  const regionId = await resolveRegionId(db, request.regionId);
  const reaches = [p.urban, p.rural].filter((r) => r !== null);
  const oneReach = reaches.length === 2 && JSON.stringify(p.urban) === JSON.stringify(p.rural);
  if (!oneReach || p.groups.length !== 1 || p.population === 'rural') {
    throw new AppError('validation_failed', `what-if answers circles with one reach for every cell and one service group; ${p.preset ?? 'this request'} has ${reaches.length === 2 && !oneReach ? 'separate urban and rural reaches' : reaches.length < 2 ? 'one class only' : 'several service groups'}: run a full analysis with scenarioId instead`, { field: 'preset', found: p.preset ?? 'explicit' });
  }
  const reach = p.urban!;
  const model = await cache.get(db, regionId);
  const key = `${JSON.stringify([p.groups, reach, p.statuses])}@${await facilityStamp(db, regionId)}`;
  let perModel = engines.get(model);
  if (!perModel) engines.set(model, (perModel = new Map()));
  let engine = perModel.get(key);
  const rows = await listFacilities(db, regionId, { statuses: p.statuses });
  const categories = new Set(p.groups[0].categories);
  if (!engine) {
    const { costKind, threshold } = reachThreshold(reach);
    const base = filterFacilities(toFacilitySet(rows), (i) => categories.has(rows[i].category));
    const prepared = reach.mode === 'straight' ? null : cache.prepared(model, reach.mode, costKind);
    const costPerMeter = reach.mode === 'straight' && costKind === 'time' ? 3.6 / defaultSpeedTable().snapWalkKmh : 1;
    engine = createScenarioEngine(prepared, model.grid, base, { threshold, costPerMeter });
    // keep a few questions per region; the oldest goes first
    if (perModel.size >= 8) perModel.delete(perModel.keys().next().value!);
    perModel.set(key, engine);
  }
  // edits on facilities outside the question (another category or status) do not change its answer
  const inBase = new Set(rows.filter((r) => categories.has(r.category)).map((r) => String(r.id)));
  const known = new Set(rows.map((r) => String(r.id)));
  const added = new Set<string>();
  const ignoredEdits: number[] = [];
  const used: ScenarioEdit[] = [];
  edits.forEach((e, i) => {
    const id = String(e.id);
    if (e.op === 'add') {
      if (!categories.has(e.category ?? '')) return void ignoredEdits.push(i);
      added.add(id);
      return void used.push(e);
    }
    if (inBase.has(id) || added.has(id)) return void used.push(e);
    if (known.has(id)) return void ignoredEdits.push(i);
    throw new AppError('invalid_edit', `edits[${i}]: ${e.op} of facility '${id}', which is not a facility of region ${regionId}`, { field: `edits[${i}].id`, found: id });
  });
  let result;
  try {
    result = engine.apply(used);
  } catch (e) {
    throw AppError.fromInput(e, 'invalid_edit');
  }
  let gaps: WhatIfResult['gaps'];
  if (options.gaps) {
    const { costKind, threshold } = reachThreshold(reach);
    gaps = gapPolygons(model.grid, uncoveredMask({ cost: result.cost }, threshold), {
      cost: result.cost, facility: result.facility, facilityIds: result.facilities.id, facilityNames: result.facilities.name,
      unit: costKind === 'time' ? 'seconds' : 'meters', preset: p.preset ?? undefined,
    });
  }
  return { regionId, scenarioId, preset: p.preset, delta: result.delta, ignoredEdits, unsnapped: result.unsnapped, gaps, ms: Math.round(performance.now() - started) };
}

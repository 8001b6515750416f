import { analyzeAccess } from '../../../analysis/accessibility/analyze-access.ts';
import { filterFacilities } from '../../../analysis/facilities/facility-set.ts';
import { defaultSpeedTable } from '../../../analysis/network/speed-table.ts';
import { candidatesFromPoints, candidatesFromUncoveredCells, type CandidateSites } from '../../../analysis/siting/candidate-sites.ts';
import { suggestSites, type SuggestSitesResult } from '../../../analysis/siting/suggest-sites.ts';
import { reachThreshold } from '../../../analysis/standards/presets.ts';
import { AppError } from '../../app/app-error.ts';
import { enumField, numberField, objectBody } from '../../app/body-fields.ts';
import type { Db } from '../../db/database.ts';
import { parseAnalysisRequest } from '../analyses/analysis-request.ts';
import { resolveRegionId } from '../analyses/analysis.service.ts';
import { listFacilities } from '../facilities/facility.repository.ts';
import { toFacilitySet } from '../facilities/facility.service.ts';
import type { RegionModelCache } from '../regions/region-model-cache.ts';
import { applyEdits, parseEdits } from '../scenarios/scenario-edits.ts';

export interface SuggestedSitesView extends Omit<SuggestSitesResult, 'sites'> {
  regionId: number;
  preset: string | null;
  /** where candidates came from: thinned uncovered cells, or the region's facilities with status 'candidate' */
  candidates: 'uncovered' | 'facilities';
  sites: Array<SuggestSitesResult['sites'][number] & { facilityId: number | null }>;
}

/**
 * Suggested sites for new facilities of a circle: the k places that newly cover the most residents (aged 60+
 * weighted in, if asked), chosen from uncovered cells or from the region's candidate facilities, each with its
 * marginal gain. Body: the analysis request fields plus `k`, `candidates`, `aged60Weight`, `blockMeters`, and
 * `edits` (a scenario's unsaved edits, counted as built).
 *
 * @example await suggestedSites(db, cache, { preset: 'elderly-care-15min', k: 5 });
 */
export async function suggestedSites(db: Db, cache: RegionModelCache, raw: unknown): Promise<SuggestedSitesView> {
  const { k: rawK, candidates: rawCandidates, aged60Weight: rawWeight, blockMeters: rawBlock, edits: rawEdits, ...rest } = objectBody(raw);
  const edits = rawEdits === undefined ? [] : parseEdits(rawEdits);
  const opts = { k: rawK, candidates: rawCandidates, aged60Weight: rawWeight, blockMeters: rawBlock };
  const k = numberField(opts, 'k', { min: 1, max: 200 }) ?? 10;
  if (!Number.isInteger(k)) throw new AppError('validation_failed', `field 'k': expected a whole number of sites, found ${k}`, { field: 'k' });
  const from = enumField(opts, 'candidates', ['uncovered', 'facilities'] as const) ?? 'uncovered';
  const aged60 = numberField(opts, 'aged60Weight', { min: 0, max: 100 }) ?? 0;
  const blockMeters = numberField(opts, 'blockMeters', { min: 50, max: 10_000 }) ?? 300;
  const request = parseAnalysisRequest(rest);
  const p = request.parameters;
  if (JSON.stringify(p.urban) !== JSON.stringify(p.rural) || p.urban === null || p.groups.length !== 1 || p.population === 'rural') {
    throw new AppError('validation_failed', `suggested sites answer circles with one reach for every cell and one service group; ${p.preset ?? 'this request'} has more`, { field: 'preset', found: p.preset ?? 'explicit' });
  }
  const regionId = await resolveRegionId(db, request.regionId);
  const model = await cache.get(db, regionId);
  const reach = p.urban;
  const { costKind, threshold } = reachThreshold(reach);
  const prepared = reach.mode === 'straight' ? null : cache.prepared(model, reach.mode, costKind);
  const rows = await listFacilities(db, regionId, {});
  // the scenario's edits first (added facilities count whatever their status), then the circle's facilities
  const all = applyEdits(toFacilitySet(rows), edits);
  const statusOf = new Map(rows.map((r) => [String(r.id), r.status]));
  const categories = new Set(p.groups[0].categories);
  const statuses = new Set(p.statuses);
  const existing = filterFacilities(all, (i) => {
    const status = statusOf.get(all.id[i]);
    return categories.has(all.category[i]) && (status === undefined || statuses.has(status));
  });
  const base = existing.count > 0
    ? analyzeAccess({ grid: model.grid, facilities: existing, mode: reach.mode, minutes: reach.minutes, meters: reach.meters, prepared: prepared ?? undefined }).cost
    : new Float64Array(model.grid.count).fill(Infinity);
  let candidates: CandidateSites;
  if (from === 'facilities') {
    const pool = rows.filter((r) => r.status === 'candidate' && categories.has(r.category));
    if (pool.length === 0) throw new AppError('validation_failed', `field 'candidates': region ${regionId} has no facilities with status 'candidate' in ${[...categories].join(', ')}; import some or use "uncovered"`, { field: 'candidates' });
    candidates = candidatesFromPoints(pool.map((r) => ({ lon: r.lon, lat: r.lat, id: String(r.id) })));
  } else {
    candidates = candidatesFromUncoveredCells(model.grid, base, { threshold, blockMeters, aged60Weight: aged60, exclude: prepared ? Uint8Array.from(prepared.origins.segment, (s) => (s < 0 ? 1 : 0)) : undefined });
  }
  const costPerMeter = reach.mode === 'straight' && costKind === 'time' ? 3.6 / defaultSpeedTable().snapWalkKmh : 1;
  const result = suggestSites({ prepared, grid: model.grid, baselineCost: base, threshold, candidates, k, weight: { aged60 }, costPerMeter });
  return {
    ...result, regionId, preset: p.preset, candidates: from,
    sites: result.sites.map((s) => ({ ...s, facilityId: from === 'facilities' ? Number(s.id) : null })),
  };
}

import { capacityCircleSites, circleCoverageProblem, DEFAULT_SITE_SPACING, siteEffects, sitesToTarget, suggestCircleSites, townshipAt, type SiteEffect, type TownshipTarget } from '../../../analysis/circles/circle-siting.ts';
import type { CapacitatedSite, CapacitatedTotals } from '../../../analysis/siting/capacitated-sites.ts';
import { exactSites, type LpSolution } from '../../../analysis/siting/exact-sites.ts';
import { candidatesFromPoints, candidatesFromPolygons, type CandidateSites } from '../../../analysis/siting/candidate-sites.ts';
import type { SuggestSitesResult } from '../../../analysis/siting/suggest-sites.ts';
import { serviceTakes } from '../../../analysis/circles/circle.ts';
import { SITE_COSTS_NOTE } from '../../../analysis/standards/site-costs.ts';
import { AppError } from '../../app/app-error.ts';
import { enumField, numberField, objectBody, stringField, stringListField } from '../../app/body-fields.ts';
import type { Db } from '../../db/database.ts';
import { parseAnalysisRequest, type AnalysisParameters } from '../analyses/analysis-request.ts';
import { resolveRegionId } from '../analyses/analysis.service.ts';
import { withStatus } from '../facilities/facility.service.ts';
import { circleRun } from '../analyses/circle-run.ts';
import type { RegionModelCache } from '../regions/region-model-cache.ts';
import { listBuildable } from '../buildable/buildable.repository.ts';
import type { BuildableLandRow } from '../buildable/buildable.table.ts';
import { pointInPolygon } from '../../../analysis/geo/point-in-polygon.ts';

export type CandidateSource = 'uncovered' | 'facilities' | 'buildable';

/** Most lattice points drawn on buildable land: each costs one bounded search. */
export const MAX_BUILDABLE_CANDIDATES = 1000;

/**
 * Candidate points on the region's buildable land (import kind 'buildable'): a 422 naming `candidates` when
 * the region has none, or when none of it lies on the grid.
 */
async function buildableCandidates(db: Db, regionId: number, grid: Parameters<typeof candidatesFromPolygons>[0]): Promise<{ candidates: CandidateSites; parcels: BuildableLandRow[]; info: NonNullable<SuggestedSitesView['buildable']> }> {
  const parcels = await listBuildable(db, regionId);
  if (parcels.length === 0) {
    throw new AppError('validation_failed', `field 'candidates': region ${regionId} has no buildable land; import a layer of kind 'buildable' (polygons) first, or use "uncovered"`, { field: 'candidates', expected: 'a region with buildable land', found: 'no buildable land' });
  }
  const c = candidatesFromPolygons(grid, parcels.map((p) => p.geometry), { maxCandidates: MAX_BUILDABLE_CANDIDATES });
  if (c.lon.length === 0) {
    throw new AppError('validation_failed', `field 'candidates': none of the region's ${parcels.length} buildable parcels holds a point of the ${grid.cellSize} m grid; import larger parcels or use "uncovered"`, { field: 'candidates', expected: 'buildable land on the grid', found: `${parcels.length} parcels, no point` });
  }
  return { candidates: c, parcels, info: { parcels: parcels.length, candidates: c.lon.length, latticeMeters: c.spacingMeters } };
}

/** The name (or 1-based number) of the buildable parcel a site stands on; null off buildable land. */
function parcelAt(parcels: BuildableLandRow[], lon: number, lat: number): string | null {
  const i = parcels.findIndex((p) => pointInPolygon(lon, lat, p.geometry));
  return i < 0 ? null : parcels[i].name || `#${parcels[i].position + 1}`;
}

export interface SuggestedSitesView extends Omit<SuggestSitesResult, 'sites'> {
  regionId: number;
  preset: string | null;
  /** where candidates came from: thinned uncovered cells, the region's facilities with status 'candidate', or lattice points on its buildable land */
  candidates: CandidateSource;
  /** candidates 'buildable': parcels read and the lattice spacing of the points drawn in them */
  buildable?: { parcels: number; candidates: number; latticeMeters: number };
  /** the objective: residents and residents aged 60+ per newly covered cell (the circle's group by default) */
  weight: { population: number; aged60: number };
  /** least distance between two suggested sites, metres */
  spacingMeters: number;
  /** goal (b): the budget given and what the chosen cost (万元), with the unit costs' provenance */
  budget?: { budget: number; spent: number; note: string };
  /** with `exact: true`: the same problem, spacing included, solved exactly (HiGHS) beside the greedy */
  exact?: { status: string; objective: number; greedyObjective: number; gap: number | null; sites: Array<{ id: string; lon: number; lat: number }>; rows: number; columns: number; ms: number; note: string };
  /** each site with where it stands, the county's group covered once it is built, and the townships it brings over the target */
  sites: Array<SuggestSitesResult['sites'][number] & SiteEffect & { facilityId: number | null; parcel: string | null }>;
}

/**
 * Suggested sites for new facilities of a circle: the k places that newly cover the most of the circle's
 * group, on top of the circle's own run with the scenario's unsaved edits counted as built, chosen from
 * uncovered cells or the region's candidate facilities, each with its marginal gain. Body: the analysis
 * request fields plus `k`, `candidates`, `aged60Weight` (residents + weight × 60+ instead of the group),
 * `blockMeters`, `spacingMeters` (least distance between sites, default 500 m) and `edits`.
 *
 * @example await suggestedSites(db, cache, { preset: 'elderly-care-15min', k: 5 });
 */
export async function suggestedSites(db: Db, cache: RegionModelCache, raw: unknown): Promise<SuggestedSitesView> {
  const { k: rawK, candidates: rawCandidates, aged60Weight: rawWeight, blockMeters: rawBlock, spacingMeters: rawSpacing, budget: rawBudget, siteCategory: rawCategory, exact: rawExact, ...rest } = objectBody(raw);
  if (rawExact !== undefined && typeof rawExact !== 'boolean') throw new AppError('validation_failed', `field 'exact': expected true or false, found ${JSON.stringify(rawExact)}`, { field: 'exact', expected: 'boolean' });
  const opts = { k: rawK, candidates: rawCandidates, aged60Weight: rawWeight, blockMeters: rawBlock, spacingMeters: rawSpacing, budget: rawBudget, siteCategory: rawCategory };
  // goal (b): a budget in 万元; then k only caps the count
  const budget = numberField(opts, 'budget', { positive: true, max: 1e9 });
  const siteCategory = stringField(opts, 'siteCategory', { nonEmpty: true, max: 100 });
  const k = numberField(opts, 'k', { min: 1, max: 200 }) ?? (budget !== undefined ? 200 : 10);
  if (!Number.isInteger(k)) throw new AppError('validation_failed', `field 'k': expected a whole number of sites, found ${k}`, { field: 'k' });
  const from = enumField(opts, 'candidates', ['uncovered', 'facilities', 'buildable'] as const) ?? 'uncovered';
  const aged60 = numberField(opts, 'aged60Weight', { min: 0, max: 100 });
  const blockMeters = numberField(opts, 'blockMeters', { min: 50, max: 10_000 }) ?? 300;
  const spacingMeters = numberField(opts, 'spacingMeters', { min: 0, max: 50_000 });
  const request = parseAnalysisRequest(rest);
  const regionId = await resolveRegionId(db, request.regionId);
  return siteSuggestion(db, cache, { ...request.parameters, regionId }, { k, kGiven: rawK !== undefined, from, aged60, blockMeters, spacingMeters, budget, siteCategory, exact: rawExact === true });
}

/** What a suggestion is asked with, once the body is checked. */
export interface SiteOptions {
  k: number;
  /** k was given, not defaulted: more than the candidate facilities is then a mistake to name */
  kGiven: boolean;
  from: CandidateSource;
  aged60?: number;
  blockMeters: number;
  spacingMeters?: number;
  budget?: number;
  siteCategory?: string;
  exact: boolean;
}

/**
 * Suggested sites for a run's own parameters (its circle, statuses, scenario and edits): what
 * `suggestedSites` answers, and what a filed run's map sheet draws.
 *
 * @example await siteSuggestion(db, cache, run.parameters, { k: 3, kGiven: true, from: 'uncovered', blockMeters: 300, exact: false });
 */
export async function siteSuggestion(db: Db, cache: RegionModelCache, parameters: AnalysisParameters, o: SiteOptions): Promise<SuggestedSitesView> {
  const { k, from, aged60, blockMeters, spacingMeters, budget, siteCategory } = o;
  const regionId = parameters.regionId;
  const run = await circleRun(db, cache, parameters);
  let candidates: CandidateSites | undefined;
  let categories: string[] | undefined;
  let buildable: SuggestedSitesView['buildable'];
  let parcels: BuildableLandRow[] = [];
  if (from === 'buildable') {
    ({ candidates, parcels, info: buildable } = await buildableCandidates(db, regionId, run.model.grid));
    if (budget === undefined && o.kGiven && k > candidates.lon.length) {
      throw new AppError('validation_failed', `field 'k': ${k} sites asked for, but the region's buildable land holds only ${candidates.lon.length} candidate points; ask for at most ${candidates.lon.length}`, { field: 'k', expected: `at most ${candidates.lon.length}`, found: String(k) });
    }
  }
  if (from === 'facilities') {
    const circle = run.result.circle;
    const pool = withStatus((await cache.facilities(db, regionId)).rows, ['candidate']).filter((r) => circle.services.some((s) => serviceTakes(s, r.category)));
    if (pool.length === 0) throw new AppError('validation_failed', `field 'candidates': region ${regionId} has no facilities with status 'candidate' of ${circle.services.flatMap((s) => s.categories).join(', ')}; import some or use "uncovered"`, { field: 'candidates' });
    // with a budget k only caps the count; without one, more sites than candidates is a mistake to name
    if (budget === undefined && o.kGiven && k > pool.length) {
      throw new AppError('validation_failed', `field 'k': ${k} sites asked for, but there are only ${pool.length} candidate sites (facilities with status 'candidate' of the circle's categories); ask for at most ${pool.length}`, { field: 'k', expected: `at most ${pool.length}`, found: String(k) });
    }
    candidates = candidatesFromPoints(pool.map((r) => ({ lon: r.lon, lat: r.lat, id: String(r.id) })));
    categories = pool.map((r) => r.category);
  }
  let result;
  let exact: SuggestedSitesView['exact'];
  const sitingRequest = { result: run.result, k, candidates, categories, budget, siteCategory, blockMeters, spacingMeters, weight: aged60 === undefined ? undefined : { population: 1, aged60 } };
  const inputs = { grid: run.model.grid, network: cache.network(run.model) };
  try {
    result = suggestCircleSites(inputs, sitingRequest);
    if (o.exact) exact = await exactAnswer(inputs, sitingRequest, result);
  } catch (e) {
    throw AppError.fromInput(e, 'validation_failed', { field: /^budget:/.test((e as Error).message) ? 'budget' : 'preset' });
  }
  // the sites built one by one on the run's own session (with the scenario's edits when there are)
  const used = run.scenario ? run.scenario.edits.filter((_, i) => !run.scenario!.ignoredEdits.includes(i)) : [];
  const session = used.length === 0 ? run.session : { base: run.result, apply: (e: Parameters<typeof run.session.apply>[0]) => run.session.apply([...used, ...e]) };
  const effects = siteEffects(session, run.model.grid, result.sites);
  return {
    ...result, regionId, preset: parameters.preset, candidates: from, ...(buildable ? { buildable } : {}),
    ...(budget !== undefined ? { budget: { budget, spent: result.spent, note: SITE_COSTS_NOTE } } : {}),
    ...(exact ? { exact } : {}),
    sites: result.sites.map((s, i) => ({ ...s, ...effects[i], facilityId: from === 'facilities' ? Number(s.id) : null, parcel: parcelAt(parcels, s.lon, s.lat) })),
  };
}

// HiGHS (WebAssembly) loads once per engine worker, on the first exact question
let highs: Promise<{ solve(lp: string, o?: Record<string, unknown>): unknown }> | null = null;

/** The greedy's problem solved exactly: chosen sites, the optimum, and how far the greedy is from it. */
async function exactAnswer(inputs: Parameters<typeof circleCoverageProblem>[0], req: Parameters<typeof circleCoverageProblem>[1], greedy: ReturnType<typeof suggestCircleSites>): Promise<NonNullable<SuggestedSitesView['exact']>> {
  const t0 = performance.now();
  highs ??= import('highs').then((m) => (m.default as unknown as () => Promise<{ solve(lp: string, o?: Record<string, unknown>): unknown }>)());
  const solver = await highs;
  const p = circleCoverageProblem(inputs, req);
  const r = exactSites({ value: p.value, sets: p.sets, k: req.budget === undefined ? req.k : undefined, cost: p.cost, budget: req.budget, conflicts: p.conflicts }, (lp) => solver.solve(lp, { time_limit: 60, mip_rel_gap: 0 }) as LpSolution);
  const greedyObjective = greedy.sites.reduce((a, s) => a + s.score, 0);
  const at = (j: number) => ({ id: String(p.candidates.ids?.[j] ?? j), lon: p.candidates.lon[j], lat: p.candidates.lat[j] });
  return {
    status: r.status, objective: r.objective, greedyObjective, gap: r.objective > 0 ? (r.objective - greedyObjective) / r.objective : null,
    sites: r.chosen.map(at), rows: r.rows, columns: r.columns, ms: performance.now() - t0,
    note: `exact maximal covering (HiGHS) of the same candidates, objective${(req.spacingMeters ?? DEFAULT_SITE_SPACING) > 0 ? ` and ${req.spacingMeters ?? DEFAULT_SITE_SPACING} m spacing (no two sites closer: ${p.conflicts.length} pairs forbidden)` : ''}; gap = (optimum − greedy) / optimum`,
  };
}

export interface TargetSitesView {
  regionId: number;
  preset: string | null;
  goal: 'target';
  target: number;
  spacingMeters: number;
  townships: TownshipTarget[];
}

/**
 * Goal (c): the fewest suggested sites that bring each township (all under the target, or `townships` by name
 * or code) to the circle's target share of its group, each township's sites counted as built for the next;
 * a township out of reach says why. Body: the analysis request fields plus `townships`, `target`,
 * `maxSites`, `spacingMeters`.
 *
 * @example await targetSites(db, cache, { preset: 'elderly-care-15min', townships: ['黄龙乡'] });
 */
export async function targetSites(db: Db, cache: RegionModelCache, raw: unknown): Promise<TargetSitesView> {
  const { goal: _goal, townships: rawTownships, target: rawTarget, maxSites: rawMax, spacingMeters: rawSpacing, ...rest } = objectBody(raw);
  const opts = { townships: rawTownships, target: rawTarget, maxSites: rawMax, spacingMeters: rawSpacing };
  const names = stringListField(opts, 'townships');
  const target = numberField(opts, 'target', { min: 0.01, max: 1 });
  const maxSites = numberField(opts, 'maxSites', { min: 1, max: 500 }) ?? 100;
  if (!Number.isInteger(maxSites)) throw new AppError('validation_failed', `field 'maxSites': expected a whole number, found ${maxSites}`, { field: 'maxSites' });
  const spacingMeters = numberField(opts, 'spacingMeters', { min: 0, max: 50_000 }) ?? DEFAULT_SITE_SPACING;
  const request = parseAnalysisRequest(rest);
  const regionId = await resolveRegionId(db, request.regionId);
  const run = await circleRun(db, cache, { ...request.parameters, regionId });
  const grid = run.model.grid;
  const units = names?.map((n) => {
    const u = grid.unitNames.findIndex((x, i) => x === n || grid.unitCodes[i] === n);
    if (u < 0) throw new AppError('validation_failed', `field 'townships': '${n}' is not a township of region ${regionId} (${grid.unitNames.join(', ')})`, { field: 'townships', found: n, expected: grid.unitNames.join(', ') });
    return u;
  });
  let townships: TownshipTarget[];
  try {
    townships = sitesToTarget({ grid, facilities: run.result.facilities, network: cache.network(run.model) }, { result: run.result, units, target, maxSites, spacingMeters });
  } catch (e) {
    throw AppError.fromInput(e, 'validation_failed', { field: 'preset' });
  }
  return { regionId, preset: request.parameters.preset, goal: 'target', target: target ?? run.result.circle.coverageTarget, spacingMeters, townships };
}

export interface CapacitySitesView {
  regionId: number;
  preset: string | null;
  goal: 'capacity';
  /** places (beds, slots) of each new site, in the circle's group */
  siteCapacity: number;
  weight: { population: number; aged60: number };
  /** least distance between two new sites, metres */
  spacingMeters: number;
  /** new sites in the order chosen, with the township each stands in; capacity null when unlimited (JSON has no Infinity) */
  sites: Array<Omit<CapacitatedSite, 'capacity'> & { rank: number; capacity: number | null; township: string | null }>;
  /** the circle's existing facilities: how many, their known places, how many have no capacity on record (counted as unlimited) */
  existing: { count: number; places: number; unknownCapacity: number; served: number };
  /** the group with the existing facilities alone, and with the new sites: served, short of places, out of reach */
  baseline: CapacitatedTotals;
  totals: CapacitatedTotals;
  curve: Array<{ k: number; served: number }>;
  ms: number;
}

/**
 * Goal (d): k new sites of `siteCapacity` places each, the circle's group assigned to the nearest site with
 * room; says how much of the group stays unserved for lack of places and how much for distance.
 *
 * @example await capacitySites(db, cache, { preset: 'elderly-care-15min', k: 3, siteCapacity: 60 });
 */
export async function capacitySites(db: Db, cache: RegionModelCache, raw: unknown): Promise<CapacitySitesView> {
  const { goal: _goal, k: rawK, siteCapacity: rawCapacity, blockMeters: rawBlock, spacingMeters: rawSpacing, ...rest } = objectBody(raw);
  const opts = { k: rawK, siteCapacity: rawCapacity, blockMeters: rawBlock, spacingMeters: rawSpacing };
  const siteCapacity = numberField(opts, 'siteCapacity', { positive: true, max: 1e6 });
  if (siteCapacity === undefined) throw new AppError('missing_field', "field 'siteCapacity': the places (beds, slots) of each new site are required for goal 'capacity'", { field: 'siteCapacity', expected: 'a positive number' });
  const k = numberField(opts, 'k', { min: 1, max: 50 }) ?? 5;
  if (!Number.isInteger(k)) throw new AppError('validation_failed', `field 'k': expected a whole number, found ${k}`, { field: 'k' });
  const blockMeters = numberField(opts, 'blockMeters', { min: 50, max: 10_000 }) ?? 300;
  const spacingMeters = numberField(opts, 'spacingMeters', { min: 0, max: 50_000 });
  const request = parseAnalysisRequest(rest);
  const regionId = await resolveRegionId(db, request.regionId);
  const run = await circleRun(db, cache, { ...request.parameters, regionId });
  const grid = run.model.grid;
  let r;
  try {
    r = capacityCircleSites({ grid, network: cache.network(run.model) }, { result: run.result, k, siteCapacity, blockMeters, spacingMeters });
  } catch (e) {
    throw AppError.fromInput(e, 'validation_failed', { field: 'preset' });
  }
  const finite = (c: number) => (Number.isFinite(c) ? c : null);
  return {
    regionId, preset: request.parameters.preset, goal: 'capacity', siteCapacity, weight: r.weight, spacingMeters: r.spacingMeters,
    sites: r.sites.map((s, i) => ({ ...s, rank: i + 1, capacity: finite(s.capacity), township: townshipAt(grid, s.lon, s.lat) })),
    existing: {
      count: r.existing.length,
      places: r.existing.reduce((a, s) => a + (Number.isFinite(s.capacity) ? s.capacity : 0), 0),
      unknownCapacity: r.existing.filter((s) => !Number.isFinite(s.capacity)).length,
      served: r.existing.reduce((a, s) => a + s.served, 0),
    },
    baseline: r.baseline, totals: r.totals, curve: r.curve, ms: r.ms,
  };
}

import { walkCostPerMeter, defaultSpeedTable } from '../network/speed-table.ts';
import { candidatesFromUncoveredCells, type CandidateSites } from '../siting/candidate-sites.ts';
import { DEFAULT_SITE_COSTS } from '../standards/site-costs.ts';
import { coverageProblem, suggestSites, type SuggestSitesResult } from '../siting/suggest-sites.ts';
import { spacingConflicts } from '../siting/spacing-conflicts.ts';
import { capacitatedSites, type CapacitatedSitesResult } from '../siting/capacitated-sites.ts';
import { filterFacilities } from '../facilities/facility-set.ts';
import { COVERED, ISLAND, NO_ROAD_WITHIN_SNAP, NOT_ASSESSED, serviceTakes } from './circle.ts';
import { applyEdits } from '../scenario/apply-edits.ts';
import { groupOf, planCircle, preparedFor, runCircle, type CircleInputs, type CircleResult } from './run-circle.ts';

/** Default least distance between suggested sites: closer, two sites serve one neighbourhood twice (a 15-minute elderly walk reaches ~750 m). */
export const DEFAULT_SITE_SPACING = 500;

export interface CircleSitingRequest {
  /** the circle's run the sites are added to (a scenario's, when edits are counted as built) */
  result: CircleResult;
  k: number;
  /** default: thinned uncovered cells */
  candidates?: CandidateSites;
  /** objective weights; default the circle's group (aged 60+ only for the elderly circle, all residents otherwise) */
  weight?: { population: number; aged60: number };
  /** spacing of candidates drawn from uncovered cells, metres; default 300 */
  blockMeters?: number;
  /** no two suggested sites closer than this, metres; default DEFAULT_SITE_SPACING */
  spacingMeters?: number;
  /** count only these cells (1) in the objective, e.g. one township's; default every judged cell */
  within?: Uint8Array;
  /** goal (b): the most the sites may cost together (万元), each costing `costs[its category]` */
  budget?: number;
  /** cost per site category; default DEFAULT_SITE_COSTS */
  costs?: Readonly<Record<string, number>>;
  /** per candidate category (candidate facilities); default `siteCategory` for every one */
  categories?: string[];
  /** the category new sites would be; default the cheapest that counts for the circle's first service */
  siteCategory?: string;
  onProgress?: (step: string, fraction?: number) => void;
}

/**
 * Suggested sites for a circle with one service and one mode: its own group as the objective, its own
 * per-cell thresholds, every judged cell counted, existing (and scenario) facilities as built.
 *
 * @example const sites = suggestCircleSites(inputs, { result: runCircle(inputs, elderly), k: 3 });
 */
export function suggestCircleSites(inputs: Pick<CircleInputs, 'grid' | 'network' | 'speeds'>, req: CircleSitingRequest): SuggestSitesResult & { weight: { population: number; aged60: number }; spacingMeters: number } {
  const s = sitingSetup(inputs, req);
  const r = suggestSites({
    cost: s.cost, budget: req.budget,
    prepared: s.prepared, grid: inputs.grid, baselineCost: s.baselineCost, threshold: s.maxThreshold, thresholdFor: s.thresholdFor, candidates: s.candidates, k: req.k,
    weight: s.weight, judged: s.judged, minSpacingMeters: req.spacingMeters ?? DEFAULT_SITE_SPACING, costPerMeter: s.costPerMeter, onProgress: req.onProgress,
  });
  return { ...r, weight: s.weight, spacingMeters: req.spacingMeters ?? DEFAULT_SITE_SPACING };
}

/**
 * The coverage goal's problem for an exact solver (`exactSites`): the same candidates, open cells, thresholds
 * and objective as `suggestCircleSites`, and the candidates' costs under a budget. Spacing is not in it.
 *
 * @example const p = circleCoverageProblem(inputs, { result: run, k: 3 }); exactSites({ ...p, k: 3 }, solve);
 */
export function circleCoverageProblem(inputs: Pick<CircleInputs, 'grid' | 'network' | 'speeds'>, req: CircleSitingRequest): { value: Float64Array; sets: Int32Array[]; cost?: Float64Array; candidates: CandidateSites; conflicts: Array<[number, number]> } {
  const s = sitingSetup(inputs, req);
  const p = coverageProblem({
    prepared: s.prepared, grid: inputs.grid, baselineCost: s.baselineCost, threshold: s.maxThreshold, thresholdFor: s.thresholdFor, candidates: s.candidates, k: req.k,
    weight: s.weight, judged: s.judged, costPerMeter: s.costPerMeter,
  });
  // the greedy's spacing as pairs the optimum may not build together, so both answer the same question
  const conflicts = spacingConflicts(s.candidates, req.spacingMeters ?? DEFAULT_SITE_SPACING);
  return { value: p.value, sets: p.sets, candidates: s.candidates, conflicts, ...(s.cost ? { cost: s.cost } : {}) };
}

/**
 * Goal (d), capacity: k new sites of `siteCapacity` places each, the circle's group assigned to the nearest
 * site with room within its threshold, the circle's existing facilities (of its service) built with their
 * own capacity (unknown: unlimited, so no shortage is reported that nobody measured). Same candidates,
 * thresholds and group as the coverage goal; the answer tells demand short of capacity from demand out of reach.
 *
 * @example const c = capacityCircleSites(inputs, { result: run, k: 3, siteCapacity: 60 });
 */
export function capacityCircleSites(inputs: Pick<CircleInputs, 'grid' | 'network' | 'speeds'>, req: CircleSitingRequest & { siteCapacity: number }): CapacitatedSitesResult & { weight: { population: number; aged60: number }; spacingMeters: number } {
  const s = sitingSetup(inputs, req);
  const service = req.result.circle.services[0];
  const existing = filterFacilities(req.result.facilities, (i) => serviceTakes(service, req.result.facilities.category[i]));
  const r = capacitatedSites({
    cost: s.cost, budget: req.budget,
    prepared: s.prepared, grid: inputs.grid, threshold: s.maxThreshold, thresholdFor: s.thresholdFor, existing, candidates: s.candidates,
    capacity: req.siteCapacity, k: req.k, weight: s.weight, judged: s.judged, costPerMeter: s.costPerMeter, onProgress: req.onProgress,
    minSpacingMeters: req.spacingMeters ?? DEFAULT_SITE_SPACING,
  });
  return { ...r, weight: s.weight, spacingMeters: req.spacingMeters ?? DEFAULT_SITE_SPACING };
}

/** What every siting goal reads from the circle's run: its one search, judged cells, thresholds, group, candidates, costs. */
function sitingSetup(inputs: Pick<CircleInputs, 'grid' | 'network' | 'speeds'>, req: CircleSitingRequest) {
  const { result } = req;
  const plan = planCircle(result.circle, inputs.grid);
  if (plan.services.length !== 1 || plan.searches.length !== 1) {
    throw new Error(`suggested sites: circle ${result.circle.id ?? 'explicit'} has ${plan.services.length} services and ${plan.searches.length} modes; sites are chosen for circles with one service and one mode (the combined case is planned)`);
  }
  const search = plan.searches[0];
  const prepared = search.mode === 'straight' ? null : preparedFor(inputs, search);
  const grid = inputs.grid;
  const judged = Uint8Array.from(result.status, (s, i) => (s === NOT_ASSESSED || (req.within !== undefined && req.within[i] !== 1) ? 0 : 1));
  // a cell's baseline: covered cells at 0, others beyond every threshold, so the siting reads the run's own verdict
  const baselineCost = Float64Array.from(result.status, (s) => (s === COVERED ? 0 : Infinity));
  let maxThreshold = 0;
  for (let c = 0; c < grid.count; c++) if (judged[c] && result.threshold[c] > maxThreshold) maxThreshold = result.threshold[c];
  const weight = req.weight ?? (result.circle.population === 'aged60' ? { population: 0, aged60: 1 } : { population: 1, aged60: 0 });
  // with `within`, candidates come from its own cells: the county's densest blocks would crowd a village out
  const exclude = Uint8Array.from(result.status, (s, i) => (s === NO_ROAD_WITHIN_SNAP || s === NOT_ASSESSED || (req.within !== undefined && req.within[i] !== 1) ? 1 : 0));
  const candidates = req.candidates ?? candidatesFromUncoveredCells(grid, baselineCost, {
    threshold: maxThreshold, exclude, blockMeters: req.blockMeters, aged60Weight: weight.aged60 / Math.max(weight.population, 1e-9),
  });
  if (candidates.lon.length === 0) throw new Error('no candidate sites: everyone the circle judges is covered, or no candidate lies in the area');
  const speeds = inputs.speeds ?? inputs.network?.speeds ?? defaultSpeedTable();
  let cost: Float64Array | undefined;
  if (req.budget !== undefined) {
    const table = req.costs ?? DEFAULT_SITE_COSTS;
    const counted = result.circle.services[0]?.categories ?? [];
    const fallback = req.siteCategory ?? [...counted].filter((c) => table[c] > 0).sort((a, b) => table[a] - table[b])[0] ?? counted[0] ?? '';
    cost = Float64Array.from({ length: candidates.lon.length }, (_, j) => {
      const cat = req.categories?.[j] ?? fallback;
      const c = table[cat];
      if (!(c > 0)) throw new Error(`budget: no cost for category '${cat}'; give one in siteCosts (万元)`);
      return c;
    });
    const cheapest = Math.min(...cost);
    if (req.budget < cheapest) throw new Error(`budget: ${req.budget} 万元 is below the cheapest site (${cheapest} 万元, ${req.categories?.[cost.indexOf(cheapest)] ?? fallback})`);
  }
  const thresholdFor = (c: number) => (judged[c] ? result.threshold[c] : maxThreshold);
  const costPerMeter = search.mode === 'straight' ? walkCostPerMeter(speeds, 'straight', search.costKind) : 1;
  return { prepared, judged, baselineCost, maxThreshold, thresholdFor, weight, candidates, cost, costPerMeter };
}

/** One township's answer to "the fewest sites that bring it to the target". */
export interface TownshipTarget {
  unit: number;
  name: string;
  /** the group's covered share before and after the sites (the full run's, with every earlier site built) */
  shareBefore: number | null;
  shareAfter: number | null;
  target: number;
  reached: boolean;
  /** sites chosen for this township, in order */
  sites: SuggestSitesResult['sites'];
  /** why the target is out of reach when it is: residents no road reaches, or no candidate adds anyone */
  reason: { zh: string; en: string } | null;
}

export interface TargetSitingRequest {
  result: CircleResult;
  /** townships by index into the grid's units; default every township under the target, lowest share first */
  units?: number[];
  /** share of the circle's group to reach; default the circle's coverage target */
  target?: number;
  /** most sites per township; default 100 */
  maxSites?: number;
  spacingMeters?: number;
  candidates?: CircleSitingRequest['candidates'];
  onProgress?: (step: string, fraction?: number) => void;
}

/**
 * Goal (c), set cover: for each township in turn (lowest share first), the fewest sites the greedy needs to
 * bring the circle's group there to the target, sites of earlier townships counted as built; a township the
 * sites cannot lift is reported with the reason (cells no road reaches, or nobody left a candidate adds).
 * Greedy set cover is within ln(n) of the fewest; the full run after each township checks the share.
 *
 * @example const [huanglong] = sitesToTarget(inputs, { result, units: [7] }); huanglong.reached
 */
export function sitesToTarget(inputs: CircleInputs, req: TargetSitingRequest): TownshipTarget[] {
  const grid = inputs.grid;
  const circle = req.result.circle;
  const target = req.target ?? circle.coverageTarget;
  if (!(target > 0 && target <= 1)) throw new Error(`target must be a share in (0, 1], found ${target}`);
  const maxSites = req.maxSites ?? 100;
  if (!(Number.isInteger(maxSites) && maxSites >= 1)) throw new Error(`maxSites must be a whole number >= 1, found ${maxSites}`);
  const share = (r: CircleResult, u: number) => groupOf(r.summary.byUnit[u], circle.population)?.coveredShare ?? null;
  const units = req.units ?? req.result.summary.byUnit.map((_, u) => u)
    .filter((u) => { const s = share(req.result, u); return s !== null && s < target; })
    .sort((a, b) => (share(req.result, a) ?? 0) - (share(req.result, b) ?? 0));
  for (const u of units) if (!(Number.isInteger(u) && u >= 0 && u < grid.unitNames.length)) throw new Error(`township ${u}: expected an index of the ${grid.unitNames.length} townships`);
  let result = req.result;
  let facilities = result.facilities;
  const out: TownshipTarget[] = [];
  for (const u of units) {
    const before = share(result, u);
    const within = Uint8Array.from(grid.unit, (x) => (x === u ? 1 : 0));
    let chosen: SuggestSitesResult['sites'] = [];
    let reason: TownshipTarget['reason'] = null;
    if (before === null) reason = { zh: '该乡镇没有该人群', en: "the township has none of the circle's group" };
    else if (before < target) {
      let r: SuggestSitesResult | null = null;
      try {
        r = suggestCircleSites(inputs, { result, k: maxSites, within, spacingMeters: req.spacingMeters, candidates: req.candidates, onProgress: req.onProgress });
      } catch (e) {
        if (!/no candidate sites/.test((e as Error).message)) throw e;
      }
      const groupShare = (c: { covered: number; coveredAged60: number }) => (circle.population === 'aged60' ? c.coveredAged60 / Math.max(r!.totalAged60, 1e-9) : c.covered / Math.max(r!.totalPopulation, 1e-9));
      const k = r ? r.curve.findIndex((c) => groupShare(c) >= target) : -1;
      chosen = r ? r.sites.slice(0, k >= 0 ? k + 1 : r.sites.length) : [];
    }
    if (chosen.length > 0) {
      facilities = applyEdits(facilities, chosen.map((s, i) => ({ op: 'add' as const, id: `site-${out.length + 1}-${i + 1}`, lon: s.lon, lat: s.lat, category: circle.services[0]?.categories[0] ?? 'site', name: `建议选址 suggested site ${i + 1}` })));
      result = runCircle({ ...inputs, facilities }, circle);
    }
    const after = share(result, u);
    const reached = after !== null && after >= target;
    if (!reached && reason === null) {
      // who no site on the network can serve: no road within the snap limit, or the walk to the road alone is over the threshold
      const plan = planCircle(circle, grid);
      const prepared = plan.searches.length === 1 && plan.searches[0].mode !== 'straight' ? preparedFor(inputs, plan.searches[0]) : null;
      let noRoad = 0, farFromRoad = 0, group = 0;
      for (let i = 0; i < grid.count; i++) {
        if (grid.unit[i] !== u || result.status[i] === NOT_ASSESSED) continue;
        const g = circle.population === 'aged60' ? grid.aged60[i] : grid.population[i];
        group += g;
        if (result.status[i] === NO_ROAD_WITHIN_SNAP || result.status[i] === ISLAND) noRoad += g;
        else if (prepared && result.status[i] !== COVERED && prepared.origins.offMeters[i] * prepared.graph.offNetworkCostPerMeter > result.threshold[i]) farFromRoad += g;
      }
      const pct = (x: number) => ((x / Math.max(group, 1e-9)) * 100).toFixed(1);
      const most = group > 0 ? 1 - (noRoad + farFromRoad) / group : 0;
      reason = most < target
        ? {
          zh: `${pct(noRoad)}% 的人群所在网格没有可达道路，${pct(farFromRoad)}% 仅步行到最近道路就超过时限；路网上的新设施最多覆盖 ${(most * 100).toFixed(1)}%，需补路或调整服务方式`,
          en: `${pct(noRoad)} % of the group live where no road reaches and ${pct(farFromRoad)} % where the walk to the nearest road alone exceeds the threshold: sites on the network cover ${(most * 100).toFixed(1)} % at most; roads or another way of serving are needed`,
        }
        : { zh: `${chosen.length} 处选址后仍未达标：没有候选点再能增加覆盖（候选点不足或与已选点过近）`, en: `not reached with ${chosen.length} sites: no further candidate adds any of the group (too few candidates, or too close to sites chosen)` };
    }
    out.push({ unit: u, name: grid.unitNames[u], shareBefore: before, shareAfter: after, target, reached, sites: chosen, reason });
  }
  return out;
}

/** What one suggested site does when built after the ones before it, as the circle's own run counts it. */
export interface SiteEffect {
  /** the township of the populated cell nearest the site; null outside every township */
  township: string | null;
  /** the circle's group covered in the county with this and every earlier site built */
  groupCoveredAfter: number;
  /** townships whose group share reaches the circle's target with this site and not before */
  lifts: string[];
}

/**
 * Builds the sites one after another in the circle's warm session (incremental, equal to a full run) and says
 * for each where it stands, the county's group covered after it and the townships it brings over the target.
 *
 * @example siteEffects(session, sites.sites, 'elderly_station')[0].lifts // ['黄龙乡']
 */
export function siteEffects(session: { base: CircleResult; apply(edits: Array<{ op: 'add'; id: string; lon: number; lat: number; category: string }>): CircleResult }, grid: CircleInputs['grid'], sites: ReadonlyArray<{ lon: number; lat: number }>, category?: string): SiteEffect[] {
  const circle = session.base.circle;
  const cat = category ?? circle.services[0]?.categories[0] ?? 'site';
  const reached = (r: CircleResult) => r.summary.byUnit.map((u) => (groupOf(u, circle.population)?.coveredShare ?? 0) >= circle.coverageTarget);
  let before = reached(session.base);
  const edits: Array<{ op: 'add'; id: string; lon: number; lat: number; category: string }> = [];
  return sites.map((s, k) => {
    edits.push({ op: 'add', id: `suggested-${k + 1}`, lon: s.lon, lat: s.lat, category: cat });
    const r = session.apply(edits);
    const now = reached(r);
    const lifts = r.summary.byUnit.filter((u, i) => now[i] && !before[i]).map((u) => u.name);
    before = now;
    return { township: townshipAt(grid, s.lon, s.lat), groupCoveredAfter: r.summary.groupCount?.covered ?? 0, lifts };
  });
}

/** The township of the nearest populated cell (a site stands where people are, or next to them). */
export function townshipAt(grid: CircleInputs['grid'], lon: number, lat: number): string | null {
  let best = -1, bestD = Infinity;
  const k = Math.cos((lat * Math.PI) / 180) ** 2;
  for (let i = 0; i < grid.count; i++) {
    const dx = grid.originLon[i] - lon, dy = grid.originLat[i] - lat;
    const d = dx * dx * k + dy * dy;
    if (d < bestD) { bestD = d; best = i; }
  }
  return best >= 0 && grid.unit[best] >= 0 ? grid.unitNames[grid.unit[best]] : null;
}

import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { PreparedNetwork } from '../accessibility/analyze-access.ts';
import { coverageTally, moveCovered, summaryOfTally, type CoverageRow, type CoverageSummary, type PopulationCount } from '../coverage/coverage-summary.ts';
import type { FacilitySet } from '../facilities/facility-set.ts';
import { URBAN, type PopulationGrid } from '../grid/population-grid.ts';
import type { CostKind } from '../network/mode-graph.ts';
import { snapPoints } from '../network/snap-points.ts';
import { defaultSpeedTable, walkCostPerMeter, type Mode, type SpeedTable } from '../network/speed-table.ts';
import { reachThreshold, type Reach } from '../standards/presets.ts';
import { networkAccess } from '../traveltime/network-access.ts';
import { straightLineAccess } from '../traveltime/straight-line-access.ts';
import {
  BEYOND_REACH, checkCircle, circleSides, COVERED, GAP_REASONS, ISLAND, NO_FACILITY_WITHIN_SEARCH, NO_ROAD_WITHIN_SNAP,
  NOT_ASSESSED, searchedServices, searchKey, serviceTakes, type Circle, type CircleService, type GapReason, type PopulationGroup,
} from './circle.ts';
import { rankGaps, traceCircleGaps, type GapProperties, type TracedGaps } from './circle-gaps.ts';
import type { NetworkPreparer } from './network-preparer.ts';

/** Everything a circle run reads: the region's grid (units assigned, cells classed), facilities and graphs. */
export interface CircleInputs {
  grid: PopulationGrid;
  facilities: FacilitySet;
  /** graphs with the grid's cells snapped; null when there are no roads (straight-line circles only) */
  network: NetworkPreparer | null;
  speeds?: SpeedTable;
  /** searches shared by the circles of one report (same grid and facilities), keyed by search and categories */
  cache?: Map<string, GroupCosts>;
  onProgress?: (step: string, fraction?: number) => void;
}

export interface CircleOptions {
  /** costs are searched this many times past each threshold, so gaps say how far the nearest facility is; default 3 */
  searchFactor?: number;
  /** gap polygons: 4 (default) or 8-connected cells */
  connectivity?: 4 | 8;
}

/** One search: per cell, cost to the nearest facility of a service and which one (index into the run's facilities). */
export interface GroupCosts {
  cost: Float64Array;
  /** index of the nearest facility, through `remap` when given (a what-if's costs number their own set) */
  facility: Int32Array;
  remap?: Int32Array;
  /** ids of the service's facilities that could not join the network */
  unsnapped: string[];
}

/** A search the circle needs: one per mode and cost kind in use, at the largest cut-off of its reaches. */
export interface CircleSearch {
  key: string;
  mode: Mode | 'straight';
  costKind: CostKind;
  /** in seconds or metres */
  cutoff: number;
}

/** The part of a run that does not depend on the facilities: who is judged, by which reach and search. */
export interface CirclePlan {
  circle: Circle;
  /** the services searched ('any' circles: their union) */
  services: CircleService[];
  searches: CircleSearch[];
  /** per cell: URBAN, RURAL or NOT_ASSESSED */
  side: Uint8Array;
  /** per cell: the side's threshold in its unit; 0 where not assessed */
  threshold: Float64Array;
  /** per cell: index into `searches`, -1 where not assessed */
  search: Int8Array;
  searchFactor: number;
}

export interface GroupCount {
  population: PopulationCount;
  aged60: PopulationCount | null;
}

/** Coverage of the judged cells: totals, per township and class, the circle's group, and why the rest is not covered. */
export interface CircleSummary extends Omit<CoverageSummary, 'threshold'> {
  group: PopulationGroup;
  /** the group's count for the county: aged 60+ for the elderly circle, all (or rural) residents otherwise */
  groupCount: PopulationCount | null;
  /** uncovered residents (all, aged 60+, the group's) by reason */
  byReason: Record<GapReason, { population: number; aged60: number; group: number; cells: number }>;
  /** coverage per searched service over the county (for 'every' circles: which service is missing) */
  services: Array<{ id: string; zh: string; en: string; categories: string[]; facilities: number } & GroupCount>;
  gaps: { count: number; uncoveredPopulation: number; uncoveredGroup: number };
}

/** The one answer of a circle: per cell who is judged, covered or why not, the totals and the gaps. */
export interface CircleResult {
  circle: Circle;
  /** the facilities the run used (a scenario's: edited) */
  facilities: FacilitySet;
  side: Uint8Array;
  /** per cell: COVERED, BEYOND_REACH, NO_FACILITY_WITHIN_SEARCH, NO_ROAD_WITHIN_SNAP, ISLAND or NOT_ASSESSED */
  status: Uint8Array;
  /** per cell: cost to the service that decides (the farthest for 'every'); Infinity beyond the search */
  cost: Float64Array;
  threshold: Float64Array;
  /** per cell: index into `facilities` of that service's nearest facility, -1 where none */
  facility: Int32Array;
  /** unit of each side's costs and thresholds; null for a side not assessed */
  units: { urban: 'seconds' | 'meters' | null; rural: 'seconds' | 'meters' | null };
  summary: CircleSummary;
  gaps: FeatureCollection<Polygon | MultiPolygon, GapProperties>;
  /** first cell of each gap, aligned with `gaps.features` (a what-if reuses the gaps of townships it leaves alone) */
  gapFirstCell: Int32Array;
  /** the counts behind the summary, the circle's and each service's (a what-if moves only the cells it changed) */
  tallies: { circle: Float64Array; services: Float64Array[] };
  unsnappedFacilities: string[];
  ms: number;
}

/** What a scenario changed against a base run: the cells to judge again, and how facility indices moved. */
export interface CircleChange {
  base: CircleResult;
  /** cells whose cost or nearest facility may differ from the base's */
  cells: Int32Array;
  /** base facility index → index in the scenario's facilities, -1 where gone */
  remap: Int32Array;
  /** per searched service: whether its costs changed */
  services: boolean[];
  /** the base run's costs[service][search] */
  baseCosts: GroupCosts[][];
}

const unitOf = (costKind: CostKind) => (costKind === 'time' ? 'seconds' : 'meters');

/**
 * Who a circle judges and how: each cell's side, threshold and search (one search per mode and cost kind,
 * at `searchFactor` × its largest threshold).
 *
 * @example const plan = planCircle(circle, grid);
 */
export function planCircle(circle: Circle, grid: PopulationGrid, options: CircleOptions = {}): CirclePlan {
  checkCircle(circle);
  const searchFactor = options.searchFactor ?? 3;
  if (!(searchFactor >= 1)) throw new Error(`circle: searchFactor must be a number >= 1, found ${searchFactor}`);
  const side = circleSides(circle, grid);
  const searches: CircleSearch[] = [];
  const searchOf = new Map<string, number>();
  const reachSearch = (reach: Reach | null): number => {
    if (reach === null) return -1;
    const key = searchKey(reach);
    const { costKind, threshold } = reachThreshold(reach);
    let k = searchOf.get(key);
    if (k === undefined) {
      k = searches.length;
      searchOf.set(key, k);
      searches.push({ key, mode: reach.mode, costKind, cutoff: 0 });
    }
    searches[k].cutoff = Math.max(searches[k].cutoff, threshold * searchFactor);
    return k;
  };
  const used = { urban: false, rural: false };
  for (let c = 0; c < grid.count; c++) if (side[c] !== NOT_ASSESSED) used[side[c] === URBAN ? 'urban' : 'rural'] = true;
  // a side with no cells needs no search
  const urbanSearch = used.urban ? reachSearch(circle.urban) : -1, ruralSearch = used.rural ? reachSearch(circle.rural) : -1;
  const urbanT = circle.urban ? reachThreshold(circle.urban).threshold : 0, ruralT = circle.rural ? reachThreshold(circle.rural).threshold : 0;
  const threshold = new Float64Array(grid.count);
  const search = new Int8Array(grid.count).fill(-1);
  for (let c = 0; c < grid.count; c++) {
    if (side[c] === NOT_ASSESSED) continue;
    const urban = side[c] === URBAN;
    threshold[c] = urban ? urbanT : ruralT;
    search[c] = urban ? urbanSearch : ruralSearch;
  }
  return { circle, services: searchedServices(circle), searches, side, threshold, search, searchFactor };
}

/**
 * The facilities of a service: indices into the set, in set order.
 *
 * @example serviceMembers(facilities, plan.services[0])
 */
export function serviceMembers(facilities: FacilitySet, service: CircleService): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < facilities.count; i++) if (serviceTakes(service, facilities.category[i])) out.push(i);
  return Int32Array.from(out);
}

/**
 * One search from a service's facilities to every cell, costed as the engine costs any run (snap, off-road
 * legs at the mode's walking pace, either end of the cell's segment or along it), up to the search's cut-off.
 *
 * @example const costs = searchService(inputs, plan.searches[0], serviceMembers(inputs.facilities, plan.services[0]));
 */
export function searchService(inputs: CircleInputs, search: CircleSearch, members: Int32Array): GroupCosts {
  const { grid, facilities } = inputs;
  const cost = new Float64Array(grid.count).fill(Infinity);
  const facility = new Int32Array(grid.count).fill(-1);
  const unsnapped: string[] = [];
  if (members.length === 0) return { cost, facility, unsnapped };
  const lon = Float64Array.from(members, (i) => facilities.lon[i]), lat = Float64Array.from(members, (i) => facilities.lat[i]);
  let r: { cost: Float64Array; facility: Int32Array };
  if (search.mode === 'straight') {
    const perMeter = walkCostPerMeter(inputs.speeds ?? inputs.network?.speeds ?? defaultSpeedTable(), 'straight', search.costKind);
    r = straightLineAccess(lon, lat, grid.originLon, grid.originLat, search.cutoff / perMeter);
    if (perMeter !== 1) for (let i = 0; i < r.cost.length; i++) r.cost[i] *= perMeter;
  } else {
    const prepared = preparedFor(inputs, search);
    const snaps = snapPoints(prepared.graph, lon, lat, prepared.maxSnapMeters);
    for (let k = 0; k < members.length; k++) if (snaps.segment[k] < 0) unsnapped.push(facilities.id[members[k]]);
    r = networkAccess(prepared.graph, snaps, prepared.origins, search.cutoff);
  }
  for (let c = 0; c < grid.count; c++) {
    cost[c] = r.cost[c];
    facility[c] = r.facility[c] >= 0 ? members[r.facility[c]] : -1;
  }
  return { cost, facility, unsnapped };
}

export function preparedFor(inputs: Pick<CircleInputs, 'network'>, search: CircleSearch): PreparedNetwork {
  if (inputs.network === null) throw new Error(`reach ${search.mode} needs a road network (import roads or give --roads), or use mode straight`);
  return inputs.network.prepared(search.mode as Mode, search.costKind);
}

/**
 * Runs a circle over a region: one search per service and mode, each cell judged by its side's reach
 * (urban 15 min walk, rural 90 min by car in one run), the circle's group counted, the gaps traced per
 * township with their reason. The CLI, the service, the what-if and the report all read this result.
 *
 * @example
 * const r = runCircle({ grid, facilities, network: networkPreparer(roads, grid) }, circleOfPreset(elderly, standards));
 * r.summary.groupCount?.uncovered; r.gaps.features[0].properties.reason;
 */
export function runCircle(inputs: CircleInputs, circle: Circle, options: CircleOptions = {}): CircleResult {
  const t0 = performance.now();
  const plan = planCircle(circle, inputs.grid, options);
  return assembleCircle(inputs, plan, inputs.facilities, circleCosts(inputs, plan), options, t0);
}

/**
 * Every search of a plan: costs[service][search], each from the cache when a circle of the same report
 * already ran it.
 *
 * @example const costs = circleCosts(inputs, planCircle(circle, inputs.grid));
 */
export function circleCosts(inputs: CircleInputs, plan: CirclePlan): GroupCosts[][] {
  const progress = inputs.onProgress ?? (() => undefined);
  return plan.services.map((service) => {
    const members = serviceMembers(inputs.facilities, service);
    return plan.searches.map((search) => {
      const key = `${search.key}|${search.cutoff}|${[...service.categories].sort().join(',')}`;
      const hit = inputs.cache?.get(key);
      if (hit) return hit;
      // the graph first, so the steps read in the order they run
      if (search.mode !== 'straight') preparedFor(inputs, search);
      progress(`travel times (${search.mode}, ${service.id})`);
      const r = searchService(inputs, search, members);
      inputs.cache?.set(key, r);
      return r;
    });
  });
}

/**
 * A result from the searches' costs: the decisive cost per cell, its status, the summary and the gaps. Full
 * runs and what-if scenarios both end here, so they cannot disagree on anything but the costs.
 *
 * @example assembleCircle(inputs, plan, facilities, costs) // costs[service][search]
 */
export function assembleCircle(
  inputs: Pick<CircleInputs, 'grid' | 'network' | 'onProgress'>, plan: CirclePlan, facilities: FacilitySet, costs: GroupCosts[][],
  options: CircleOptions = {}, t0 = performance.now(), change?: CircleChange,
): CircleResult {
  const { grid } = inputs;
  const { circle, side, threshold, search } = plan;
  const n = grid.count;
  const every = circle.require === 'every';
  const prepared = plan.searches.map((s) => (s.mode === 'straight' ? null : preparedFor(inputs, s)));
  let cost: Float64Array, facility: Int32Array, status: Uint8Array;
  const judge = (c: number): void => {
    const k = search[c];
    if (k < 0) return;
    // 'every': the farthest service decides (the first of equals); 'any' searched one union
    let best = -1, v = 0;
    for (let g = 0; g < costs.length; g++) {
      const x = costs[g][k].cost[c];
      if (best < 0 || (every ? x > v : x < v)) { best = g; v = x; }
    }
    cost[c] = v;
    facility[c] = -1;
    if (v < Infinity) {
      const r = costs[best][k], f = r.facility[c];
      facility[c] = r.remap !== undefined && f >= 0 ? r.remap[f] : f;
    }
    const p = prepared[k];
    if (p !== null && p.origins.segment[c] < 0) status[c] = NO_ROAD_WITHIN_SNAP;
    else if (v <= threshold[c]) status[c] = COVERED;
    else if (v < Infinity) status[c] = BEYOND_REACH;
    else if (p !== null && p.graph.component[p.graph.network.segA[p.origins.segment[c]]] !== p.graph.mainComponent) status[c] = ISLAND;
    else status[c] = NO_FACILITY_WITHIN_SEARCH;
  };
  if (change === undefined) {
    cost = new Float64Array(n).fill(Infinity);
    facility = new Int32Array(n).fill(-1);
    status = new Uint8Array(n);
    for (let c = 0; c < n; c++) judge(c);
  } else {
    // only the changed cells are judged again; the others keep the base's answer, facilities renumbered
    const b = change.base;
    cost = b.cost.slice();
    status = b.status.slice();
    facility = new Int32Array(n);
    for (let c = 0; c < n; c++) facility[c] = b.facility[c] >= 0 ? change.remap[b.facility[c]] : -1;
    for (const c of change.cells) judge(c);
  }
  inputs.onProgress?.('coverage per township');
  const { summary, tallies } = summarizeCircle(grid, plan, facilities, costs, status, change);
  inputs.onProgress?.('tracing gap polygons');
  const units = { urban: null as 'seconds' | 'meters' | null, rural: null as 'seconds' | 'meters' | null };
  for (const [name, reach] of [['urban', circle.urban], ['rural', circle.rural]] as const) if (reach) units[name] = unitOf(reachThreshold(reach).costKind);
  const partial = { circle, facilities, side, status, cost, threshold, facility, units };
  let traced: TracedGaps;
  if (change === undefined) {
    traced = rankGaps([traceCircleGaps(grid, partial, options)]);
  } else {
    // townships with a changed cell are traced again; the others keep the base's gaps
    const touched = new Uint8Array(grid.unitNames.length + 1);
    for (const c of change.cells) touched[grid.unit[c] + 1] = 1;
    const b = change.base;
    const kept: TracedGaps = { features: [], first: new Int32Array(0) };
    const keptFirst: number[] = [];
    b.gaps.features.forEach((f, i) => {
      if (touched[grid.unit[b.gapFirstCell[i]] + 1] === 1) return;
      kept.features.push(f);
      keptFirst.push(b.gapFirstCell[i]);
    });
    kept.first = Int32Array.from(keptFirst);
    traced = rankGaps([kept, traceCircleGaps(grid, partial, options, touched)]);
  }
  const gaps: CircleResult['gaps'] = { type: 'FeatureCollection', features: traced.features };
  summary.gaps = {
    count: gaps.features.length,
    uncoveredPopulation: gaps.features.reduce((a, f) => a + f.properties.uncovered_population, 0),
    uncoveredGroup: gaps.features.reduce((a, f) => a + f.properties.uncovered_group, 0),
  };
  const unsnapped = new Set<string>();
  for (const row of costs) for (const r of row) for (const id of r.unsnapped) unsnapped.add(id);
  return { ...partial, summary, gaps, gapFirstCell: traced.first, tallies, unsnappedFacilities: [...unsnapped], ms: performance.now() - t0 };
}

/**
 * The group a circle judges, counted on a row: residents aged 60+ for an elderly circle, all residents (of
 * the judged cells: rural ones for a rural circle) otherwise.
 *
 * @example groupOf(result.summary.byUnit[0], 'aged60')?.coveredShare
 */
export function groupOf(row: Pick<CoverageRow, 'population' | 'aged60'>, group: PopulationGroup): PopulationCount | null {
  return group === 'aged60' ? row.aged60 : row.population;
}

function summarizeCircle(
  grid: PopulationGrid, plan: CirclePlan, facilities: FacilitySet, costs: GroupCosts[][], status: Uint8Array, change?: CircleChange,
): { summary: CircleSummary; tallies: CircleResult['tallies'] } {
  const n = grid.count;
  const group = plan.circle.population;
  const countOf = (service: CircleService) => {
    let count = 0;
    for (let i = 0; i < facilities.count; i++) if (serviceTakes(service, facilities.category[i])) count++;
    return count;
  };
  const serviceRow = (g: number, t: Float64Array) => {
    const service = plan.services[g], s = summaryOfTally(grid, t);
    return { id: service.id, zh: service.zh, en: service.en, categories: [...service.categories], facilities: countOf(service), population: s.population, aged60: s.aged60 };
  };
  const addReason = (byReason: CircleSummary['byReason'], st: number, c: number, sign: number) => {
    const r = byReason[GAP_REASONS[st]];
    r.population += sign * grid.population[c];
    r.aged60 += sign * grid.aged60[c];
    r.group += sign * (group === 'aged60' ? grid.aged60[c] : grid.population[c]);
    r.cells += sign;
  };
  if (change !== undefined) {
    // the base's counts, with the changed cells moved
    const b = change.base;
    const circleT = b.tallies.circle.slice();
    const byReason = structuredClone(b.summary.byReason);
    for (const c of change.cells) {
      const was = b.status[c], now = status[c];
      if (was === now) continue;
      if ((was === COVERED) !== (now === COVERED)) moveCovered(grid, circleT, c, now === COVERED);
      if (was !== COVERED) addReason(byReason, was, c, -1);
      if (now !== COVERED) addReason(byReason, now, c, 1);
    }
    const serviceT = plan.services.map((_, g) => {
      if (!change.services[g]) return b.tallies.services[g];
      const t = b.tallies.services[g].slice();
      for (const c of change.cells) {
        const k = plan.search[c];
        const was = change.baseCosts[g][k].cost[c] <= plan.threshold[c], now = costs[g][k].cost[c] <= plan.threshold[c];
        if (was !== now) moveCovered(grid, t, c, now);
      }
      return t;
    });
    const tally = summaryOfTally(grid, circleT);
    const services = plan.services.map((_, g) => (change.services[g] ? serviceRow(g, serviceT[g]) : b.summary.services[g]));
    return {
      summary: { ...tally, group, groupCount: groupOf(tally, group), byReason, services, gaps: { count: 0, uncoveredPopulation: 0, uncoveredGroup: 0 } },
      tallies: { circle: circleT, services: serviceT },
    };
  }
  const covered = new Uint8Array(n), include = new Uint8Array(n), unreachable = new Uint8Array(n);
  const byReason = Object.fromEntries(Object.values(GAP_REASONS).map((r) => [r, { population: 0, aged60: 0, group: 0, cells: 0 }])) as CircleSummary['byReason'];
  for (let c = 0; c < n; c++) {
    if (status[c] === NOT_ASSESSED) continue;
    include[c] = 1;
    if (status[c] === COVERED) { covered[c] = 1; continue; }
    if (status[c] === NO_ROAD_WITHIN_SNAP) unreachable[c] = 1;
    addReason(byReason, status[c], c, 1);
  }
  const circleT = coverageTally(grid, covered, { include, unreachable });
  // per searched service: covered when that service alone is within the cell's threshold
  const serviceT = plan.services.map((_, g) => {
    const mine = new Uint8Array(n);
    for (let c = 0; c < n; c++) {
      const k = plan.search[c];
      if (k >= 0 && costs[g][k].cost[c] <= plan.threshold[c]) mine[c] = 1;
    }
    return coverageTally(grid, mine, { include });
  });
  const tally = summaryOfTally(grid, circleT);
  return {
    summary: { ...tally, group, groupCount: groupOf(tally, group), byReason, services: plan.services.map((_, g) => serviceRow(g, serviceT[g])), gaps: { count: 0, uncoveredPopulation: 0, uncoveredGroup: 0 } },
    tallies: { circle: circleT, services: serviceT },
  };
}

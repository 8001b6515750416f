import type { PreparedNetwork } from '../accessibility/analyze-access.ts';
import type { FacilitySet } from '../facilities/facility-set.ts';
import type { PopulationGrid } from '../grid/population-grid.ts';
import type { CandidateSites } from './candidate-sites.ts';
import { haversineMeters } from '../geo/local-projection.ts';
import { reachCosts } from './suggest-sites.ts';

export interface CapacitatedSitesRequest {
  /** the mode's prepared network, or null for straight-line distance */
  prepared: PreparedNetwork | null;
  grid: PopulationGrid;
  /** in the cost unit of the network (seconds or metres); with `thresholdFor`, the largest per-cell threshold */
  threshold: number;
  thresholdFor?: (cell: number) => number;
  /** facilities already built, with their capacity (NaN where unknown); a FacilitySet passes as it is */
  existing: Pick<FacilitySet, 'lon' | 'lat' | 'id' | 'capacity'>;
  /** what an existing facility of unknown (NaN) capacity holds; default Infinity: unknown is taken as unlimited, so it never shows a shortage nobody measured */
  unknownCapacity?: number;
  candidates: CandidateSites;
  /** per candidate capacity, or one for every candidate (one site category); Infinity for unlimited */
  capacity: number | Float64Array;
  /** how many new sites to choose */
  k: number;
  /** demand per cell: population × weight.population (default 1) + aged60 × weight.aged60 (default 0); `{ population: 0, aged60: 1 }` for people 60+ */
  weight?: { population?: number; aged60: number };
  /** cells the circle judges (1); the others have no demand; default all */
  judged?: Uint8Array;
  /** how far a site may be from a road; default the prepared network's limit */
  maxSnapMeters?: number;
  /** straight-line only: cost per metre, 1 for metres (default) or 3.6 / walk km/h for seconds */
  costPerMeter?: number;
  /** per candidate cost and the most the chosen may cost together; ranked by gain per cost */
  cost?: Float64Array;
  budget?: number;
  /** least distance between two chosen sites, metres (great circle); default 0 */
  minSpacingMeters?: number;
  onProgress?: (step: string, fraction?: number) => void;
}

export interface CapacitatedSite {
  kind: 'existing' | 'new';
  /** index into `existing` or into the candidates */
  index: number;
  id: string;
  lon: number;
  lat: number;
  /** Infinity when unlimited */
  capacity: number;
  /** demand assigned to it with every chosen site built */
  served: number;
  /** served / capacity; null when the capacity is unlimited or 0 */
  utilisation: number | null;
  /** new sites: the served demand it added when chosen, given the sites before it; null for existing */
  gain: number | null;
  cost: number | null;
}

export interface CapacitatedTotals {
  /** demand of the judged cells */
  demand: number;
  served: number;
  /** within reach of some site but not served: every site in reach is full */
  lackOfCapacity: number;
  /** no site within the cell's threshold (including cells off the road network) */
  outOfReach: number;
}

export interface CapacitatedSitesResult {
  /** new sites in the order chosen */
  sites: CapacitatedSite[];
  existing: CapacitatedSite[];
  /** with the existing facilities alone, and with every chosen site */
  baseline: CapacitatedTotals;
  totals: CapacitatedTotals;
  /** served demand after k = 1..K sites */
  curve: Array<{ k: number; served: number }>;
  /** per cell: demand served, with every chosen site */
  cellServed: Float64Array;
  /** assignments computed to rank candidates */
  evaluated: number;
  /** candidates and existing facilities that could not join the network */
  unsnapped: number;
  spent: number;
  overBudget: number;
  /** candidates dropped for lying within minSpacingMeters of a chosen site */
  tooClose: number;
  ms: number;
}

// (site, cell) pairs in assignment order: cost, then cell, then site
interface Pairs { cost: Float64Array; cell: Int32Array; site: Int32Array; length: number }

/**
 * Chooses up to k new sites of limited capacity (beds, places) that serve the most demand, greedily: each
 * round every candidate is tried with the sites so far and the one adding the most served demand (per cost,
 * with costs) is built. Served demand comes from one deterministic assignment: every (site, cell) pair within
 * the cell's threshold, cheapest first (ties: lower cell, then lower site, existing before candidates), gives
 * the cell as much of its remaining demand as the site has room left. So a cell goes to its nearest site with
 * room, a full site's nearer cells keep it, and a cell splits when its nearest fills up; no site exceeds its
 * capacity. Costs per pair are those of `suggestSites` (one bounded search per site, see `reachCosts`).
 * Capacity makes the objective not submodular (a site can add more once another is built: random trials of this
 * rule found gains that grow), so there is no lazy shortcut and no proven 1 − 1/e bound: each round tries every
 * candidate with one merged sweep (Yuechi demo, 130k cells, 139 homes, 300 candidates, k = 10: ~1.5 s,
 * bench/capacity-bench.ts). Unjudged cells have no demand and use no capacity. The three totals add up
 * exactly when demand is whole numbers (people, whole weights); otherwise to rounding.
 *
 * @example
 * const r = capacitatedSites({ prepared, grid, threshold: 900, existing: homes, candidates, capacity: 60, k: 5, weight: { population: 0, aged60: 1 } });
 * r.totals.lackOfCapacity; r.sites[0].utilisation;
 */
export function capacitatedSites(req: CapacitatedSitesRequest): CapacitatedSitesResult {
  const t0 = performance.now();
  const { grid, threshold, candidates, k, prepared, existing } = req;
  const progress = req.onProgress ?? (() => undefined);
  const name = 'capacitatedSites';
  const wp = req.weight?.population ?? 1, w = req.weight?.aged60 ?? 0;
  if (!(wp >= 0) || !Number.isFinite(wp)) throw new Error(`${name}: weight.population must be a number >= 0, found ${wp}`);
  if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`${name}: weight.aged60 must be a number >= 0, found ${w}`);
  if (!(threshold > 0)) throw new Error(`${name}: threshold must be a positive number, found ${threshold}`);
  if (!Number.isInteger(k) || k < 0) throw new Error(`${name}: k must be a whole number >= 0, found ${k}`);
  const nc = candidates.lon.length, ne = existing.lon.length;
  if (candidates.lat.length !== nc) throw new Error(`${name}: candidates have ${nc} longitudes and ${candidates.lat.length} latitudes`);
  if (candidates.ids !== undefined && candidates.ids.length !== nc) throw new Error(`${name}: candidates have ${nc} points and ${candidates.ids.length} ids`);
  if (existing.lat.length !== ne || existing.id.length !== ne || existing.capacity.length !== ne) {
    throw new Error(`${name}: existing has ${ne} longitudes, ${existing.lat.length} latitudes, ${existing.id.length} ids and ${existing.capacity.length} capacities; expected one of each per facility`);
  }
  if (prepared !== null && prepared.origins.count !== grid.count) {
    throw new Error(`${name}: the prepared network snapped ${prepared.origins.count} cells, the grid has ${grid.count}`);
  }
  if (req.judged !== undefined && req.judged.length !== grid.count) throw new Error(`${name}: judged must hold one flag per cell (${grid.count}), found ${req.judged.length}`);
  const unknown = req.unknownCapacity ?? Infinity;
  if (!(unknown >= 0)) throw new Error(`${name}: unknownCapacity must be a number >= 0 (Infinity for unlimited), found ${unknown}`);
  // sites 0..ne-1 are the existing facilities, ne + j is candidate j
  const cap = new Float64Array(ne + nc);
  for (let f = 0; f < ne; f++) {
    const c = existing.capacity[f];
    if (c < 0) throw new Error(`${name}: existing.capacity[${f}] (id ${existing.id[f]}) must be >= 0, or NaN for unknown, found ${c}`);
    cap[f] = Number.isNaN(c) ? unknown : c;
  }
  if (typeof req.capacity === 'number') {
    if (!(req.capacity >= 0)) throw new Error(`${name}: capacity must be a number >= 0 (Infinity for unlimited), found ${req.capacity}`);
    cap.fill(req.capacity, ne);
  } else {
    if (req.capacity.length !== nc) throw new Error(`${name}: capacity must hold one number per candidate (${nc}), found ${req.capacity.length}`);
    for (let j = 0; j < nc; j++) {
      if (!(req.capacity[j] >= 0)) throw new Error(`${name}: capacity[${j}] must be a number >= 0 (Infinity for unlimited), found ${req.capacity[j]}`);
      cap[ne + j] = req.capacity[j];
    }
  }
  const cost = req.cost, budget = req.budget;
  if (cost !== undefined && (cost.length !== nc || !cost.every((c) => c > 0 && Number.isFinite(c)))) throw new Error(`${name}: cost must hold one positive number per candidate (${nc})`);
  if (budget !== undefined && (cost === undefined || !(budget > 0))) throw new Error(`${name}: a budget needs per-candidate costs and must be > 0, found ${budget}`);
  const costPerMeter = req.costPerMeter ?? 1;
  if (!(costPerMeter > 0)) throw new Error(`${name}: costPerMeter must be a positive number, found ${costPerMeter}`);
  const spacing = req.minSpacingMeters ?? 0;
  if (!(spacing >= 0) || !Number.isFinite(spacing)) throw new Error(`${name}: minSpacingMeters must be a number >= 0, found ${spacing}`);

  // demand per judged cell; every cell with demand is open to every site
  const limit = new Float64Array(grid.count), demand = new Float64Array(grid.count), open = new Uint8Array(grid.count);
  let total = 0;
  for (let i = 0; i < grid.count; i++) {
    const t = req.thresholdFor ? req.thresholdFor(i) : threshold;
    if (!(t <= threshold) || Number.isNaN(t)) {
      throw new Error(`${name}: thresholdFor(cell ${i}) is ${t}, expected a number <= threshold ${threshold}; pass the largest per-cell threshold as threshold`);
    }
    limit[i] = t;
    if (req.judged !== undefined && req.judged[i] !== 1) continue;
    demand[i] = wp * grid.population[i] + w * grid.aged60[i];
    total += demand[i];
    if (demand[i] > 0) open[i] = 1;
  }

  progress('reach of each site');
  const common = { prepared, grid, limit, open, threshold, maxSnapMeters: req.maxSnapMeters, costPerMeter };
  const ex = reachCosts({ ...common, points: { lon: existing.lon, lat: existing.lat } });
  const cand = reachCosts({ ...common, points: candidates });
  const lists = [...ex.cells, ...cand.cells].map((cells, s) => sortedPairs(cells, s < ne ? ex.costs[s] : cand.costs[s - ne], s));

  // the built sites' pairs, merged in assignment order
  const existingPairs = lists.slice(0, ne).reduce((a, b) => mergePairs(a, b), emptyPairs());
  let built = existingPairs;
  const sweep = new Sweep(demand, cap);
  let served = sweep.run(built, null);
  const eps = 1e-9 * Math.max(1, total);

  const alive: number[] = [];
  for (let j = 0; j < nc; j++) if (lists[ne + j].length > 0 && cap[ne + j] > 0) alive.push(j);
  const chosen: number[] = [], gains: number[] = [];
  const curve: CapacitatedSitesResult['curve'] = [];
  let evaluated = 0, spent = 0, overBudget = 0, tooClose = 0;
  while (chosen.length < k && alive.length > 0) {
    progress('choosing sites', chosen.length / k);
    // what no longer fits the budget never will: the budget only shrinks
    if (budget !== undefined) {
      for (let q = alive.length - 1; q >= 0; q--) if (spent + cost![alive[q]] > budget + 1e-9) { alive.splice(q, 1); overBudget++; }
    }
    let best = -1, bestKey = 0, bestGain = 0, bestServed = 0;
    for (const j of alive) {
      const withJ = sweep.run(built, lists[ne + j]);
      const g = withJ - served;
      evaluated++;
      if (!(g > eps)) continue;
      const key = cost ? g / cost[j] : g;
      // ascending j and a strict comparison: ties go to the lower index
      if (key > bestKey) { best = j; bestKey = key; bestGain = g; bestServed = withJ; }
    }
    if (best < 0) break;
    built = mergePairs(built, lists[ne + best]);
    served = bestServed;
    alive.splice(alive.indexOf(best), 1);
    // a site's neighbours within the spacing are never built: sites a planner can tell apart on the map
    if (spacing > 0) {
      for (let q = alive.length - 1; q >= 0; q--) {
        if (haversineMeters(candidates.lon[best], candidates.lat[best], candidates.lon[alive[q]], candidates.lat[alive[q]]) < spacing) { alive.splice(q, 1); tooClose++; }
      }
    }
    chosen.push(best);
    gains.push(bestGain);
    if (cost) spent += cost[best];
    curve.push({ k: chosen.length, served });
  }
  progress('choosing sites', 1);

  // the reported numbers come from fresh sweeps, not from the sums of gains
  const baseline = totalsOf(sweep, existingPairs, demand, total);
  const final = new Sweep(demand, cap);
  const totals = totalsOf(final, built, demand, total);
  const report = (kind: CapacitatedSite['kind'], index: number, s: number, gain: number | null): CapacitatedSite => ({
    kind, index, id: kind === 'existing' ? existing.id[index] : candidates.ids?.[index] ?? String(index),
    lon: kind === 'existing' ? existing.lon[index] : candidates.lon[index], lat: kind === 'existing' ? existing.lat[index] : candidates.lat[index],
    capacity: cap[s], served: final.siteServed[s], utilisation: cap[s] > 0 && cap[s] < Infinity ? final.siteServed[s] / cap[s] : null,
    gain, cost: kind === 'new' && cost ? cost[index] : null,
  });
  return {
    sites: chosen.map((j, m) => report('new', j, ne + j, gains[m])),
    existing: Array.from({ length: ne }, (_, f) => report('existing', f, f, null)),
    baseline, totals, curve, cellServed: final.cellServed,
    evaluated, unsnapped: ex.unsnapped + cand.unsnapped, spent, overBudget, tooClose, ms: performance.now() - t0,
  };
}

function emptyPairs(): Pairs {
  return { cost: new Float64Array(0), cell: new Int32Array(0), site: new Int32Array(0), length: 0 };
}

function sortedPairs(cells: Int32Array, costs: Float64Array, site: number): Pairs {
  const n = cells.length;
  const order = Array.from({ length: n }, (_, q) => q).sort((a, b) => costs[a] - costs[b] || cells[a] - cells[b]);
  const p: Pairs = { cost: new Float64Array(n), cell: new Int32Array(n), site: new Int32Array(n).fill(site), length: n };
  order.forEach((q, r) => { p.cost[r] = costs[q]; p.cell[r] = cells[q]; });
  return p;
}

function precedes(a: Pairs, p: number, b: Pairs, q: number): boolean {
  return a.cost[p] < b.cost[q] || (a.cost[p] === b.cost[q] && (a.cell[p] < b.cell[q] || (a.cell[p] === b.cell[q] && a.site[p] < b.site[q])));
}

function mergePairs(a: Pairs, b: Pairs): Pairs {
  const n = a.length + b.length;
  const out: Pairs = { cost: new Float64Array(n), cell: new Int32Array(n), site: new Int32Array(n), length: n };
  let p = 0, q = 0;
  for (let r = 0; r < n; r++) {
    const fromA = q >= b.length || (p < a.length && precedes(a, p, b, q));
    const src = fromA ? a : b, at = fromA ? p++ : q++;
    out.cost[r] = src.cost[at];
    out.cell[r] = src.cell[at];
    out.site[r] = src.site[at];
  }
  return out;
}

// the assignment, with remaining demand and room in stamped arrays so a sweep costs its pairs, not the grid
class Sweep {
  readonly cellServed: Float64Array;
  readonly siteServed: Float64Array;
  private readonly rem: Float64Array;
  private readonly stamp: Uint32Array;
  private readonly room: Float64Array;
  private run_ = 0;
  constructor(private readonly demand: Float64Array, private readonly cap: Float64Array) {
    this.rem = new Float64Array(demand.length);
    this.stamp = new Uint32Array(demand.length);
    this.cellServed = new Float64Array(demand.length);
    this.room = new Float64Array(cap.length);
    this.siteServed = new Float64Array(cap.length);
  }

  /** Served demand of the pairs of `a` and `b` merged (b null for none). */
  run(a: Pairs, b: Pairs | null): number {
    const { demand, rem, stamp, room } = this;
    if (this.run_ === 0xffffffff) { stamp.fill(0); this.run_ = 0; }
    const r = ++this.run_;
    room.set(this.cap);
    const bl = b === null ? 0 : b.length;
    const n = a.length + bl;
    let served = 0, p = 0, q = 0;
    for (let t = 0; t < n; t++) {
      const fromA = q >= bl || (p < a.length && precedes(a, p, b!, q));
      const src = fromA ? a : b!, at = fromA ? p++ : q++;
      const i = src.cell[at], s = src.site[at];
      if (stamp[i] !== r) { stamp[i] = r; rem[i] = demand[i]; }
      const x = rem[i] < room[s] ? rem[i] : room[s];
      if (x > 0) { rem[i] -= x; room[s] -= x; served += x; }
    }
    return served;
  }

  /** One sweep over `pairs` that keeps what each cell and site got. */
  record(pairs: Pairs): void {
    const { demand, rem, room, cellServed, siteServed } = this;
    room.set(this.cap);
    rem.set(demand);
    cellServed.fill(0);
    siteServed.fill(0);
    for (let t = 0; t < pairs.length; t++) {
      const i = pairs.cell[t], s = pairs.site[t];
      const x = rem[i] < room[s] ? rem[i] : room[s];
      if (x > 0) { rem[i] -= x; room[s] -= x; cellServed[i] += x; siteServed[s] += x; }
    }
  }
}

// served, short of capacity and out of reach, per cell then summed
function totalsOf(sweep: Sweep, pairs: Pairs, demand: Float64Array, total: number): CapacitatedTotals {
  sweep.record(pairs);
  const reached = new Uint8Array(demand.length);
  for (let t = 0; t < pairs.length; t++) reached[pairs.cell[t]] = 1;
  let served = 0, lack = 0, out = 0;
  for (let i = 0; i < demand.length; i++) {
    if (!(demand[i] > 0)) continue;
    if (reached[i]) { served += sweep.cellServed[i]; lack += demand[i] - sweep.cellServed[i]; } else out += demand[i];
  }
  return { demand: total, served, lackOfCapacity: lack, outOfReach: out };
}

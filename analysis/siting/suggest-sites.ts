import KDBush from 'kdbush';
import type { PreparedNetwork } from '../accessibility/analyze-access.ts';
import { EARTH_RADIUS_M, haversineMeters } from '../geo/local-projection.ts';
import type { PopulationGrid } from '../grid/population-grid.ts';
import { snapPoints, type SnappedPoints } from '../network/snap-points.ts';
import { BoundedSearch } from '../scenario/bounded-search.ts';
import { cellsByNode, type CellsByNode } from '../scenario/cells-by-node.ts';
import { alongSegmentCost, pointSeeds } from '../traveltime/snapped-point-costs.ts';
import type { CandidateSites } from './candidate-sites.ts';
import { backwardCost, forwardCost } from '../network/mode-graph.ts';

export interface SuggestSitesRequest {
  /** the mode's prepared network, or null for straight-line distance */
  prepared: PreparedNetwork | null;
  grid: PopulationGrid;
  /** per cell: cost to the nearest existing facility (e.g. `analyzeAccess(...).cost`), Infinity where none */
  baselineCost: Float64Array;
  /** in the cost unit of `baselineCost`; with `thresholdFor`, the largest per-cell threshold */
  threshold: number;
  thresholdFor?: (cell: number) => number;
  candidates: CandidateSites;
  /** how many sites to choose */
  k: number;
  /** objective per newly covered cell: population × weight.population (default 1) + aged60 × weight.aged60 (default 0) */
  weight?: { population?: number; aged60: number };
  /** cells the circle judges (1); others count for nothing, covered or not; default all */
  judged?: Uint8Array;
  /** how far a candidate may be from a road; default the prepared network's limit */
  maxSnapMeters?: number;
  /** straight-line only: cost per metre, 1 for metres (default) or 3.6 / walk km/h for seconds */
  costPerMeter?: number;
  /** per candidate cost (e.g. 万元) and the most the chosen may cost together: goal (b); ranked by gain per cost */
  cost?: Float64Array;
  budget?: number;
  /** no two chosen sites closer than this (straight line, metres); default 0. Sites stacked in one town help less than the numbers say */
  minSpacingMeters?: number;
  /** most (candidate, cell) pairs kept in memory; sets beyond it are recomputed when needed; default 8 M */
  maxStoredPairs?: number;
  onProgress?: (step: string, fraction?: number) => void;
}

export interface SuggestedSite {
  /** index into the candidates */
  candidate: number;
  id: string;
  lon: number;
  lat: number;
  /** residents newly covered by this site, given the sites chosen before it */
  gain: number;
  gainAged60: number;
  /** the objective it added: gain + aged60 weight × gainAged60 */
  score: number;
  /** its cost, when costs were given */
  cost: number | null;
  /** residents covered with this and every earlier site */
  cumulativeCovered: number;
  /** that as a share of all residents; null when there is nobody */
  cumulativeShare: number | null;
}

export interface SuggestSitesResult {
  sites: SuggestedSite[];
  /** coverage after k = 1..K sites; shorter than k when no candidate adds anyone */
  curve: Array<{ k: number; covered: number; coveredAged60: number; share: number | null }>;
  baselineCovered: number;
  baselineCoveredAged60: number;
  totalPopulation: number;
  totalAged60: number;
  /** gain evaluations (one per candidate, then one per lazy re-evaluation) */
  evaluated: number;
  /** candidates that could not join the network */
  unsnapped: number;
  /** candidates passed over for lying within minSpacingMeters of a site chosen before them */
  tooClose: number;
  /** what the chosen cost together (0 without costs), and candidates passed over for not fitting the budget left */
  spent: number;
  overBudget: number;
  ms: number;
}

/**
 * Chooses up to k new sites that maximise newly covered residents (maximal covering location) by lazy
 * greedy (CELF): each candidate's coverage set is the uncovered cells it alone would bring within their
 * threshold, costed exactly as the full run costs a facility (snap, off-network legs, either end of the
 * cell's segment or along it); gains only shrink as sites are chosen (submodular), so a stale gain is an
 * upper bound and only the top of the queue is re-evaluated. Greedy is within 1 − 1/e of the optimum.
 * Ties go to the lower candidate index.
 *
 * @example
 * const c = candidatesFromUncoveredCells(grid, base.cost, { threshold: 900 });
 * const s = suggestSites({ prepared, grid, baselineCost: base.cost, threshold: 900, candidates: c, k: 10 });
 * s.sites[0].gain; s.curve.at(-1)?.share;
 */
export function suggestSites(req: SuggestSitesRequest): SuggestSitesResult {
  const t0 = performance.now();
  const { grid, baselineCost, threshold, candidates, k, prepared } = req;
  const w = req.weight?.aged60 ?? 0;
  const wp = req.weight?.population ?? 1;
  if (!(wp >= 0) || !Number.isFinite(wp)) throw new Error(`suggestSites: weight.population must be a number >= 0, found ${wp}`);
  const progress = req.onProgress ?? (() => undefined);
  if (baselineCost.length !== grid.count) throw new Error(`suggestSites: expected ${grid.count} baseline costs (one per cell), found ${baselineCost.length}`);
  if (!(threshold > 0)) throw new Error(`suggestSites: threshold must be a positive number, found ${threshold}`);
  if (!Number.isInteger(k) || k < 0) throw new Error(`suggestSites: k must be a whole number >= 0, found ${k}`);
  if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`suggestSites: weight.aged60 must be a number >= 0, found ${w}`);
  const nc = candidates.lon.length;
  if (candidates.lat.length !== nc) throw new Error(`suggestSites: candidates have ${nc} longitudes and ${candidates.lat.length} latitudes`);
  if (candidates.ids !== undefined && candidates.ids.length !== nc) throw new Error(`suggestSites: candidates have ${nc} points and ${candidates.ids.length} ids`);
  if (prepared !== null && prepared.origins.count !== grid.count) {
    throw new Error(`suggestSites: the prepared network snapped ${prepared.origins.count} cells, the grid has ${grid.count}`);
  }
  const cost = req.cost, budget = req.budget;
  if (cost !== undefined && (cost.length !== nc || !cost.every((c) => c > 0 && Number.isFinite(c)))) throw new Error(`suggestSites: cost must hold one positive number per candidate (${nc})`);
  if (budget !== undefined && (cost === undefined || !(budget > 0))) throw new Error(`suggestSites: a budget needs per-candidate costs and must be > 0, found ${budget}`);
  const spacing = req.minSpacingMeters ?? 0;
  if (!(spacing >= 0) || !Number.isFinite(spacing)) throw new Error(`suggestSites: minSpacingMeters must be a number >= 0, found ${spacing}`);
  const costPerMeter = req.costPerMeter ?? 1;
  if (!(costPerMeter > 0)) throw new Error(`suggestSites: costPerMeter must be a positive number, found ${costPerMeter}`);

  const { limit, value, open, total, total60, covered, covered60, coverage } = siteProblem(req, wp, w, costPerMeter);

  // every candidate's set once, kept while the memory budget lasts
  const pairBudget = req.maxStoredPairs ?? 8_000_000;
  let pool = new Int32Array(Math.min(pairBudget, 1 << 16));
  let used = 0;
  const start = new Int32Array(nc).fill(-1), length = new Int32Array(nc);
  const gain = new Float64Array(nc);
  const scratch: number[] = [];
  for (let j = 0; j < nc; j++) {
    if ((j & 63) === 0) progress('coverage of each candidate', j / nc);
    scratch.length = 0;
    coverage.cellsOf(j, scratch);
    let g = 0;
    for (const i of scratch) g += value[i];
    gain[j] = g;
    if (used + scratch.length <= pairBudget) {
      if (used + scratch.length > pool.length) {
        const grown = new Int32Array(Math.min(pairBudget, Math.max(pool.length * 2, used + scratch.length)));
        grown.set(pool.subarray(0, used));
        pool = grown;
      }
      start[j] = used;
      length[j] = scratch.length;
      for (let q = 0; q < scratch.length; q++) pool[used++] = scratch[q];
    }
  }
  let evaluated = nc;
  // calls fn on every cell of candidate j's set, from memory or by searching again
  const eachCell = (j: number, fn: (i: number) => void): void => {
    if (start[j] >= 0) {
      for (let q = start[j], end = start[j] + length[j]; q < end; q++) fn(pool[q]);
    } else {
      scratch.length = 0;
      coverage.cellsOf(j, scratch);
      for (const i of scratch) fn(i);
    }
  };

  // ranked by gain, or gain per cost when costs are given (gains only shrink, so ratios do too: CELF holds)
  const key = cost ? Float64Array.from(gain, (g, j) => g / cost[j]) : gain;
  const heap = new GainHeap(key, nc);
  for (let j = 0; j < nc; j++) if (gain[j] > 0) heap.push(j);
  const fresh = new Int32Array(nc);
  const sites: SuggestedSite[] = [];
  const curve: SuggestSitesResult['curve'] = [];
  let cumulative = covered, cumulative60 = covered60;
  let tooClose = 0, spent = 0, overBudget = 0;
  while (sites.length < k && heap.size > 0) {
    progress('choosing sites', sites.length / k);
    const j = heap.pop();
    // what no longer fits the budget never will: the budget only shrinks
    if (budget !== undefined && spent + cost![j] > budget + 1e-9) { overBudget++; continue; }
    // a candidate near a chosen site stays out for good: the chosen only multiply
    if (spacing > 0 && sites.some((q) => haversineMeters(q.lon, q.lat, candidates.lon[j], candidates.lat[j]) < spacing)) { tooClose++; continue; }
    if (fresh[j] !== sites.length) {
      // stale: re-evaluate against the cells still open, and queue it again
      let g = 0;
      eachCell(j, (i) => { if (open[i]) g += value[i]; });
      gain[j] = g;
      if (cost) key[j] = g / cost[j];
      fresh[j] = sites.length;
      evaluated++;
      if (g > 0) heap.push(j);
      continue;
    }
    let pop = 0, pop60 = 0, score = 0;
    eachCell(j, (i) => {
      if (!open[i]) return;
      open[i] = 0;
      pop += grid.population[i];
      pop60 += grid.aged60[i];
      score += value[i];
    });
    cumulative += pop;
    cumulative60 += pop60;
    if (cost) spent += cost[j];
    const share = total > 0 ? cumulative / total : null;
    sites.push({
      candidate: j, id: candidates.ids?.[j] ?? String(j), lon: candidates.lon[j], lat: candidates.lat[j],
      gain: pop, gainAged60: pop60, score, cost: cost ? cost[j] : null, cumulativeCovered: cumulative, cumulativeShare: share,
    });
    curve.push({ k: sites.length, covered: cumulative, coveredAged60: cumulative60, share });
  }
  progress('choosing sites', 1);
  return {
    sites, curve, baselineCovered: covered, baselineCoveredAged60: covered60, totalPopulation: total, totalAged60: total60,
    evaluated, unsnapped: coverage.unsnapped, tooClose, spent, overBudget, ms: performance.now() - t0,
  };
}

/** What every siting question shares: per cell its threshold, objective value and whether it is still open, the totals, and each candidate's coverage. */
function siteProblem(req: SuggestSitesRequest, wp: number, w: number, costPerMeter: number) {
  const { grid, baselineCost, threshold, candidates, prepared } = req;
  // cells still worth covering: uncovered, reachable, with someone in them
  const limit = new Float64Array(grid.count);
  const value = new Float64Array(grid.count);
  const open = new Uint8Array(grid.count);
  let total = 0, total60 = 0, covered = 0, covered60 = 0;
  for (let i = 0; i < grid.count; i++) {
    const t = req.thresholdFor ? req.thresholdFor(i) : threshold;
    if (!(t <= threshold) || Number.isNaN(t)) {
      throw new Error(`suggestSites: thresholdFor(cell ${i}) is ${t}, expected a number <= threshold ${threshold}; pass the largest per-cell threshold as threshold`);
    }
    limit[i] = t;
    if (req.judged !== undefined && req.judged[i] !== 1) continue;
    total += grid.population[i];
    total60 += grid.aged60[i];
    if (baselineCost[i] <= t) { covered += grid.population[i]; covered60 += grid.aged60[i]; continue; }
    if (prepared !== null && prepared.origins.segment[i] < 0) continue;
    value[i] = wp * grid.population[i] + w * grid.aged60[i];
    if (value[i] > 0) open[i] = 1;
  }

  const coverage: Coverage = prepared !== null
    ? networkCoverage(prepared, candidates, limit, open, threshold, req.maxSnapMeters ?? prepared.maxSnapMeters)
    : straightCoverage(grid, candidates, limit, open, threshold, costPerMeter);

  return { limit, value, open, total, total60, covered, covered60, coverage };
}

/**
 * The maximal-covering problem behind `suggestSites`, for an exact solver: each candidate's set of open cells
 * (the same costs the greedy uses) and each cell's objective value.
 *
 * @example const p = coverageProblem(req); p.sets[3] // cells candidate 3 alone brings within reach
 */
export function coverageProblem(req: SuggestSitesRequest): { value: Float64Array; sets: Int32Array[]; baseline: number } {
  const wp = req.weight?.population ?? 1, w = req.weight?.aged60 ?? 0;
  const p = siteProblem(req, wp, w, req.costPerMeter ?? 1);
  const sets: Int32Array[] = [];
  const scratch: number[] = [];
  for (let j = 0; j < req.candidates.lon.length; j++) {
    scratch.length = 0;
    p.coverage.cellsOf(j, scratch);
    sets.push(Int32Array.from(scratch));
  }
  let baseline = 0;
  for (let i = 0; i < req.grid.count; i++) if ((req.judged === undefined || req.judged[i] === 1) && req.baselineCost[i] <= p.limit[i]) baseline += wp * req.grid.population[i] + w * req.grid.aged60[i];
  return { value: p.value, sets, baseline };
}

/**
 * Per point (a candidate or an existing facility), the open cells it alone brings within their threshold and
 * what each costs: the sets and costs `suggestSites` uses, for questions that need the cost too (capacity).
 * `limit[i]` is cell i's threshold (at most `threshold`); only cells with `open[i] === 1` are listed.
 *
 * @example const r = reachCosts({ prepared, grid, points: candidates, limit, open, threshold: 900 }); r.cells[3][0], r.costs[3][0]
 */
export function reachCosts(req: {
  prepared: PreparedNetwork | null; grid: PopulationGrid; points: CandidateSites; limit: Float64Array; open: Uint8Array;
  threshold: number; maxSnapMeters?: number; costPerMeter?: number;
}): { cells: Int32Array[]; costs: Float64Array[]; unsnapped: number } {
  const { prepared, grid, points, limit, open, threshold } = req;
  const coverage: Coverage = prepared !== null
    ? networkCoverage(prepared, points, limit, open, threshold, req.maxSnapMeters ?? prepared.maxSnapMeters)
    : straightCoverage(grid, points, limit, open, threshold, req.costPerMeter ?? 1);
  const cells: Int32Array[] = [], costs: Float64Array[] = [];
  const out: number[] = [], outCost: number[] = [];
  for (let j = 0; j < points.lon.length; j++) {
    out.length = 0;
    outCost.length = 0;
    coverage.cellsOf(j, out, outCost);
    cells.push(Int32Array.from(out));
    costs.push(Float64Array.from(outCost));
  }
  return { cells, costs, unsnapped: coverage.unsnapped };
}

interface Coverage {
  /** pushes the open cells candidate j alone brings within their threshold, ascending by first visit, and with `costs` what each costs */
  cellsOf(j: number, out: number[], costs?: number[]): void;
  unsnapped: number;
}

// network: a bounded Dijkstra from the candidate, then the cells on segments it reached, as originCosts costs them
function networkCoverage(
  prepared: PreparedNetwork, candidates: CandidateSites, limit: Float64Array, open: Uint8Array, threshold: number, maxSnapMeters: number,
): Coverage {
  const { graph, origins } = prepared;
  const snaps: SnappedPoints = snapPoints(graph, candidates.lon, candidates.lat, maxSnapMeters);
  const byNode: CellsByNode = cellsByNode(graph.network.nodeCount, graph.network.segA, graph.network.segB, origins, (i) => open[i] === 1);
  const search = new BoundedSearch(graph);
  const { segA, segB } = graph.network;
  const perMeter = graph.offNetworkCostPerMeter;
  const seedNode = new Int32Array(2), seedCost = new Float64Array(2), seedSource = new Int32Array(2);
  const stamp = new Uint32Array(origins.count);
  let run = 0;
  return {
    unsnapped: snaps.unsnapped,
    cellsOf(j, out, costs) {
      const sj = snaps.segment[j];
      if (sj < 0) return;
      const m = pointSeeds(graph, sj, snaps.fraction[j], snaps.offMeters[j], 0, seedNode, seedCost, seedSource, 0);
      search.run(seedNode, seedCost, seedSource, m, threshold);
      if (run === 0xffffffff) { stamp.fill(0); run = 0; }
      const r = ++run;
      const visit = (v: number) => {
        for (let q = byNode.first[v]; q < byNode.first[v + 1]; q++) {
          const i = byNode.cell[q];
          if (stamp[i] === r || !open[i]) continue;
          stamp[i] = r;
          const s = origins.segment[i], t = origins.fraction[i];
          // the expressions of originCosts with this candidate as the only facility
          let best = Infinity;
          const ca = search.cost(segA[s]), cb = search.cost(segB[s]);
          const fwd = forwardCost(graph, s), bwd = backwardCost(graph, s);
          if (fwd < Infinity && ca < Infinity) { const c = ca + t * fwd; if (c < best) best = c; }
          if (bwd < Infinity && cb < Infinity) { const c = cb + (1 - t) * bwd; if (c < best) best = c; }
          if (s === sj) { const c = alongSegmentCost(graph, s, t, snaps.fraction[j], snaps.offMeters[j]); if (c < best) best = c; }
          best += origins.offMeters[i] * perMeter;
          if (best <= threshold && best <= limit[i]) { out.push(i); costs?.push(best); }
        }
      };
      // the candidate's own segment is listed in full under its first node, reached or not
      visit(segA[sj]);
      for (let q = 0; q < search.settledCount; q++) visit(search.settled[q]);
    },
  };
}

// straight line: cells in a box around the candidate, judged by the haversine metres of straightLineAccess
function straightCoverage(
  grid: PopulationGrid, candidates: CandidateSites, limit: Float64Array, open: Uint8Array, threshold: number, costPerMeter: number,
): Coverage {
  const cells: number[] = [];
  for (let i = 0; i < grid.count; i++) if (open[i]) cells.push(i);
  const index = new KDBush(Math.max(1, cells.length));
  for (const i of cells) index.add(grid.originLon[i], grid.originLat[i]);
  if (cells.length === 0) index.add(0, 0);
  index.finish();
  const maxMeters = threshold / costPerMeter;
  const dLat = ((maxMeters * 1.001 + 1) / EARTH_RADIUS_M) * (180 / Math.PI);
  return {
    unsnapped: 0,
    cellsOf(j, out, costs) {
      if (cells.length === 0) return;
      const lon = candidates.lon[j], lat = candidates.lat[j];
      const dLon = dLat / Math.max(Math.cos((Math.min(89, Math.abs(lat) + dLat) * Math.PI) / 180), 1e-6);
      const hits = index.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat).sort((a, b) => a - b);
      for (const h of hits) {
        const i = cells[h];
        const d = haversineMeters(grid.originLon[i], grid.originLat[i], lon, lat);
        // as analyzeAccess: within the metres limit, then the cost in the threshold's unit
        const c = costPerMeter !== 1 ? d * costPerMeter : d;
        if (d <= maxMeters && c <= limit[i]) { out.push(i); costs?.push(c); }
      }
    },
  };
}

// max-heap of candidates by gain, ties to the lower index; a candidate's gain changes only while it is out
class GainHeap {
  private readonly ids: Int32Array;
  size = 0;
  constructor(private readonly gain: Float64Array, capacity: number) {
    this.ids = new Int32Array(Math.max(1, capacity));
  }
  private above(a: number, b: number): boolean {
    const ga = this.gain[a], gb = this.gain[b];
    return ga > gb || (ga === gb && a < b);
  }
  push(j: number): void {
    const ids = this.ids;
    let pos = this.size++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!this.above(j, ids[parent])) break;
      ids[pos] = ids[parent];
      pos = parent;
    }
    ids[pos] = j;
  }
  pop(): number {
    const ids = this.ids;
    const top = ids[0];
    const last = --this.size;
    if (last > 0) {
      const j = ids[last];
      let pos = 0;
      for (;;) {
        let child = 2 * pos + 1;
        if (child >= last) break;
        if (child + 1 < last && this.above(ids[child + 1], ids[child])) child++;
        if (!this.above(ids[child], j)) break;
        ids[pos] = ids[child];
        pos = child;
      }
      ids[pos] = j;
    }
    return top;
  }
}

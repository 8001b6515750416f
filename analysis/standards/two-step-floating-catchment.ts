import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { PreparedNetwork } from '../accessibility/analyze-access.ts';
import { haversineMeters } from '../geo/local-projection.ts';
import type { SnappedPoints } from '../network/snap-points.ts';
import { snapPoints } from '../network/snap-points.ts';
import { multiSourceDijkstra } from '../traveltime/multi-source-dijkstra.ts';
import { facilitySeeds, originCosts } from '../traveltime/network-access.ts';

/**
 * Distance decay inside a catchment of size d0:
 * - `none`: plain 2SFCA (Luo & Wang 2003), weight 1 up to d0;
 * - `gaussian`: Dai (2010), w = (e^(-½(d/d0)²) − e^(-½)) / (1 − e^(-½)), 1 at d = 0 and 0 at d0;
 * - `steps`: E2SFCA (Luo & Qi 2009), weight `weights[k]` for d ≤ `breaks[k]`·d0 (breaks as fractions of d0,
 *   ascending, the last 1); Luo & Qi's zone weights are 1, 0.68, 0.22 for thirds of d0.
 */
export type Decay =
  | { kind: 'none' }
  | { kind: 'gaussian' }
  | { kind: 'steps'; breaks: number[]; weights: number[] };

export const E2SFCA_STEPS: Decay = { kind: 'steps', breaks: [1 / 3, 2 / 3, 1], weights: [1, 0.68, 0.22] };

/**
 * Supplier → cell travel costs within a catchment, in compressed rows: facility j reaches cells
 * `cell[start[j]..start[j+1]]` at costs `cost[...]` (seconds or metres, all ≤ threshold).
 */
export interface SupplyCosts {
  readonly facilityCount: number;
  readonly cellCount: number;
  readonly threshold: number;
  readonly start: Int32Array;
  readonly cell: Int32Array;
  readonly cost: Float64Array;
}

export interface CatchmentAccess {
  /** per facility: supply per unit of (weighted) demand in its catchment; 0 where its catchment holds no demand */
  readonly ratio: Float64Array;
  /** per facility: weighted demand in its catchment */
  readonly demand: Float64Array;
  /** per cell: supply accessible per resident (sum of reachable ratios, weighted) */
  readonly access: Float64Array;
}

const EXP_HALF = Math.exp(-0.5);

/**
 * Weight of a supplier at `cost` within a catchment of `threshold`; 0 beyond it.
 *
 * @example decayWeight({ kind: 'gaussian' }, 0, 900) // 1
 */
export function decayWeight(decay: Decay, cost: number, threshold: number): number {
  if (!(cost <= threshold)) return 0;
  if (decay.kind === 'none') return 1;
  if (decay.kind === 'gaussian') {
    const r = cost / threshold;
    return Math.max(0, (Math.exp(-0.5 * r * r) - EXP_HALF) / (1 - EXP_HALF));
  }
  for (let k = 0; k < decay.breaks.length; k++) if (cost <= decay.breaks[k] * threshold) return decay.weights[k];
  return 0;
}

/**
 * Checks a decay's shape so a bad config fails at load, not as NaN in a report.
 *
 * @example checkDecay({ kind: 'steps', breaks: [0.5, 1], weights: [1, 0.5] }, 'plan.json: decay')
 */
export function checkDecay(decay: unknown, source = 'decay'): Decay {
  const d = decay as { kind?: unknown; breaks?: unknown; weights?: unknown };
  if (d === null || typeof d !== 'object' || !['none', 'gaussian', 'steps'].includes(d.kind as string)) {
    throw new Error(`${source}: expected {"kind": "none" | "gaussian" | "steps"}, found ${JSON.stringify(decay)}`);
  }
  for (const key of Object.keys(d)) {
    if (!['kind', 'breaks', 'weights'].includes(key) || (d.kind !== 'steps' && key !== 'kind')) {
      throw new Error(`${source}: unknown key "${key}" for decay kind ${String(d.kind)}; expected kind${d.kind === 'steps' ? ', breaks, weights' : ''}`);
    }
  }
  if (d.kind !== 'steps') return { kind: d.kind as 'none' | 'gaussian' };
  const { breaks, weights } = d;
  const numbers = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0);
  if (!numbers(breaks) || !numbers(weights) || (breaks as number[]).length !== (weights as number[]).length) {
    throw new Error(`${source}: steps need "breaks" and "weights", two equally long arrays of numbers >= 0, found ${JSON.stringify(breaks)} and ${JSON.stringify(weights)}`);
  }
  const b = breaks as number[];
  for (let k = 1; k < b.length; k++) if (!(b[k] > b[k - 1])) throw new Error(`${source}: breaks must ascend, found ${JSON.stringify(b)}`);
  if (b[b.length - 1] !== 1) throw new Error(`${source}: the last break must be 1 (the whole catchment), found ${b[b.length - 1]}`);
  return { kind: 'steps', breaks: [...b], weights: [...(weights as number[])] };
}

/**
 * Two-step floating catchment: each facility's supply is shared among the (decay-weighted) demand it can
 * reach (step 1), and each cell sums the shares of the facilities it can reach (step 2). Supply that is NaN
 * (unknown capacity) counts as 0. With no decay and every demand cell in some catchment, Σ access·demand
 * equals the total supply of facilities that have demand: the measure only redistributes.
 *
 * @example
 * const costs = supplyCostsFromStraightLine(fac.lon, fac.lat, grid.originLon, grid.originLat, 1000);
 * const { access } = twoStepFloatingCatchment(costs, fac.capacity, grid.population, { decay: { kind: 'gaussian' } });
 */
export function twoStepFloatingCatchment(
  costs: SupplyCosts, supply: ArrayLike<number>, demand: ArrayLike<number>, options: { decay?: Decay } = {},
): CatchmentAccess {
  const decay = options.decay ?? { kind: 'none' };
  const { facilityCount, cellCount, start, cell, cost, threshold } = costs;
  if (supply.length !== facilityCount) throw new Error(`2SFCA: expected ${facilityCount} supply values (one per facility), found ${supply.length}`);
  if (demand.length !== cellCount) throw new Error(`2SFCA: expected ${cellCount} demand values (one per cell), found ${demand.length}`);
  // weights once, shared by both steps
  const weight = new Float64Array(cost.length);
  for (let k = 0; k < cost.length; k++) weight[k] = decayWeight(decay, cost[k], threshold);
  const ratio = new Float64Array(facilityCount);
  const reached = new Float64Array(facilityCount);
  for (let j = 0; j < facilityCount; j++) {
    let d = 0;
    for (let k = start[j], end = start[j + 1]; k < end; k++) d += demand[cell[k]] * weight[k];
    reached[j] = d;
    const s = supply[j];
    ratio[j] = d > 0 && Number.isFinite(s) && s > 0 ? s / d : 0;
  }
  const access = new Float64Array(cellCount);
  for (let j = 0; j < facilityCount; j++) {
    const r = ratio[j];
    if (r === 0) continue;
    for (let k = start[j], end = start[j + 1]; k < end; k++) access[cell[k]] += r * weight[k];
  }
  return { ratio, demand: reached, access };
}

// growable column buffers for the compressed rows
class RowBuilder {
  cell = new Int32Array(1024);
  cost = new Float64Array(1024);
  size = 0;
  start: Int32Array;
  constructor(facilities: number) {
    this.start = new Int32Array(facilities + 1);
  }
  push(c: number, v: number): void {
    if (this.size === this.cell.length) {
      const cell = new Int32Array(this.size * 2), cost = new Float64Array(this.size * 2);
      cell.set(this.cell);
      cost.set(this.cost);
      this.cell = cell;
      this.cost = cost;
    }
    this.cell[this.size] = c;
    this.cost[this.size++] = v;
  }
  endRow(j: number): void {
    this.start[j + 1] = this.size;
  }
  finish(cellCount: number, threshold: number): SupplyCosts {
    return {
      facilityCount: this.start.length - 1, cellCount, threshold, start: this.start,
      cell: this.cell.slice(0, this.size), cost: this.cost.slice(0, this.size),
    };
  }
}

/**
 * Straight-line costs from each facility to every cell within `maxMeters` (great-circle metres, times
 * `costPerMeter` when a time is wanted, e.g. 3.6 / km/h for seconds).
 *
 * @example const costs = supplyCostsFromStraightLine(fac.lon, fac.lat, grid.originLon, grid.originLat, 1000);
 */
export function supplyCostsFromStraightLine(
  facilityLon: ArrayLike<number>, facilityLat: ArrayLike<number>, cellLon: ArrayLike<number>, cellLat: ArrayLike<number>,
  maxMeters: number, costPerMeter = 1,
): SupplyCosts {
  const nf = facilityLon.length, nc = cellLon.length;
  const rows = new RowBuilder(nf);
  if (nc === 0) {
    for (let j = 0; j < nf; j++) rows.endRow(j);
    return rows.finish(nc, maxMeters * costPerMeter);
  }
  const index = new KDBush(nc);
  for (let i = 0; i < nc; i++) index.add(cellLon[i], cellLat[i]);
  index.finish();
  // geokdbush's earth radius differs from ours in the 6th digit: widen its limit a hair, judge with ours
  const maxKm = (maxMeters / 1000) * 1.00001;
  for (let j = 0; j < nf; j++) {
    const hits = around(index, facilityLon[j], facilityLat[j], Infinity, maxKm) as number[];
    hits.sort((a, b) => a - b);
    for (const i of hits) {
      const d = haversineMeters(facilityLon[j], facilityLat[j], cellLon[i], cellLat[i]);
      if (d <= maxMeters) rows.push(i, d * costPerMeter);
    }
    rows.endRow(j);
  }
  return rows.finish(nc, maxMeters * costPerMeter);
}

/**
 * Network costs from each facility to every snapped cell within `cutoff`, one bounded Dijkstra per
 * facility over a prepared mode graph (the same costing as `analyzeAccess`, so a cell's cheapest entry
 * equals its nearest-facility cost). Facilities that cannot join the network reach nothing.
 *
 * @example
 * const prepared = prepareNetwork(network, grid, 'car', 'time');
 * const costs = supplyCostsOnNetwork(prepared, homes.lon, homes.lat, 1800);
 */
export function supplyCostsOnNetwork(
  prepared: PreparedNetwork, facilityLon: ArrayLike<number>, facilityLat: ArrayLike<number>, cutoff: number,
  onProgress?: (fraction: number) => void,
): SupplyCosts {
  const { graph, origins } = prepared;
  const nf = facilityLon.length;
  const snaps = snapPoints(graph, facilityLon, facilityLat, prepared.maxSnapMeters);
  const rows = new RowBuilder(nf);
  for (let j = 0; j < nf; j++) {
    onProgress?.(j / nf);
    if (snaps.segment[j] >= 0) {
      const single: SnappedPoints = {
        count: 1, unsnapped: 0,
        segment: snaps.segment.subarray(j, j + 1), fraction: snaps.fraction.subarray(j, j + 1), offMeters: snaps.offMeters.subarray(j, j + 1),
      };
      const nodes = multiSourceDijkstra(graph, facilitySeeds(graph, single), cutoff);
      const { cost } = originCosts(graph, nodes, origins, single, cutoff);
      for (let i = 0; i < cost.length; i++) if (cost[i] <= cutoff) rows.push(i, cost[i]);
    }
    rows.endRow(j);
  }
  return rows.finish(origins.count, cutoff);
}

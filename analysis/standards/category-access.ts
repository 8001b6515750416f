import { analyzeAccess, prepareNetwork, type PreparedNetwork } from '../accessibility/analyze-access.ts';
import { filterFacilities, type FacilitySet } from '../facilities/facility-set.ts';
import type { PopulationGrid } from '../grid/population-grid.ts';
import type { RoadNetwork } from '../network/road-network.ts';
import { defaultSpeedTable, type Mode, type SpeedTable } from '../network/speed-table.ts';
import { reachThreshold, type Reach } from './presets.ts';

export interface CategoryAccessInput {
  grid: PopulationGrid;
  facilities: FacilitySet;
  /** needed for every mode but straight */
  network?: RoadNetwork;
  speeds?: SpeedTable;
  maxSnapMeters?: number;
  minIslandNodes?: number;
  onProgress?: (step: string, fraction?: number) => void;
}

/**
 * Nearest-facility costs per category and reach, each category routed once per mode and cost kind (at the
 * largest threshold planned for it) and reused by every circle that names it.
 */
export interface CategoryAccess {
  /** per cell: cost to the nearest facility of any of `categories` under `reach`; Infinity beyond its threshold */
  nearest(categories: readonly string[], reach: Reach): Float64Array;
  /** per cell: 1 where the cell cannot join the reach's network (farther than the snap limit) */
  unreachable(reach: Reach): Uint8Array;
  /** the mode graph with the cells snapped, or null for straight-line reaches */
  prepared(reach: Reach): PreparedNetwork | null;
  /** how many facilities a category has */
  facilityCount(category: string): number;
  /** registers thresholds to come, so each category is routed once at the largest */
  plan(reaches: readonly Reach[]): void;
  /** ids of facilities that could not join a network, by mode */
  readonly unsnapped: Map<string, Set<string>>;
}

/**
 * Builds the shared nearest-cost cache over one grid and facility set.
 *
 * @example
 * const access = createCategoryAccess({ grid, facilities, network });
 * const cost = access.nearest(['kindergarten'], { mode: 'walk', minutes: 5 });
 */
export function createCategoryAccess(input: CategoryAccessInput): CategoryAccess {
  const { grid, facilities } = input;
  const speeds = input.speeds ?? defaultSpeedTable();
  const progress = input.onProgress ?? (() => undefined);
  const byCategory = new Map<string, number[]>();
  for (let i = 0; i < facilities.count; i++) {
    const list = byCategory.get(facilities.category[i]);
    if (list) list.push(i); else byCategory.set(facilities.category[i], [i]);
  }
  const subsets = new Map<string, FacilitySet>();
  const subset = (category: string): FacilitySet => {
    let s = subsets.get(category);
    if (!s) {
      const members = new Set(byCategory.get(category) ?? []);
      s = filterFacilities(facilities, (i) => members.has(i));
      subsets.set(category, s);
    }
    return s;
  };
  const networks = new Map<string, PreparedNetwork>();
  const cutoffs = new Map<string, number>();
  const cache = new Map<string, { cutoff: number; cost: Float64Array }>();
  const unsnapped = new Map<string, Set<string>>();
  const kindKey = (reach: Reach) => `${reach.mode}|${reachThreshold(reach).costKind}`;

  const preparedFor = (reach: Reach): PreparedNetwork | null => {
    if (reach.mode === 'straight') return null;
    const key = kindKey(reach);
    let p = networks.get(key);
    if (!p) {
      if (input.network === undefined) throw new Error(`reach ${reach.mode} needs a road network (--roads), or use mode straight`);
      progress(`preparing the ${reach.mode} network`);
      p = prepareNetwork(input.network, grid, reach.mode as Mode, reachThreshold(reach).costKind, {
        speeds, maxSnapMeters: input.maxSnapMeters, minIslandNodes: input.minIslandNodes, onProgress: progress,
      });
      networks.set(key, p);
    }
    return p;
  };

  const categoryCost = (category: string, reach: Reach, threshold: number): Float64Array => {
    const key = `${kindKey(reach)}|${category}`;
    const hit = cache.get(key);
    if (hit && hit.cutoff >= threshold) return hit.cost;
    const cutoff = Math.max(threshold, cutoffs.get(kindKey(reach)) ?? 0);
    const set = subset(category);
    let cost: Float64Array;
    if (set.count === 0) {
      cost = new Float64Array(grid.count).fill(Infinity);
    } else {
      progress(`routing ${reach.mode} (${reachThreshold(reach).costKind})`);
      const { costKind } = reachThreshold(reach);
      const r = analyzeAccess({
        grid, facilities: set, mode: reach.mode, speeds, prepared: preparedFor(reach) ?? undefined,
        maxSnapMeters: input.maxSnapMeters, ...(costKind === 'time' ? { minutes: cutoff / 60 } : { meters: cutoff }),
      });
      cost = r.cost;
      if (r.unsnappedFacilities.length > 0) {
        const s = unsnapped.get(reach.mode) ?? new Set<string>();
        for (const id of r.unsnappedFacilities) s.add(id);
        unsnapped.set(reach.mode, s);
      }
    }
    cache.set(key, { cutoff, cost });
    return cost;
  };

  return {
    unsnapped,
    plan(reaches) {
      for (const r of reaches) {
        const key = kindKey(r), t = reachThreshold(r).threshold;
        if (t > (cutoffs.get(key) ?? 0)) cutoffs.set(key, t);
      }
    },
    nearest(categories, reach) {
      const { threshold } = reachThreshold(reach);
      const out = new Float64Array(grid.count).fill(Infinity);
      for (const category of new Set(categories)) {
        const cost = categoryCost(category, reach, threshold);
        for (let i = 0; i < out.length; i++) if (cost[i] < out[i]) out[i] = cost[i];
      }
      // costs were routed at a larger cut-off: apply this reach's own
      for (let i = 0; i < out.length; i++) if (out[i] > threshold) out[i] = Infinity;
      return out;
    },
    unreachable(reach) {
      const p = preparedFor(reach);
      const out = new Uint8Array(grid.count);
      if (p) for (let i = 0; i < grid.count; i++) if (p.origins.segment[i] < 0) out[i] = 1;
      return out;
    },
    prepared: preparedFor,
    facilityCount: (category) => byCategory.get(category)?.length ?? 0,
  };
}

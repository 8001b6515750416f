import { summarizeCoverage, type CoverageSummary } from '../coverage/coverage-summary.ts';
import { RURAL, URBAN, UNKNOWN_CLASS, type PopulationGrid } from '../grid/population-grid.ts';
import type { CategoryAccess } from './category-access.ts';
import { cellsWhere, pickCells, subsetGrid } from './grid-subset.ts';
import { reachThreshold, type CirclePreset, type Reach, type ServiceGroup } from './presets.ts';

/** Which side of a dual rule judged a cell. */
export const NOT_ASSESSED = 0;
export const JUDGED_URBAN = URBAN;
export const JUDGED_RURAL = RURAL;

export interface CircleCoverage {
  preset: CirclePreset;
  /** share of the group that must be covered */
  coverageTarget: number;
  /** per cell: JUDGED_URBAN, JUDGED_RURAL or NOT_ASSESSED */
  side: Uint8Array;
  /**
   * per cell: the cost that decides it, in its side's unit (seconds or metres): the farthest service group for
   * `every`, the nearest for `any`; Infinity beyond the side's threshold
   */
  cost: Float64Array;
  /** per cell: 1 when assessed and covered */
  covered: Uint8Array;
  /** coverage of the assessed cells only: totals, per unit and per class */
  summary: CoverageSummary;
  /** the same per service group, to say which service is missing */
  services: Array<{ group: ServiceGroup; facilities: number; summary: CoverageSummary }>;
}

/**
 * Judges one circle over a grid: each assessed cell by its class's reach (urban and rural thresholds in one
 * pass), covered when every service group (or any, per `require`) has a facility within that reach.
 *
 * @example
 * const r = evaluateCircle(elderly, grid, access, { coverageTarget: 0.9, unknownClassAs: 'rural' });
 * r.summary.aged60?.uncovered;
 */
export function evaluateCircle(
  preset: CirclePreset, grid: PopulationGrid, access: CategoryAccess,
  options: { coverageTarget: number; unknownClassAs: 'urban' | 'rural' },
): CircleCoverage {
  const side = new Uint8Array(grid.count);
  const unknownSide = options.unknownClassAs === 'urban' ? URBAN : RURAL;
  for (let c = 0; c < grid.count; c++) {
    const cls = grid.urbanClass[c] === UNKNOWN_CLASS ? unknownSide : grid.urbanClass[c];
    const reach = cls === URBAN ? preset.urban : preset.rural;
    side[c] = reach ? cls : NOT_ASSESSED;
  }
  const reaches: Array<[number, Reach]> = [];
  if (preset.urban) reaches.push([URBAN, preset.urban]);
  if (preset.rural) reaches.push([RURAL, preset.rural]);
  // per group: the cost of each cell under its own side's reach
  const groupCost = preset.services.map(() => new Float64Array(grid.count).fill(Infinity));
  const unreachable = new Uint8Array(grid.count);
  const limit = new Float64Array(grid.count).fill(-1);
  for (const [cls, reach] of reaches) {
    const { threshold } = reachThreshold(reach);
    const off = access.unreachable(reach);
    for (let c = 0; c < grid.count; c++) {
      if (side[c] !== cls) continue;
      limit[c] = threshold;
      unreachable[c] = off[c];
    }
    preset.services.forEach((group, g) => {
      const cost = access.nearest(group.categories, reach);
      const out = groupCost[g];
      for (let c = 0; c < grid.count; c++) if (side[c] === cls) out[c] = cost[c];
    });
  }
  const cost = new Float64Array(grid.count).fill(Infinity);
  for (let c = 0; c < grid.count; c++) {
    if (side[c] === NOT_ASSESSED) continue;
    let v = preset.require === 'every' ? -Infinity : Infinity;
    for (const g of groupCost) v = preset.require === 'every' ? Math.max(v, g[c]) : Math.min(v, g[c]);
    cost[c] = v;
  }
  const covered = new Uint8Array(grid.count);
  for (let c = 0; c < grid.count; c++) if (side[c] !== NOT_ASSESSED && cost[c] <= limit[c]) covered[c] = 1;

  const cells = cellsWhere(grid, (c) => side[c] !== NOT_ASSESSED);
  const sub = subsetGrid(grid, cells);
  const subLimit = pickCells(limit, cells);
  const subUnreachable = pickCells(unreachable, cells);
  const summarize = (values: Float64Array) =>
    summarizeCoverage(sub, pickCells(values, cells), reachThreshold((preset.urban ?? preset.rural)!).threshold, {
      unreachable: subUnreachable, thresholdFor: (k) => subLimit[k],
    });
  const categoryCount = (group: ServiceGroup) => group.categories.reduce((n, c) => n + access.facilityCount(c), 0);
  return {
    preset,
    coverageTarget: preset.coverageTarget ?? options.coverageTarget,
    side, cost, covered,
    summary: summarize(cost),
    services: preset.services.map((group, g) => ({ group, facilities: categoryCount(group), summary: summarize(groupCost[g]) })),
  };
}

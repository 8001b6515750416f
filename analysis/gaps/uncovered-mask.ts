import { RURAL, URBAN, type PopulationGrid } from '../grid/population-grid.ts';

/** The part of an access result the mask reads: per populated cell, cost and (optionally) the off-road flag. */
export interface CellCosts {
  cost: Float64Array;
  /** 1 where the cell could not join the network at all */
  unreachable?: Uint8Array;
}

export interface UncoveredMaskOptions {
  /** count cells too far from any road as uncovered; default true, as the coverage summary does */
  includeUnreachable?: boolean;
}

/**
 * 1 for every populated cell that is not covered: its cost is above its threshold (Infinity and NaN included).
 * A cell is covered when cost <= threshold, the same rule as `summarizeCoverage`, so the mask's residents are
 * the summary's uncovered residents. `threshold` is one number, or one per cell (see `thresholdsByClass`).
 *
 * @example
 * const mask = uncoveredMask(access, access.threshold);
 * const mixed = uncoveredMask(access, thresholdsByClass(grid, { urban: 900, rural: 5400 }));
 */
export function uncoveredMask(access: CellCosts, threshold: number | ArrayLike<number>, options: UncoveredMaskOptions = {}): Uint8Array {
  const n = access.cost.length;
  const perCell = typeof threshold !== 'number';
  if (perCell && threshold.length !== n) {
    throw new Error(`uncovered mask: ${threshold.length} thresholds for ${n} cells; expected one per cell`);
  }
  if (!perCell && Number.isNaN(threshold)) throw new Error('uncovered mask: threshold must be a number, found NaN');
  if (access.unreachable && access.unreachable.length !== n) {
    throw new Error(`uncovered mask: unreachable has ${access.unreachable.length} entries for ${n} cells`);
  }
  const includeUnreachable = options.includeUnreachable ?? true;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const limit = perCell ? threshold[i] : threshold;
    if (access.cost[i] <= limit) continue;
    if (!includeUnreachable && access.unreachable?.[i] === 1) continue;
    mask[i] = 1;
  }
  return mask;
}

/**
 * One threshold per cell from its urban/rural class, for circles that switch by zone type in one run
 * (都市15分钟、乡村1.5小时). Cells of unknown class take `unknown`, which defaults to the stricter (smaller) of
 * the two, so a missing class never hides a gap.
 *
 * @example
 * thresholdsByClass(grid, { urban: 15 * 60, rural: 90 * 60 });
 */
export function thresholdsByClass(
  grid: Pick<PopulationGrid, 'count' | 'urbanClass'>, thresholds: { urban: number; rural: number; unknown?: number },
): Float64Array {
  const { urban, rural } = thresholds;
  const unknown = thresholds.unknown ?? Math.min(urban, rural);
  for (const [name, v] of [['urban', urban], ['rural', rural], ['unknown', unknown]] as const) {
    if (!(v > 0)) throw new Error(`thresholds by class: ${name} must be a positive number, found ${v}`);
  }
  const out = new Float64Array(grid.count);
  for (let i = 0; i < grid.count; i++) {
    const c = grid.urbanClass[i];
    out[i] = c === URBAN ? urban : c === RURAL ? rural : unknown;
  }
  return out;
}

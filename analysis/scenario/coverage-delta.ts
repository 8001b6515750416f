import type { CoverageRow, CoverageSummary } from '../coverage/coverage-summary.ts';
import type { PopulationGrid } from '../grid/population-grid.ts';

/** Covered residents before and after a scenario, and the cells that switched either way. */
export interface CoverageChange {
  before: number;
  after: number;
  change: number;
  newlyCovered: number;
  newlyUncovered: number;
}

export interface UnitChange {
  population: CoverageChange;
  /** null when the grid has no age data */
  aged60: CoverageChange | null;
}

export interface ScenarioDelta {
  total: UnitChange;
  byUnit: Array<UnitChange & { index: number; name: string; code: string }>;
  /** cells outside every unit, when units were given */
  outsideUnits: UnitChange | null;
  /** cells whose cost or nearest facility changed */
  changedCells: number;
}

/**
 * What a scenario changed: covered residents (all and 60+) before and after, in total, per unit and outside
 * every unit, with the residents of the cells that switched either way. Only `cells` (the changed ones, with
 * their new costs) are visited; `limit` is each cell's threshold.
 *
 * @example const d = coverageDelta(grid, baseSummary, newSummary, limit, baseCost, changed, changedCost);
 */
export function coverageDelta(
grid: PopulationGrid, before: CoverageSummary, after: CoverageSummary, limit: Float64Array,
beforeCost: Float64Array, cells: Int32Array, cellCost: Float64Array,
): ScenarioDelta {
  const units = grid.unitNames.length;
  // newly covered / uncovered, all and 60+, per unit; the last row is "outside every unit"
  const gain = new Float64Array(units + 1), loss = new Float64Array(units + 1);
  const gain60 = new Float64Array(units + 1), loss60 = new Float64Array(units + 1);
  let g = 0, l = 0, g60 = 0, l60 = 0;
  for (let k = 0; k < cells.length; k++) {
    const i = cells[k];
    const was = beforeCost[i] <= limit[i], now = cellCost[k] <= limit[i];
    if (was === now) continue;
    const u = grid.unit[i] >= 0 ? grid.unit[i] : units;
    if (now) { gain[u] += grid.population[i]; gain60[u] += grid.aged60[i]; g += grid.population[i]; g60 += grid.aged60[i]; }
    else { loss[u] += grid.population[i]; loss60[u] += grid.aged60[i]; l += grid.population[i]; l60 += grid.aged60[i]; }
  }
  const change = (b: number, a: number, gained: number, lost: number): CoverageChange => ({
    before: b, after: a, change: a - b, newlyCovered: gained, newlyUncovered: lost,
  });
  const row = (b: CoverageRow, a: CoverageRow, u: number): UnitChange => ({
    population: change(b.population.covered, a.population.covered, gain[u], loss[u]),
    aged60: b.aged60 && a.aged60 ? change(b.aged60.covered, a.aged60.covered, gain60[u], loss60[u]) : null,
  });
  return {
    total: {
      population: change(before.population.covered, after.population.covered, g, l),
      aged60: before.aged60 && after.aged60 ? change(before.aged60.covered, after.aged60.covered, g60, l60) : null,
    },
    byUnit: after.byUnit.map((a, u) => ({ index: a.index, name: a.name, code: a.code, ...row(before.byUnit[u], a, u) })),
    outsideUnits: before.outsideUnits && after.outsideUnits ? row(before.outsideUnits, after.outsideUnits, units) : null,
    changedCells: cells.length,
  };
}

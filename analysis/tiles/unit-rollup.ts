import type { CoverageSummary } from '../coverage/coverage-summary.ts';

/** One county's line of a region run. */
export interface UnitRollup {
  /** index into the grid's unitNames; -1 for the cells outside every unit */
  readonly unit: number;
  readonly name: string;
  readonly code: string;
  readonly cells: number;
  readonly population: number;
  readonly covered: number;
  /** covered / population, 0..1; null where nobody lives */
  readonly share: number | null;
}

/**
 * Residents and covered residents per unit, read off the run's summary: the one tally that counts each cell
 * once (`tallyCoverage`), so a tiled run's counties add up to its region.
 *
 * @example unitRollup(result.summary).find((r) => r.name === '岳池县')?.share
 */
export function unitRollup(summary: CoverageSummary): UnitRollup[] {
  const rows: UnitRollup[] = summary.byUnit.map((u) => ({
    unit: u.index, name: u.name, code: u.code, cells: u.cells,
    population: u.population.total, covered: u.population.covered, share: u.population.coveredShare,
  }));
  const out = summary.outsideUnits;
  if (out !== null && out.cells > 0) {
    rows.push({ unit: -1, name: '(outside every unit)', code: '', cells: out.cells, population: out.population.total, covered: out.population.covered, share: out.population.coveredShare });
  }
  return rows;
}

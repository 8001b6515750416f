import { RURAL, URBAN, type PopulationGrid } from '../grid/population-grid.ts';

export interface PopulationCount {
  total: number;
  covered: number;
  uncovered: number;
  /** share covered, 0..1; null when there is nobody */
  coveredShare: number | null;
}

export interface CoverageRow {
  population: PopulationCount;
  /** null when the grid has no age data */
  aged60: PopulationCount | null;
  /** residents whose cell could not join the network at all (farther than the snap limit) */
  unreachable: number;
  cells: number;
}

export interface CoverageSummary extends CoverageRow {
  threshold: number;
  byUnit: Array<CoverageRow & { index: number; name: string; code: string }>;
  /** cells outside every unit, when units were given */
  outsideUnits: CoverageRow | null;
  byClass: { urban: CoverageRow; rural: CoverageRow; unknown: CoverageRow };
}

class Tally {
  total = 0; covered = 0; total60 = 0; covered60 = 0; unreachable = 0; cells = 0;
  add(pop: number, pop60: number, covered: boolean, unreachable: boolean): void {
    this.total += pop; this.total60 += pop60; this.cells++;
    if (covered) { this.covered += pop; this.covered60 += pop60; }
    if (unreachable) this.unreachable += pop;
  }
  row(hasAged60: boolean): CoverageRow {
    const count = (total: number, covered: number): PopulationCount => ({
      total, covered, uncovered: total - covered, coveredShare: total > 0 ? covered / total : null,
    });
    return {
      population: count(this.total, this.covered),
      aged60: hasAged60 ? count(this.total60, this.covered60) : null,
      unreachable: this.unreachable,
      cells: this.cells,
    };
  }
}

/**
 * Covered and uncovered residents (all and aged 60+) for a threshold, for the whole grid, per admin unit and
 * per urban/rural class. A cell is covered when its cost is <= its threshold; `thresholdFor` lets urban and
 * rural cells use different thresholds in one pass.
 *
 * @example
 * const s = summarizeCoverage(grid, cost, 900);
 * s.population.covered; s.byUnit[0].aged60?.uncovered;
 */
export function summarizeCoverage(
  grid: PopulationGrid, cost: Float64Array, threshold: number,
  options: { unreachable?: Uint8Array; thresholdFor?: (cell: number) => number } = {},
): CoverageSummary {
  if (cost.length !== grid.count) throw new Error(`coverage: ${cost.length} costs for ${grid.count} cells`);
  const all = new Tally(), urban = new Tally(), rural = new Tally(), unknown = new Tally(), outside = new Tally();
  const units = grid.unitNames.map(() => new Tally());
  for (let i = 0; i < grid.count; i++) {
    const limit = options.thresholdFor ? options.thresholdFor(i) : threshold;
    const covered = cost[i] <= limit;
    const unreachable = options.unreachable !== undefined && options.unreachable[i] === 1;
    const p = grid.population[i], p60 = grid.aged60[i];
    all.add(p, p60, covered, unreachable);
    (grid.urbanClass[i] === URBAN ? urban : grid.urbanClass[i] === RURAL ? rural : unknown).add(p, p60, covered, unreachable);
    const u = grid.unit[i];
    (u >= 0 ? units[u] : outside).add(p, p60, covered, unreachable);
  }
  const h = grid.hasAged60;
  return {
    threshold,
    ...all.row(h),
    byUnit: units.map((t, index) => ({ index, name: grid.unitNames[index], code: grid.unitCodes[index] ?? '', ...t.row(h) })),
    outsideUnits: grid.unitNames.length > 0 ? outside.row(h) : null,
    byClass: { urban: urban.row(h), rural: rural.row(h), unknown: unknown.row(h) },
  };
}

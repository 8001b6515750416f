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

// per row: total, covered, total 60+, covered 60+, unreachable, cells
const FIELDS = 6;

function add(t: Float64Array, r: number, p: number, p60: number, lost: number, covered: boolean): void {
  const o = r * FIELDS;
  t[o] += p; t[o + 2] += p60; t[o + 4] += lost; t[o + 5]++;
  if (covered) { t[o + 1] += p; t[o + 3] += p60; }
}

function rowOf(t: Float64Array, r: number, hasAged60: boolean): CoverageRow {
  const o = r * FIELDS;
  const count = (total: number, covered: number): PopulationCount => ({
    total, covered, uncovered: total - covered, coveredShare: total > 0 ? covered / total : null,
  });
  return {
    population: count(t[o], t[o + 1]),
    aged60: hasAged60 ? count(t[o + 2], t[o + 3]) : null,
    unreachable: t[o + 4],
    cells: t[o + 5],
  };
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
  const covered = new Uint8Array(grid.count);
  for (let i = 0; i < grid.count; i++) if (cost[i] <= (options.thresholdFor ? options.thresholdFor(i) : threshold)) covered[i] = 1;
  return { threshold, ...tallyCoverage(grid, covered, { unreachable: options.unreachable }) };
}

/**
 * The same tally from a covered flag per cell, over the cells `include` marks (default all): the one place
 * residents are counted covered or not, for plain runs and for circles.
 *
 * @example tallyCoverage(grid, covered, { include: assessed, unreachable }).byUnit[3].aged60?.covered;
 */
export function tallyCoverage(
  grid: PopulationGrid, covered: Uint8Array, options: { include?: Uint8Array; unreachable?: Uint8Array } = {},
): Omit<CoverageSummary, 'threshold'> {
  return summaryOfTally(grid, coverageTally(grid, covered, options));
}

/**
 * The counts behind a summary as one buffer (rows: all, urban, rural, unknown class, outside every unit, each
 * unit; per row total, covered, total 60+, covered 60+, unreachable, cells), so a what-if can move a few cells
 * between covered and not instead of counting everyone again.
 *
 * @example const t = coverageTally(grid, covered); moveCovered(grid, t, 17, true); summaryOfTally(grid, t);
 */
export function coverageTally(grid: PopulationGrid, covered: Uint8Array, options: { include?: Uint8Array; unreachable?: Uint8Array } = {}): Float64Array {
  if (covered.length !== grid.count) throw new Error(`coverage: ${covered.length} covered flags for ${grid.count} cells`);
  const t = new Float64Array((5 + grid.unitNames.length) * FIELDS);
  const { include, unreachable: off } = options;
  const { population, aged60, urbanClass, unit } = grid;
  for (let i = 0; i < grid.count; i++) {
    if (include !== undefined && include[i] !== 1) continue;
    const p = population[i], p60 = aged60[i];
    const isCovered = covered[i] === 1;
    const lost = off !== undefined && off[i] === 1 ? p : 0;
    const cls = urbanClass[i] === URBAN ? 1 : urbanClass[i] === RURAL ? 2 : 3;
    const u = unit[i] >= 0 ? 5 + unit[i] : 4;
    add(t, 0, p, p60, lost, isCovered);
    add(t, cls, p, p60, lost, isCovered);
    add(t, u, p, p60, lost, isCovered);
  }
  return t;
}

/** Moves one counted cell to covered (or back) in a tally. */
export function moveCovered(grid: PopulationGrid, t: Float64Array, cell: number, covered: boolean): void {
  const p = covered ? grid.population[cell] : -grid.population[cell], p60 = covered ? grid.aged60[cell] : -grid.aged60[cell];
  const cls = grid.urbanClass[cell] === URBAN ? 1 : grid.urbanClass[cell] === RURAL ? 2 : 3;
  const u = grid.unit[cell] >= 0 ? 5 + grid.unit[cell] : 4;
  for (const r of [0, cls, u]) { t[r * FIELDS + 1] += p; t[r * FIELDS + 3] += p60; }
}

/** The summary rows of a tally. */
export function summaryOfTally(grid: PopulationGrid, t: Float64Array): Omit<CoverageSummary, 'threshold'> {
  const h = grid.hasAged60;
  return {
    ...rowOf(t, 0, h),
    byUnit: grid.unitNames.map((name, index) => ({ index, name, code: grid.unitCodes[index] ?? '', ...rowOf(t, 5 + index, h) })),
    outsideUnits: grid.unitNames.length > 0 ? rowOf(t, 4, h) : null,
    byClass: { urban: rowOf(t, 1, h), rural: rowOf(t, 2, h), unknown: rowOf(t, 3, h) },
  };
}

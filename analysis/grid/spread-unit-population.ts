import { InputError } from '../errors/input-error.ts';
import { foundValue } from '../errors/found-value.ts';
import { assignUnits, type AdminUnits } from './assign-units.ts';
import type { PopulationGrid } from './population-grid.ts';

/** How a unit's count is shared among its cells: in proportion to the grid's residents, or evenly. */
export type SpreadMethod = 'grid-weights' | 'even';

export const SPREAD_METHODS: readonly SpreadMethod[] = ['grid-weights', 'even'];

/** One row of a census table: a unit's code and its residents and residents aged 60+. */
export interface UnitCount {
  code: string;
  population: number;
  aged60: number;
}

/** What spreading did to one unit of the table. */
export interface UnitSpread {
  code: string;
  name: string;
  /** grid cells inside the unit */
  cells: number;
  /** 'even' where 'grid-weights' was asked but every cell of the unit had 0 residents */
  method: SpreadMethod;
  population: number;
  aged60: number;
}

export interface SpreadResult {
  /** the same cells (and unit assignment) as the input grid, with the table's counts in the table's units */
  grid: PopulationGrid;
  /** one entry per table row, in table order */
  units: UnitSpread[];
  /** cells in none of the table's units, which keep their residents */
  cellsOutside: number;
}

/**
 * Spreads each unit's residents and 60+ residents from a census table onto the grid cells whose origin lies
 * inside the unit's polygon, as integers whose sum per unit equals the table exactly (largest remainder, ties
 * to the lower cell). 'grid-weights' shares residents as the grid's current residents do (evenly where they
 * are all 0); 'even' gives every cell the same share. 60+ residents follow the new residents, so no cell gets
 * more of them than residents. Cells outside every table unit keep their figures.
 *
 * @example
 * const { grid: villages } = spreadUnitPopulation(grid, villageZones, [{ code: '511621101201', population: 1830, aged60: 610 }]);
 */
export function spreadUnitPopulation(grid: PopulationGrid, units: AdminUnits, table: readonly UnitCount[], options: { method?: SpreadMethod } = {}): SpreadResult {
  const method = options.method ?? 'grid-weights';
  if (!SPREAD_METHODS.includes(method)) throw new InputError(`spread: method must be one of ${SPREAD_METHODS.join(', ')}, found ${foundValue(method)}`, 'spread');
  const unitOf = new Map(units.codes.map((c, i) => [c, i]));
  const rowOfUnit = new Int32Array(units.codes.length).fill(-1);
  table.forEach((row, r) => {
    const u = unitOf.get(row.code);
    if (u === undefined) throw new InputError(`spread: table row ${r} has code '${row.code}', which is not among the ${units.codes.length} units`, `table[${r}].code`);
    if (rowOfUnit[u] >= 0) throw new InputError(`spread: table rows ${rowOfUnit[u]} and ${r} both have code '${row.code}'`, `table[${r}].code`);
    rowOfUnit[u] = r;
    for (const [field, v] of [['population', row.population], ['aged60', row.aged60]] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new InputError(`spread: table row ${r} (${row.code}): ${field} must be a whole number >= 0, found ${foundValue(v)}`, `table[${r}].${field}`);
    }
    if (row.aged60 > row.population) throw new InputError(`spread: table row ${r} (${row.code}): aged60 must be at most population (${row.population}), found ${row.aged60}`, `table[${r}].aged60`);
  });

  // the cells of each unit, found as assignUnits finds a cell's township (lowest unit wins on overlap)
  const cellUnit = assignUnits(grid, units).unit;
  const members: number[][] = table.map(() => []);
  let cellsOutside = 0;
  for (let c = 0; c < grid.count; c++) {
    const r = cellUnit[c] >= 0 ? rowOfUnit[cellUnit[c]] : -1;
    if (r >= 0) members[r].push(c);
    else cellsOutside++;
  }

  const population = Float64Array.from(grid.population);
  const aged60 = grid.hasAged60 ? Float64Array.from(grid.aged60) : new Float64Array(grid.count);
  const report = table.map((row, r): UnitSpread => {
    const cells = members[r];
    if (cells.length === 0) throw new InputError(`spread: unit '${row.code}' (${units.names[unitOf.get(row.code)!]}) contains no cell of the grid; its residents have nowhere to go`, `table[${r}].code`);
    let weights = Float64Array.from(cells, (c) => (method === 'grid-weights' ? grid.population[c] : 1));
    let used: SpreadMethod = method;
    if (!weights.some((w) => w > 0)) { weights = new Float64Array(cells.length).fill(1); used = 'even'; }
    const residents = largestRemainder(weights, row.population);
    // 60+ in proportion to the new residents keeps 60+ <= residents in every cell (see largestRemainder)
    const old = row.population > 0 ? largestRemainder(Float64Array.from(residents), row.aged60) : new Int32Array(cells.length);
    cells.forEach((c, k) => { population[c] = residents[k]; aged60[c] = old[k]; });
    return { code: row.code, name: units.names[unitOf.get(row.code)!], cells: cells.length, method: used, population: row.population, aged60: row.aged60 };
  });
  return { grid: { ...grid, population, aged60, hasAged60: true }, units: report, cellsOutside };
}

/**
 * Integers summing exactly to `total`, shared as `weights` are (some weight must be positive): floors first,
 * then one more to the largest remainders, ties to the lower index. A weight's share never exceeds
 * ceil(total * w / sum), so with total <= sum of integer weights no entry exceeds its weight.
 */
function largestRemainder(weights: Float64Array, total: number): Int32Array {
  let sum = 0;
  for (const w of weights) sum += w;
  const out = new Int32Array(weights.length);
  if (total === 0) return out;
  const rem = new Float64Array(weights.length);
  let left = total;
  for (let i = 0; i < weights.length; i++) {
    const q = (total * weights[i]) / sum;
    out[i] = Math.floor(q);
    rem[i] = q - out[i];
    left -= out[i];
  }
  const order = Array.from(weights.keys()).sort((a, b) => rem[b] - rem[a] || a - b);
  // float rounding can leave the floors one off either way; the sweep settles it
  for (let k = 0; left > 0; k = (k + 1) % order.length) { out[order[k]]++; left--; }
  for (let k = order.length - 1; left < 0; k = (k + order.length - 1) % order.length) if (out[order[k]] > 0) { out[order[k]]--; left++; }
  return out;
}

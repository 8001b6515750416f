import type { PopulationGrid } from '../grid/population-grid.ts';

/**
 * A grid holding only the given cells (ascending indices into `grid`), same frame and units; lets a summary
 * count just the residents a rule judges (e.g. rural cells for a rural-only circle).
 *
 * @example const rural = subsetGrid(grid, cellsWhere(grid, (c) => grid.urbanClass[c] === RURAL));
 */
export function subsetGrid(grid: PopulationGrid, cells: Int32Array): PopulationGrid {
  const n = cells.length;
  for (let k = 0; k < n; k++) {
    const c = cells[k];
    if (!(c >= 0 && c < grid.count) || (k > 0 && c <= cells[k - 1])) {
      throw new Error(`subsetGrid: expected ascending cell indices in 0..${grid.count - 1}, found ${c} at position ${k}`);
    }
  }
  const pick = <T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(n);
    for (let k = 0; k < n; k++) out[k] = a[cells[k]];
    return out;
  };
  return {
    ...grid, count: n, cellIndex: pick(grid.cellIndex), originLon: pick(grid.originLon), originLat: pick(grid.originLat),
    population: pick(grid.population), aged60: pick(grid.aged60), urbanClass: pick(grid.urbanClass), unit: pick(grid.unit),
  };
}

/**
 * Indices of the cells for which `keep(cell)` holds, ascending.
 *
 * @example const rural = cellsWhere(grid, (c) => grid.urbanClass[c] === RURAL);
 */
export function cellsWhere(grid: PopulationGrid, keep: (cell: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let c = 0; c < grid.count; c++) if (keep(c)) out.push(c);
  return Int32Array.from(out);
}

/**
 * The values of `values` at `cells`, in the same typed-array type.
 *
 * @example const ruralCost = pickCells(cost, rural);
 */
export function pickCells<T extends Float64Array | Uint8Array>(values: T, cells: Int32Array): T {
  const out = new (values.constructor as new (n: number) => T)(cells.length);
  for (let k = 0; k < cells.length; k++) out[k] = values[cells[k]];
  return out;
}

import { RURAL, URBAN, type PopulationGrid } from './population-grid.ts';

/**
 * A copy of the grid whose cells are URBAN or RURAL as their unit is (e.g. 街道 urban, 乡 rural);
 * cells outside every unit keep the class they had.
 *
 * @example
 * const classed = classifyUrbanByUnit(withTownships, (u) => withTownships.unitNames[u].endsWith('街道'));
 */
export function classifyUrbanByUnit(grid: PopulationGrid, isUrban: (unitIndex: number) => boolean): PopulationGrid {
  if (grid.unitNames.length === 0) {
    throw new Error('classifyUrbanByUnit: expected a grid with units, found none; call assignUnits first');
  }
  const urbanClass = Uint8Array.from(grid.urbanClass);
  const verdict = new Map<number, number>();
  for (let c = 0; c < grid.count; c++) {
    const u = grid.unit[c];
    if (u < 0) continue;
    let cls = verdict.get(u);
    if (cls === undefined) {
      cls = isUrban(u) ? URBAN : RURAL;
      verdict.set(u, cls);
    }
    urbanClass[c] = cls;
  }
  return { ...grid, urbanClass };
}

import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { AdminUnits } from '../analysis/grid/assign-units.ts';
import { gridFromPoints } from '../analysis/grid/population-grid.ts';
import { spreadUnitPopulation } from '../analysis/grid/spread-unit-population.ts';

function box(w: number, s: number, e: number, n: number): Feature<Polygon> {
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } };
}

// six cells in one row (cells ordered west to east): A holds residents 1, 2, 3; B two cells with none (60+ only,
// so the grid keeps them); the last cell lies in no unit; C lies where there is no cell
const grid = gridFromPoints({
  lon: Float64Array.of(106.400, 106.402, 106.404, 106.410, 106.412, 106.420),
  lat: Float64Array.of(30.5, 30.5, 30.5, 30.5, 30.5, 30.5),
  population: Float64Array.of(1, 2, 3, 0, 0, 7),
  aged60: Float64Array.of(0, 1, 1, 1, 1, 2),
}, { cellSize: 100 });
const units: AdminUnits = {
  names: ['甲村', '乙村', '丙村'], codes: ['999001001001', '999001001002', '999001001003'],
  features: [box(106.399, 30.499, 106.405, 30.501), box(106.409, 30.499, 106.413, 30.501), box(106.430, 30.499, 106.431, 30.501)],
};
const table = [{ code: '999001001001', population: 10, aged60: 4 }, { code: '999001001002', population: 5, aged60: 2 }];

describe('spreading a census table onto the grid', () => {
  it('grid-weights: by the cells\' residents, falling back to even where they are all 0', () => {
    const { grid: g, units: report, cellsOutside } = spreadUnitPopulation(grid, units, table);
    // A, 10 by weights 1:2:3 → quotas 1.67, 3.33, 5 → floors 1, 3, 5 and the one left to the largest remainder (.67): 2, 3, 5
    // A's 60+, 4 by the new 2:3:5 → 0.8, 1.2, 2 → floors 0, 1, 2, one left to .8: 1, 1, 2
    // B, 5 evenly (its weights are 0) → 2.5, 2.5 → 2, 2, the tie to the western cell: 3, 2; 60+ 2 by 3:2 → 1.2, 0.8 → 1, 1
    expect(Array.from(g.population)).toEqual([2, 3, 5, 3, 2, 7]);
    expect(Array.from(g.aged60)).toEqual([1, 1, 2, 1, 1, 2]);
    expect(report.map((u) => [u.code, u.cells, u.method, u.population, u.aged60])).toEqual([
      ['999001001001', 3, 'grid-weights', 10, 4], ['999001001002', 2, 'even', 5, 2],
    ]);
    expect(cellsOutside).toBe(1);
    expect(Array.from(g.cellIndex)).toEqual(Array.from(grid.cellIndex));
  });

  it('even: the same share to every cell of a unit', () => {
    const { grid: g, units: report } = spreadUnitPopulation(grid, units, table, { method: 'even' });
    // A, 10 over 3 → 3.33 each → 3, 3, 3, the one left to the western cell: 4, 3, 3; 60+ 4 by 4:3:3 → 1.6, 1.2, 1.2 → 2, 1, 1
    expect(Array.from(g.population)).toEqual([4, 3, 3, 3, 2, 7]);
    expect(Array.from(g.aged60)).toEqual([2, 1, 1, 1, 1, 2]);
    expect(report.map((u) => u.method)).toEqual(['even', 'even']);
  });

  it('keeps every unit\'s totals exactly on a larger case, 60+ never above residents', () => {
    const n = 400, lon = new Float64Array(n), lat = new Float64Array(n), pop = new Float64Array(n);
    for (let i = 0; i < n; i++) { lon[i] = 106.4 + (i % 20) * 0.0012; lat[i] = 30.5 + Math.floor(i / 20) * 0.0012; pop[i] = (i * 37) % 11; }
    const big = gridFromPoints({ lon, lat, population: pop }, { cellSize: 100 });
    const halves: AdminUnits = { names: ['西', '东'], codes: ['W', 'E'], features: [box(106.39, 30.49, 106.411, 30.53), box(106.411, 30.49, 106.43, 30.53)] };
    for (const method of ['grid-weights', 'even'] as const) {
      const { grid: g } = spreadUnitPopulation(big, halves, [{ code: 'W', population: 12_345, aged60: 4_321 }, { code: 'E', population: 777, aged60: 777 }], { method });
      const sums = { W: [0, 0], E: [0, 0] };
      for (let c = 0; c < g.count; c++) {
        const s = sums[g.originLon[c] < 106.411 ? 'W' : 'E'];
        s[0] += g.population[c]; s[1] += g.aged60[c];
        expect(Number.isInteger(g.population[c]) && g.aged60[c] <= g.population[c]).toBe(true);
      }
      expect(sums).toEqual({ W: [12_345, 4_321], E: [777, 777] });
    }
  });

  it('names the code of a unit without cells, of a code not among the units, and of a repeated code', () => {
    expect(() => spreadUnitPopulation(grid, units, [{ code: '999001001003', population: 5, aged60: 1 }])).toThrow(/unit '999001001003' \(丙村\) contains no cell/);
    expect(() => spreadUnitPopulation(grid, units, [{ code: '511621', population: 5, aged60: 1 }])).toThrow(/code '511621', which is not among the 3 units/);
    expect(() => spreadUnitPopulation(grid, units, [table[0], table[0]])).toThrow(/rows 0 and 1 both have code '999001001001'/);
    expect(() => spreadUnitPopulation(grid, units, [{ code: '999001001001', population: 2, aged60: 3 }])).toThrow(/aged60 must be at most population/);
  });
});

import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignUnits } from '../analysis/grid/assign-units.ts';
import { spreadUnitPopulation, type UnitCount } from '../analysis/grid/spread-unit-population.ts';
import { loadYuechiDemo, type YuechiDemo } from '../server/io/load-demo.ts';

// the demo's example village table, spread back onto the demo grid within the generated village zones
let demo: YuechiDemo;
let table: UnitCount[];
beforeAll(async () => {
  demo = await loadYuechiDemo();
  table = fs.readFileSync('data/yuechi/village-population.csv', 'utf8').trim().split('\n').slice(1).map((l) => {
    const [code, , population, aged60] = l.split(',');
    return { code, population: Number(population), aged60: Number(aged60) };
  });
}, 120_000);

describe('Yuechi village table on the demo grid', () => {
  it('loads the 469 village zones beside the 27 townships', () => {
    expect(demo.villages?.codes).toHaveLength(469);
    expect(demo.units.codes).toHaveLength(27);
  });

  it('gives the grid back: every village has cells, and grid-weights returns each cell its residents', () => {
    const { grid, units } = spreadUnitPopulation(demo.grid, demo.villages!, table);
    expect(units.every((u) => u.cells > 0 && u.method === 'grid-weights')).toBe(true);
    // the table is the grid's own sums per zone, so each cell's share is its residents exactly
    expect(Array.from(grid.population)).toEqual(Array.from(demo.grid.population));
    // 60+ per village, found by the townships' own assignment helper over the new grid
    const inVillage = assignUnits(grid, demo.villages!).unit;
    const aged = new Float64Array(table.length);
    for (let c = 0; c < grid.count; c++) aged[inVillage[c]] += grid.aged60[c];
    expect(Array.from(aged)).toEqual(table.map((r) => r.aged60));
  });
});

// The three urban/rural rules on hand-made grids; expected classes are worked out in the comments.
// Near the equator 1 m east is 1/111195.08 degree (2πR/360 m per degree, R = 6371008.8 m), so points are
// placed in metres from a corner anchor and every block sum below is a hand sum of those points.
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { assignUnits, type AdminUnits } from '../analysis/grid/assign-units.ts';
import { gridFromPoints, RURAL, UNKNOWN_CLASS, URBAN, type PopulationGrid } from '../analysis/grid/population-grid.ts';
import { classifyByDensity, classifyByUnitType, classifyByUrbanArea, unitIsUrban } from '../analysis/standards/urban-rural.ts';

const M = 1 / 111195.08; // degrees per metre on the equator

function square(lon0: number, lat0: number, lon1: number, lat1: number): Polygon {
  return { type: 'Polygon', coordinates: [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]] };
}

function units(props: Array<Record<string, unknown>>, names: string[]): AdminUnits {
  // unit k spans lon [0.01k, 0.01(k+1)], lat [0, 0.01]
  return {
    names, codes: names.map((_, k) => `u${k}`),
    features: props.map((properties, k): Feature<Polygon> => ({ type: 'Feature', properties, geometry: square(0.01 * k, 0, 0.01 * (k + 1), 0.01) })),
  };
}

// one cell in each of three units and one outside them all (lon 0.035)
function fourCells(): PopulationGrid {
  return gridFromPoints({
    lon: Float64Array.from([0.005, 0.015, 0.025, 0.035]), lat: Float64Array.from([0.005, 0.005, 0.005, 0.005]),
    population: Float64Array.from([10, 20, 30, 40]),
  });
}

describe('by admin-unit type', () => {
  it('makes 街道 urban and 镇/乡 rural; cells outside keep their class', () => {
    const u = units([{ type: '街道' }, { type: '镇' }, { type: '乡' }], ['九龙街道', '石垭镇', '黄龙乡']);
    const g = classifyByUnitType(assignUnits(fourCells(), u), u);
    expect(Array.from(g.urbanClass)).toEqual([URBAN, RURAL, RURAL, UNKNOWN_CLASS]);
  });

  it('falls back to an urban flag, then to the name', () => {
    // no type: unit 0 has urban: true, unit 1 urban: 0, unit 2 nothing but a name ending in 街道
    const u = units([{ urban: true }, { urban: 0 }, {}], ['甲', '乙', '朝阳街道']);
    expect(unitIsUrban(u)).toEqual([true, false, true]);
  });

  it('asks for assigned units first', () => {
    const u = units([{ type: '街道' }], ['九龙街道']);
    expect(() => classifyByUnitType(fourCells(), u)).toThrow(/call assignUnits\(grid, units\) first/);
  });
});

describe('by an urban-area polygon', () => {
  it('makes cells inside urban and all others rural', () => {
    // the polygon covers lon 0..0.02: the first two cells
    const g = classifyByUrbanArea(fourCells(), { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: square(0, 0, 0.02, 0.01) }] });
    expect(Array.from(g.urbanClass)).toEqual([URBAN, URBAN, RURAL, RURAL]);
  });

  it('refuses projected coordinates', () => {
    expect(() => classifyByUrbanArea(fourCells(), square(500000, 3300000, 510000, 3310000))).toThrow(/lon\/lat degrees/);
  });
});

describe('by density (Degree of Urbanisation)', () => {
  // anchor (pop 0) at the corner, so 1 km blocks start there (the grid frame snaps to ≤ 100 m before it);
  // 4 points 100 m apart around (300..400, 300..400) m inside each block named by (block x, block y):
  //   (0,0): 4 × 750 = 3,000  dense (≥ 300/km²)
  //   (1,1): 4 × 625 = 2,500  dense, touches (0,0) at a corner
  //   (5,0): 4 × 1,000 = 4,000 dense, alone
  //   (0,5): 4 × 50 = 200     not dense
  function densityGrid(): PopulationGrid {
    const lon: number[] = [0], lat: number[] = [0], pop: number[] = [0];
    const block = (bx: number, by: number, each: number) => {
      for (const dx of [300, 400]) for (const dy of [300, 400]) { lon.push((bx * 1000 + dx) * M); lat.push((by * 1000 + dy) * M); pop.push(each); }
    };
    block(0, 0, 750);
    block(1, 1, 625);
    block(5, 0, 1000);
    block(0, 5, 50);
    return gridFromPoints({ lon: Float64Array.from(lon), lat: Float64Array.from(lat), population: Float64Array.from(pop) }, { cellSize: 100, weightedOrigins: false });
  }
  // which block a cell's origin lies in, from its position east/north of the anchor
  const blockOf = (g: PopulationGrid, c: number) => `${Math.floor(g.originLon[c] / M / 1000)},${Math.floor(g.originLat[c] / M / 1000)}`;
  const classes = (g: PopulationGrid) => {
    const out: Record<string, number> = {};
    for (let c = 0; c < g.count; c++) out[blockOf(g, c)] = g.urbanClass[c];
    return out;
  };

  it('joins diagonal dense blocks into a cluster of 5,500 ≥ 5,000: urban; the lone 4,000 block stays rural', () => {
    const g = classifyByDensity(densityGrid());
    expect(g.count).toBe(16);
    expect(classes(g)).toEqual({ '0,0': URBAN, '1,1': URBAN, '5,0': RURAL, '0,5': RURAL });
  });

  it('without diagonals, 3,000 and 2,500 are two clusters below 5,000: both rural', () => {
    expect(classes(classifyByDensity(densityGrid(), { diagonal: false }))).toEqual({ '0,0': RURAL, '1,1': RURAL, '5,0': RURAL, '0,5': RURAL });
  });

  it('with a 4,000 cluster minimum the lone block is urban and the separate pair is not', () => {
    expect(classes(classifyByDensity(densityGrid(), { diagonal: false, minClusterPopulation: 4000 }))).toEqual({ '0,0': RURAL, '1,1': RURAL, '5,0': URBAN, '0,5': RURAL });
  });

  it('uses density, not headcount: 200 people in 1 km² are under 300/km², but over 150/km² they count', () => {
    // with 150/km² and a 100-resident cluster minimum every block is urban
    expect(Object.values(classes(classifyByDensity(densityGrid(), { minDensity: 150, minClusterPopulation: 100 })))).toEqual([URBAN, URBAN, URBAN, URBAN]);
  });
});

// Candidate generation on grids written out by hand (frame at x0 = y0 = 0, so cell (col,row) spans
// x in [100 col, 100 col + 100)), with the expected candidates worked out in the comments.
import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';
import { UNKNOWN_CLASS, type PopulationGrid } from '../analysis/grid/population-grid.ts';
import { candidatesFromPoints, candidatesFromPolygons, candidatesFromUncoveredCells } from '../analysis/siting/candidate-sites.ts';

const LON0 = 106.4, LAT0 = 30.5;

function handGrid(cols: number, rows: number, cells: Array<[col: number, row: number, pop: number]>): PopulationGrid {
  const sorted = [...cells].sort((a, b) => a[1] * cols + a[0] - (b[1] * cols + b[0]));
  const n = sorted.length;
  const proj = createLocalProjection(LON0, LAT0);
  const centre = (c: number, r: number) => proj.inverse((c + 0.5) * 100, (r + 0.5) * 100);
  return {
    lon0: LON0, lat0: LAT0, x0: 0, y0: 0, cellSize: 100, cols, rows, count: n,
    cellIndex: Uint32Array.from(sorted.map(([c, r]) => r * cols + c)),
    originLon: Float64Array.from(sorted.map(([c, r]) => centre(c, r)[0])),
    originLat: Float64Array.from(sorted.map(([c, r]) => centre(c, r)[1])),
    population: Float64Array.from(sorted.map((x) => x[2])),
    aged60: new Float64Array(n), hasAged60: false, urbanClass: new Uint8Array(n).fill(UNKNOWN_CLASS),
    unit: new Int32Array(n).fill(-1), unitNames: [], unitCodes: [],
  };
}

describe('candidates from uncovered cells', () => {
  // 9 × 3 cells, 300 m blocks = 3 × 3 cells: block 0 = cols 0–2, block 1 = cols 3–5, block 2 = cols 6–8.
  // cell (col,row) pop cost     → block 0: (0,0) 5 and (1,1) 8 uncovered, (2,2) covered: 13, best (1,1)
  //   (0,0) 5 ∞, (1,1) 8 2000,      block 1: (3,0) 4 and (4,0) 4: 8, tie → the lower cell (3,0)
  //   (2,2) 3 100, (3,0) 4 ∞,       block 2: (6,1) 20: 20
  //   (4,0) 4 ∞, (6,1) 20 ∞         ranking by uncovered residents: block 2, block 0, block 1
  const grid = handGrid(9, 3, [[0, 0, 5], [1, 1, 8], [2, 2, 3], [3, 0, 4], [4, 0, 4], [6, 1, 20]]);
  // cells in cellIndex order: (0,0) (3,0) (4,0) (1,1) (6,1) (2,2)
  const cost = Float64Array.of(Infinity, Infinity, Infinity, 2000, Infinity, 100);

  it('keeps each block\'s most populated uncovered cell, blocks with most uncovered residents first', () => {
    const c = candidatesFromUncoveredCells(grid, cost, { threshold: 900, blockMeters: 300 });
    expect(c.ids).toEqual(['cell-6-1', 'cell-1-1', 'cell-3-0']);
    expect(Array.from(c.cell)).toEqual([4, 3, 1]);
    expect(c.lon[0]).toBe(grid.originLon[4]);
    expect(candidatesFromUncoveredCells(grid, cost, { threshold: 900, maxCandidates: 2 }).ids).toEqual(['cell-6-1', 'cell-1-1']);
  });

  it('leaves out excluded cells and respects a per-cell threshold', () => {
    const exclude = Uint8Array.of(0, 0, 0, 0, 1, 0);
    expect(candidatesFromUncoveredCells(grid, cost, { threshold: 900, exclude }).ids).toEqual(['cell-1-1', 'cell-3-0']);
    // a 2500 threshold for (1,1) covers it: block 0 keeps only (0,0) with 5, now below block 1's 8
    const perCell = candidatesFromUncoveredCells(grid, cost, { threshold: 900, thresholdFor: (i) => (i === 3 ? 2500 : 900) });
    expect(perCell.ids).toEqual(['cell-6-1', 'cell-3-0', 'cell-0-0']);
  });

  it('names a bad input', () => {
    expect(() => candidatesFromUncoveredCells(grid, new Float64Array(2), { threshold: 900 })).toThrow('expected 6 costs (one per cell), found 2');
    expect(() => candidatesFromUncoveredCells(grid, cost, { threshold: 900, blockMeters: 0 })).toThrow('blockMeters must be a positive number, found 0');
  });
});

describe('candidates from points', () => {
  it('checks coordinates and ids', () => {
    const c = candidatesFromPoints([{ lon: 106.41, lat: 30.51, id: '地块A' }, { lon: 106.42, lat: 30.52 }]);
    expect(c.ids).toEqual(['地块A', '2']);
    expect(Array.from(c.lon)).toEqual([106.41, 106.42]);
    expect(() => candidatesFromPoints([{ lon: 30.5, lat: 106.4 }])).toThrow('candidate points: point 0: expected lon in [-180,180] and lat in [-90,90], found (30.5, 106.4)');
    expect(() => candidatesFromPoints([{ lon: 106.4, lat: 30.5, id: 'a' }, { lon: 106.4, lat: 30.5, id: 'a' }])).toThrow("point 1: id 'a' is used twice");
  });
});

describe('candidates from buildable-land polygons', () => {
  const grid = handGrid(20, 20, [[1, 1, 5], [2, 1, 7], [5, 5, 9], [8, 8, 3]]);
  const proj = createLocalProjection(LON0, LAT0);
  const ring = (x0: number, y0: number, x1: number, y1: number) =>
    [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]].map(([x, y]) => proj.inverse(x, y));
  // land x, y in [0, 1000] m with a hole x, y in [320, 680]; no lattice point lies on an edge
  const land: Polygon = { type: 'Polygon', coordinates: [ring(0, 0, 1000, 1000), ring(320, 320, 680, 680)] };

  it('takes cell centres inside the land, outside its holes', () => {
    // centres at 50, 150, …, 950 in x and y: 10 × 10 = 100; in the hole: 350, 450, 550, 650 → 4 × 4 = 16; 84 left
    const c = candidatesFromPolygons(grid, [land]);
    expect(c.spacingMeters).toBe(100);
    expect(c.lon.length).toBe(84);
    expect(c.ids).toContain('land-0-0');
    expect(c.ids).not.toContain('land-4-4');
  });

  it('doubles the spacing until at most maxCandidates remain', () => {
    // 200 m: centres at 100, 300, 500, 700, 900 → 25; in the hole only (500, 500); 24 ≤ 50
    const c = candidatesFromPolygons(grid, [land], { maxCandidates: 50 });
    expect(c.spacingMeters).toBe(200);
    expect(c.lon.length).toBe(24);
    expect(c.ids).not.toContain('land-2-2');
  });

  it('reads MultiPolygons, and counts land shared by two polygons once', () => {
    // a second part x, y in [1200, 1600]: centres 1250 … 1550 → 4 × 4 = 16, so 84 + 16 = 100
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [land.coordinates, [ring(1200, 1200, 1600, 1600)]] };
    expect(candidatesFromPolygons(grid, [multi]).lon.length).toBe(100);
    // a separate polygon x, y in [900, 1300]: 16 centres, of which only (950, 950) is also in the first: 84 + 16 − 1
    expect(candidatesFromPolygons(grid, [land, { type: 'Polygon', coordinates: [ring(900, 900, 1300, 1300)] }]).lon.length).toBe(99);
  });

  it('can keep populated cells only', () => {
    // populated cells (1,1), (2,1), (5,5), (8,8): (5,5) has its centre (550, 550) in the hole → 3 left
    const c = candidatesFromPolygons(grid, [land], { populatedOnly: true });
    expect(c.ids).toEqual(['cell-1-1', 'cell-2-1', 'cell-8-8']);
    // at 400 m, centres x = 150 and 250 both fall in block column 0 (150/400, 250/400 < 1), where (2,1) has
    // more residents (7 > 5); (8,8) at 850 is in block (2, 2)
    expect(candidatesFromPolygons(grid, [land], { populatedOnly: true, spacingMeters: 400 }).ids).toEqual(['cell-2-1', 'cell-8-8']);
  });

  it('names a bad polygon', () => {
    expect(() => candidatesFromPolygons(grid, [{ type: 'Point', coordinates: [0, 0] } as unknown as Polygon])).toThrow('polygon 0: expected a GeoJSON Polygon or MultiPolygon, found Point');
  });
});

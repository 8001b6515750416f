// Gap polygons against Turf (union of the cell squares, area, point-in-polygon), hand counts, and PostGIS ST_IsValid.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import GJV from 'geojson-validation';
import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';
import { traceGapShapes, type GapShape } from '../analysis/gaps/gap-polygons.ts';
import { explicitCircle } from '../analysis/circles/circle.ts';
import { networkPreparer } from '../analysis/circles/network-preparer.ts';
import { runCircle } from '../analysis/circles/run-circle.ts';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';
import { gridFromPoints, type PopulationGrid } from '../analysis/grid/population-grid.ts';
import { createFacilitySet } from '../analysis/facilities/facility-set.ts';
import { generatedNetwork } from './support/generated-network.ts';
import { seededRandom } from './support/seeded-random.ts';
import { skipMessage, testDatabaseUrl, withClient } from './support/postgres.ts';

const LON0 = 106.6, LAT0 = 30.5, SIZE = 100;

interface Case {
  grid: PopulationGrid;
  mask: Uint8Array;
  cols: number;
  rows: number;
}

/**
 * A grid from ASCII art, north row first: '#' uncovered populated cell, '.' covered populated cell, ' ' no cell.
 * Population of cell (col,row) is `pop(col,row)`; the frame starts at x0 = y0 = 0 on a projection at LON0/LAT0.
 */
function caseOf(art: string[], pop: (col: number, row: number) => number = () => 1): Case {
  const rows = art.length, cols = Math.max(...art.map((l) => l.length));
  const cells: Array<{ index: number; masked: boolean; p: number }> = [];
  for (let line = 0; line < rows; line++) {
    const row = rows - 1 - line;
    for (let col = 0; col < cols; col++) {
      const ch = art[line][col] ?? ' ';
      if (ch === ' ') continue;
      cells.push({ index: row * cols + col, masked: ch === '#', p: pop(col, row) });
    }
  }
  cells.sort((a, b) => a.index - b.index);
  return { grid: gridWith(cols, rows, cells), mask: Uint8Array.from(cells, (c) => (c.masked ? 1 : 0)), cols, rows };
}

function gridWith(cols: number, rows: number, cells: Array<{ index: number; p: number }>): PopulationGrid {
  const n = cells.length;
  const proj = createLocalProjection(LON0, LAT0);
  const originLon = new Float64Array(n), originLat = new Float64Array(n);
  cells.forEach((c, i) => {
    const col = c.index % cols, row = Math.floor(c.index / cols);
    [originLon[i], originLat[i]] = proj.inverse((col + 0.5) * SIZE, (row + 0.5) * SIZE);
  });
  const population = Float64Array.from(cells, (c) => c.p);
  return {
    lon0: LON0, lat0: LAT0, x0: 0, y0: 0, cellSize: SIZE, cols, rows, count: n,
    cellIndex: Uint32Array.from(cells, (c) => c.index), originLon, originLat, population,
    aged60: population.map((p) => p / 4), hasAged60: true, urbanClass: new Uint8Array(n),
    unit: new Int32Array(n).fill(-1), unitNames: [], unitCodes: [],
  };
}

/** The reference square of a cell, corners straight from the grid's definition x0 + col * size. */
function square(col: number, row: number): Feature<Polygon> {
  const proj = createLocalProjection(LON0, LAT0);
  const c = (x: number, y: number) => proj.inverse(x * SIZE, y * SIZE);
  return turf.polygon([[c(col, row), c(col + 1, row), c(col + 1, row + 1), c(col, row + 1), c(col, row)]]);
}

function centre(col: number, row: number): Position {
  return createLocalProjection(LON0, LAT0).inverse((col + 0.5) * SIZE, (row + 0.5) * SIZE);
}

type GapFeature = Feature<GapShape['geometry'], { cells: number; population: number; population_60plus: number }>;

/** The traced shapes as features, with the residents of their cells (what the golden files and maps show). */
function gapPolygons(grid: PopulationGrid, mask: Uint8Array, options: { connectivity?: 4 | 8; splitBy?: Int32Array } = {}): { features: GapFeature[] } {
  return {
    features: traceGapShapes(grid, mask, options).map((s) => ({
      type: 'Feature', geometry: s.geometry,
      properties: { cells: s.cells.length, population: s.cells.reduce((t, c) => t + grid.population[c], 0), population_60plus: s.cells.reduce((t, c) => t + grid.aged60[c], 0) },
    })),
  };
}

function polygonsOf(f: GapFeature): Position[][][] {
  return f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
}

/** Everything a gap layer must satisfy against the Turf reference, for any mask. */
function expectMatchesTurf(c: Case, features: GapFeature[]): void {
  const maskedCells: Array<[number, number]> = [];
  for (let j = 0; j < c.grid.count; j++) {
    if (c.mask[j]) maskedCells.push([c.grid.cellIndex[j] % c.cols, Math.floor(c.grid.cellIndex[j] / c.cols)]);
  }
  // valid GeoJSON, closed rings, RFC 7946 winding, no repeated or collinear vertices
  for (const f of features) {
    expect(GJV.valid(f, true)).toEqual([]);
    for (const polygon of polygonsOf(f)) {
      polygon.forEach((ring, k) => {
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        expect(turf.booleanClockwise(ring)).toBe(k > 0);
        for (let i = 1; i < ring.length - 1; i++) {
          const [a, b, d] = [ring[i - 1], ring[i], ring[i + 1]];
          // axis-parallel edges: a vertex is collinear when both neighbours share its lon or its lat
          expect((a[0] === b[0] && b[0] === d[0]) || (a[1] === b[1] && b[1] === d[1])).toBe(false);
        }
      });
    }
  }
  // same area as the Turf union of the masked squares
  const union = maskedCells.length === 1 ? square(...maskedCells[0]) : turf.union(turf.featureCollection(maskedCells.map((m) => square(...m))))!;
  const ours = features.reduce((sum, f) => sum + turf.area(f), 0);
  expect(Math.abs(ours - turf.area(union)) / turf.area(union)).toBeLessThan(1e-6);
  // every masked centre inside exactly one gap, every other centre (covered or empty) inside none
  const boxes = features.map((f) => turf.bbox(f));
  const masked = new Set(maskedCells.map(([col, row]) => row * c.cols + col));
  for (let row = 0; row < c.rows; row++) {
    for (let col = 0; col < c.cols; col++) {
      const p = centre(col, row);
      let inside = 0;
      features.forEach((f, i) => {
        const b = boxes[i];
        if (p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3] && turf.booleanPointInPolygon(p, f)) inside++;
      });
      expect(inside, `cell (${col},${row})`).toBe(masked.has(row * c.cols + col) ? 1 : 0);
    }
  }
}

const HAND: Record<string, { art: string[]; features: number; holes: number; vertices: number[] }> = {
  // vertices: positions per ring (closing one included), shells then holes, over all features
  single: { art: ['#'], features: 1, holes: 0, vertices: [5] },
  L: { art: ['#.', '#.', '##'], features: 1, holes: 0, vertices: [7] },
  ring: { art: ['###', '#.#', '###'], features: 1, holes: 1, vertices: [5, 5] },
  'ring with an empty hole': { art: ['###', '# #', '###'], features: 1, holes: 1, vertices: [5, 5] },
  // the hole touches the shell at the pinch corner (1,1): shell with a notch (7 corners) and a square hole
  'hole touching the shell': { art: ['###', '#.#', '.##'], features: 1, holes: 1, vertices: [7, 5] },
  // two holes meeting at a corner: one shell, two square holes
  'holes touching each other': { art: ['####', '#.##', '##.#', '####'], features: 1, holes: 2, vertices: [5, 5, 5] },
  'two diagonal cells': { art: ['.#', '#.'], features: 2, holes: 0, vertices: [5, 5] },
  checkerboard: { art: ['#.#.', '.#.#', '#.#.', '.#.#'], features: 8, holes: 0, vertices: Array(8).fill(5) },
  U: { art: ['#.#', '#.#', '###'], features: 1, holes: 0, vertices: [9] },
  'island in a hole': { art: ['#####', '#...#', '#.#.#', '#...#', '#####'], features: 2, holes: 1, vertices: [5, 5, 5] },
};

describe('gap polygons of hand-made masks', () => {
  for (const [name, hand] of Object.entries(HAND)) {
    it(`${name}: ${hand.features} polygon(s), ${hand.holes} hole(s), same area and cells as the Turf union`, () => {
      const c = caseOf(hand.art);
      const gaps = gapPolygons(c.grid, c.mask);
      expect(gaps.features.length).toBe(hand.features);
      expect(gaps.features.every((f) => f.geometry.type === 'Polygon')).toBe(true);
      const polygons = gaps.features.flatMap(polygonsOf);
      expect(polygons.reduce((s, p) => s + p.length - 1, 0)).toBe(hand.holes);
      const counts = [...polygons.map((p) => p[0].length), ...polygons.flatMap((p) => p.slice(1).map((r) => r.length))];
      expect(counts.sort()).toEqual([...hand.vertices].sort());
      expectMatchesTurf(c, gaps.features);
    });
  }

  it('7 cells of 100 m × 100 m (hand): Turf measures 0.07 km² within the projection error (0.1 %)', () => {
    const c = caseOf(HAND.U.art);
    const [gap] = gapPolygons(c.grid, c.mask).features;
    expect(gap.properties.cells).toBe(7);
    expect(turf.area(gap) / 70000).toBeCloseTo(1, 3);
  });

  it('splitBy keeps cells of different keys (townships) in different gaps, each still matching Turf', () => {
    // one band of 6 cells, the left 2 in township 0 and the right 4 in township 1: two gaps, never one
    const c = caseOf(['######']);
    const key = Int32Array.from({ length: 6 }, (_, i) => (i < 2 ? 0 : 1));
    const gaps = gapPolygons(c.grid, c.mask, { splitBy: key });
    expect(gaps.features.map((f) => f.properties.cells)).toEqual([2, 4]);
    expectMatchesTurf(c, gaps.features);
    // and with 8-connectivity two diagonal cells of different keys stay apart
    const d = caseOf(['.#', '#.']);
    expect(gapPolygons(d.grid, d.mask, { connectivity: 8, splitBy: Int32Array.from([0, 0, 0, 1]) }).features.length).toBe(2);
  });

  it('with 8-connectivity, diagonal cells form one MultiPolygon whose parts touch at the corner', () => {
    for (const art of [HAND['two diagonal cells'].art, HAND.checkerboard.art, ['#####', '#...#', '#.#.#', '#..##', '#####']]) {
      const c = caseOf(art);
      const gaps = gapPolygons(c.grid, c.mask, { connectivity: 8 });
      expect(gaps.features.length).toBe(1);
      expect(gaps.features[0].geometry.type).toBe('MultiPolygon');
      expectMatchesTurf(c, gaps.features);
    }
  });

  it('no masked cell gives no polygon', () => {
    const c = caseOf(['..', '..']);
    expect(gapPolygons(c.grid, c.mask).features).toEqual([]);
  });

  it('names the input when a length is wrong', () => {
    const c = caseOf(['#.']);
    expect(() => gapPolygons(c.grid, new Uint8Array(5))).toThrow(/cellMask has 5 entries, expected one per populated cell \(2\)/);
    expect(() => gapPolygons(c.grid, c.mask, { splitBy: new Int32Array(1) })).toThrow(/splitBy has 1 entries, expected 2/);
    expect(() => gapPolygons(c.grid, c.mask, { connectivity: 6 as 4 })).toThrow(/connectivity must be 4 or 8, found 6/);
  });
});

/** A cols × rows grid, each cell populated with probability `fill`, masked with probability `density`. */
function randomCase(seed: number, cols: number, rows: number, density: number, fill = 0.9): Case {
  const rand = seededRandom(seed);
  const art: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < cols; c++) line += rand() > fill ? ' ' : rand() < density ? '#' : '.';
    art.push(line);
  }
  return caseOf(art, () => 1 + Math.floor(rand() * 50));
}

describe('gap polygons of seeded random 60 × 60 masks', () => {
  for (const [seed, density] of [[1, 0.3], [2, 0.5], [3, 0.7]] as const) {
    for (const connectivity of [4, 8] as const) {
      it(`seed ${seed}, ${density * 100} % masked, ${connectivity}-connected: Turf union area within 1e-6, each masked centre in exactly one polygon`, () => {
        const c = randomCase(seed, 60, 60, density);
        const gaps = gapPolygons(c.grid, c.mask, { connectivity });
        expectMatchesTurf(c, gaps.features);
      });
    }
  }

  it('population conservation: the gaps hold exactly the masked residents (brute-force sum)', () => {
    const c = randomCase(4, 60, 60, 0.5);
    const gaps = gapPolygons(c.grid, c.mask);
    let pop = 0, pop60 = 0, cells = 0;
    for (let j = 0; j < c.grid.count; j++) if (c.mask[j]) { pop += c.grid.population[j]; pop60 += c.grid.aged60[j]; cells++; }
    const sum = (key: 'population' | 'population_60plus' | 'cells') => gaps.features.reduce((s, f) => s + f.properties[key], 0);
    // integer populations, so both sums are exact
    expect(sum('population')).toBe(pop);
    expect(sum('cells')).toBe(cells);
    expect(sum('population_60plus')).toBeCloseTo(pop60, 9);
  });
});

describe('acceptance: a circle\'s gap polygons hold its uncovered residents', () => {
  it('walk 5 min on a generated network: the summary\'s uncovered residents, also by point-in-polygon (Turf)', () => {
    const network = generatedNetwork(11, 25);
    const rand = seededRandom(12);
    const n = 6000;
    const lon = Float64Array.from({ length: n }, () => 106.398 + rand() * 0.028);
    const lat = Float64Array.from({ length: n }, () => 30.498 + rand() * 0.028);
    const population = Float64Array.from({ length: n }, () => rand() * 10);
    const grid = gridFromPoints({ lon, lat, population }, { cellSize: 100, weightedOrigins: false });
    const facilities = createFacilitySet([[106.405, 30.505], [106.42, 30.515], [106.41, 30.52]].map(([x, y], i) => ({ lon: x, lat: y, id: `F${i}` })));
    const r = runCircle({ grid, facilities, network: networkPreparer(network, grid, { maxSnapMeters: 150 }) }, explicitCircle({ mode: 'walk', minutes: 5 }, null));
    const inGaps = r.gaps.features.reduce((s, f) => s + f.properties.uncovered_population, 0);
    const uncovered = r.summary.population.uncovered;
    expect(uncovered).toBeGreaterThan(0);
    expect(Math.abs(inGaps - uncovered) / uncovered).toBeLessThan(1e-9);
    // weightedOrigins false: the origin is the cell centre
    let inside = 0;
    for (let j = 0; j < grid.count; j++) {
      const p = [grid.originLon[j], grid.originLat[j]];
      if (r.gaps.features.some((f) => turf.booleanPointInPolygon(p, f))) inside += grid.population[j];
    }
    expect(Math.abs(inside - uncovered) / uncovered).toBeLessThan(0.005);
  });
});

// golden fixtures: tests/fixtures/gaps/<name>.in.geojson (cell centres with population, uncovered, township)
// → <name>.out.geojson (4-connected) and <name>.8.out.geojson; REGEN=1 rewrites the outputs on purpose
const FIXTURES = 'tests/fixtures/gaps';
const FIXTURE_LON0 = 106.63, FIXTURE_LAT0 = 30.54;

function gridOfFixture(fc: FeatureCollection<Point, { population: number; uncovered: boolean; township: string }>): { grid: PopulationGrid; mask: Uint8Array } {
  const proj = createLocalProjection(FIXTURE_LON0, FIXTURE_LAT0);
  const cells = fc.features.map((f) => {
    const [x, y] = proj.forward(f.geometry.coordinates[0], f.geometry.coordinates[1]);
    return { col: Math.floor(x / SIZE), row: Math.floor(y / SIZE), ...f.properties };
  });
  const cols = Math.max(...cells.map((c) => c.col)) + 1, rows = Math.max(...cells.map((c) => c.row)) + 1;
  cells.sort((a, b) => a.row * cols + a.col - (b.row * cols + b.col));
  const unitNames = [...new Set(cells.map((c) => c.township))].sort();
  const n = cells.length;
  const grid: PopulationGrid = {
    lon0: FIXTURE_LON0, lat0: FIXTURE_LAT0, x0: 0, y0: 0, cellSize: SIZE, cols, rows, count: n,
    cellIndex: Uint32Array.from(cells, (c) => c.row * cols + c.col),
    originLon: Float64Array.from(fc.features, () => 0), originLat: Float64Array.from(fc.features, () => 0),
    population: Float64Array.from(cells, (c) => c.population), aged60: new Float64Array(n), hasAged60: false,
    urbanClass: new Uint8Array(n), unit: Int32Array.from(cells, (c) => unitNames.indexOf(c.township)), unitNames, unitCodes: unitNames.map(() => ''),
  };
  return { grid, mask: Uint8Array.from(cells, (c) => (c.uncovered ? 1 : 0)) };
}

describe('golden fixtures', () => {
  const inputs = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f.endsWith('.in.geojson')) : [];
  it('has fixtures', () => expect(inputs.length).toBeGreaterThan(0));
  for (const file of inputs) {
    for (const connectivity of [4, 8] as const) {
      const out = join(FIXTURES, file.replace('.in.geojson', connectivity === 4 ? '.out.geojson' : '.8.out.geojson'));
      it(`${file} → ${out}`, () => {
        const { grid, mask } = gridOfFixture(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')));
        const gaps = gapPolygons(grid, mask, { connectivity });
        // coloured so the file reads in a map viewer (geojson.io, QGIS)
        const actual = JSON.parse(JSON.stringify({ ...gaps, features: gaps.features.map((f) => ({ ...f, properties: { ...f.properties, fill: '#d7301f', 'fill-opacity': 0.5, stroke: '#7f0000' } })) }));
        if (process.env.REGEN) writeFileSync(out, JSON.stringify(actual, null, 1) + '\n');
        expect(actual).toEqual(JSON.parse(readFileSync(out, 'utf8')));
      });
    }
  }
});

describe('PostGIS ST_IsValid of every gap polygon', () => {
  let url: string | undefined;
  beforeAll(async () => { url = await testDatabaseUrl(); });

  it('hand-made and random masks, both connectivities', async (ctx) => {
    if (!url) { console.warn(skipMessage('ST_IsValid of gap polygons')); ctx.skip(); return; }
    const geometries: string[] = [];
    const cases = [...Object.values(HAND).map((h) => caseOf(h.art)), ...[1, 2, 3, 5, 6].map((s) => randomCase(s, 60, 60, 0.3 + 0.1 * s))];
    for (const c of cases) {
      for (const connectivity of [4, 8] as const) {
        for (const f of gapPolygons(c.grid, c.mask, { connectivity }).features) geometries.push(JSON.stringify(f.geometry));
      }
    }
    const invalid = await withClient(url, async (client) => (await client.query(
      `SELECT i, ST_IsValidReason(ST_GeomFromGeoJSON(g)) AS reason FROM unnest($1::text[]) WITH ORDINALITY AS t(g, i)
       WHERE NOT ST_IsValid(ST_GeomFromGeoJSON(g))`, [geometries])).rows);
    expect(geometries.length).toBeGreaterThan(1000);
    expect(invalid).toEqual([]);
  });

  // planar area in degrees²: cell edges are straight lines in lon/lat (on the geography they would be great-circle
  // arcs, and merging collinear vertices along a parallel changes that area by ~1e-7)
  it('PostGIS agrees on the area: ST_Area(ST_Union(squares)) = sum of ST_Area(gap) in lon/lat', async (ctx) => {
    if (!url) { console.warn(skipMessage('PostGIS area of gap polygons')); ctx.skip(); return; }
    const c = randomCase(7, 40, 40, 0.5);
    const gaps = gapPolygons(c.grid, c.mask).features.map((f) => JSON.stringify(f.geometry));
    const squares: string[] = [];
    for (let j = 0; j < c.grid.count; j++) {
      if (c.mask[j]) squares.push(JSON.stringify(square(c.grid.cellIndex[j] % c.cols, Math.floor(c.grid.cellIndex[j] / c.cols)).geometry));
    }
    const row = await withClient(url, async (client) => (await client.query(
      `SELECT (SELECT sum(ST_Area(ST_GeomFromGeoJSON(g))) FROM unnest($1::text[]) g) AS ours,
              (SELECT ST_Area(ST_Union(ST_GeomFromGeoJSON(g))) FROM unnest($2::text[]) g) AS theirs`, [gaps, squares])).rows[0]);
    expect(Math.abs(row.ours - row.theirs) / row.theirs).toBeLessThan(1e-9);
  });
});

// A region run county by county (analysis/tiles/) against the same run untiled: a seeded 2×2-county region,
// every cell's cost, facility and reachability equal bit for bit, cells near county lines included; a halo
// narrower than the reach must show up as differences; the county rollup checked against sums made here.
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { analyzeAccess, type AccessRequest, type AccessResult } from '../analysis/accessibility/analyze-access.ts';
import { createFacilitySet, type FacilitySet } from '../analysis/facilities/facility-set.ts';
import { haversineMeters } from '../analysis/geo/local-projection.ts';
import { assignUnits } from '../analysis/grid/assign-units.ts';
import { gridFromPoints, type PopulationGrid } from '../analysis/grid/population-grid.ts';
import { buildRoadNetwork, type RoadNetwork } from '../analysis/network/road-network.ts';
import { haloMeters } from '../analysis/tiles/halo-meters.ts';
import { planTiles } from '../analysis/tiles/plan-tiles.ts';
import { runTiled, type StoredTile } from '../analysis/tiles/run-tiled.ts';
import { generatedNetwork } from './support/generated-network.ts';
import { seededRandom } from './support/seeded-random.ts';

// ---- the seeded region: a 70 × 70 street grid (~6.7 km × 7.8 km), 100 m cells over it, four quadrant counties

const LON0 = 106.4, LAT0 = 30.5, SPAN = 0.07;
const MID_LON = LON0 + SPAN / 2, MID_LAT = LAT0 + SPAN / 2;

function quadrant(name: string, w: number, s: number, e: number, n: number): Feature<Polygon> {
  return { type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } };
}

function region(seed: number): { grid: PopulationGrid; network: RoadNetwork; facilities: FacilitySet } {
  const rand = seededRandom(seed);
  const network = generatedNetwork(seed, 70, LON0, LAT0);
  const lon: number[] = [], lat: number[] = [], pop: number[] = [];
  for (let r = 0; r < 78; r++) {
    for (let c = 0; c < 68; c++) {
      if (rand() < 0.05) continue;
      lon.push(LON0 + (c + 0.5) * (SPAN / 68));
      lat.push(LAT0 + (r + 0.5) * (SPAN / 78));
      pop.push(1 + Math.floor(rand() * 40));
    }
  }
  const cells = gridFromPoints({ lon: Float64Array.from(lon), lat: Float64Array.from(lat), population: Float64Array.from(pop) }, { cellSize: 100, weightedOrigins: false });
  const e = LON0 + SPAN + 0.01, n = LAT0 + SPAN + 0.01, w = LON0 - 0.01, s = LAT0 - 0.01;
  const grid = assignUnits(cells, {
    names: ['SW', 'SE', 'NW', 'NE'], codes: ['1', '2', '3', '4'],
    features: [quadrant('SW', w, s, MID_LON, MID_LAT), quadrant('SE', MID_LON, s, e, MID_LAT), quadrant('NW', w, MID_LAT, MID_LON, n), quadrant('NE', MID_LON, MID_LAT, e, n)],
  });
  const facilities = createFacilitySet(Array.from({ length: 14 }, (_, i) => ({
    lon: LON0 + rand() * SPAN, lat: LAT0 + rand() * SPAN, id: `F${i}`,
  })));
  return { grid, network, facilities };
}

const countyOf = (lon: number, lat: number) => (lon < MID_LON ? 0 : 1) + (lat < MID_LAT ? 0 : 2);

/** Cells whose cost, facility or reachability differ between two runs (Object.is: -0 and NaN count). */
function differences(a: AccessResult, b: AccessResult): number[] {
  const out: number[] = [];
  for (let c = 0; c < a.cost.length; c++) {
    if (!Object.is(a.cost[c], b.cost[c]) || a.facility[c] !== b.facility[c] || a.unreachable[c] !== b.unreachable[c]) out.push(c);
  }
  return out;
}

/** Covered cells of one county whose facility lies in another one: the ones a too-small tile would get wrong. */
function acrossTheLine(r: AccessResult, grid: PopulationGrid, facilities: FacilitySet): number {
  let n = 0;
  for (let c = 0; c < grid.count; c++) {
    const f = r.facility[c];
    if (f >= 0 && r.cost[c] <= r.threshold && countyOf(facilities.lon[f], facilities.lat[f]) !== grid.unit[c]) n++;
  }
  return n;
}

const { grid, network, facilities } = region(7);
const CASES: Array<[string, Partial<AccessRequest>]> = [
  ['walk 15 min', { mode: 'walk', minutes: 15 }],
  ['elderly walk 800 m (distance)', { mode: 'elderly-walk', meters: 800 }],
  ['car 2 min', { mode: 'car', minutes: 2 }],
  ['straight line 900 m', { mode: 'straight', meters: 900 }],
];

describe('runTiled: a region county by county equals the untiled run', () => {
  it('the region is four counties and every cell has one', () => {
    expect(grid.unitNames).toEqual(['SW', 'SE', 'NW', 'NE']);
    for (let c = 0; c < grid.count; c++) expect(grid.unit[c]).toBe(countyOf(grid.originLon[c], grid.originLat[c]));
    const tiles = planTiles(grid, { haloMeters: 1000 });
    expect(tiles.map((t) => t.name)).toEqual(['SW', 'SE', 'NW', 'NE']);
    // each cell owned by exactly one tile
    expect(tiles.reduce((n, t) => n + t.cells.length, 0)).toBe(grid.count);
  });

  for (const [label, q] of CASES) {
    it(`${label}: identical per-cell costs, county lines included`, async () => {
      const request = { grid, facilities, network, ...q } as AccessRequest;
      const whole = analyzeAccess(request);
      const tiled = await runTiled(request);
      expect(tiled.tiles).toHaveLength(4);
      expect(differences(tiled, whole)).toEqual([]);
      expect(tiled.summary).toEqual(whole.summary);
      expect(tiled.islands).toEqual(whole.islands);
      expect(tiled.unsnappedFacilities).toEqual(whole.unsnappedFacilities);
      // the equality means something: cells are served across a county line (seed 7: 167 on foot, 62 at 800 m, 24 by
      // car, 187 straight; > 20 so a handful of cells cannot carry it), and tiles are smaller than the region
      expect(acrossTheLine(whole, grid, facilities)).toBeGreaterThan(20);
      if (q.mode !== 'straight') for (const t of tiled.tiles) expect(t.segments).toBeLessThan(network.segmentCount);
    });
  }

  it('a halo narrower than the reach (150 m) is caught: border cells differ', async () => {
    const request: AccessRequest = { grid, facilities, network, mode: 'car', minutes: 5 };
    // the right halo: 5 min at the network's fastest car class (primary, 60 km/h) + the 500 m snap limit
    expect(haloMeters(request)).toBeCloseTo(5 * 60 * (60 / 3.6) + 500, 9);
    const whole = analyzeAccess(request);
    expect(differences(await runTiled(request), whole)).toEqual([]);
    // network tiles see facilities one snap limit (500 m) and roads two past the halo, which alone holds the short
    // reaches above (walk 15 min, car 2 min); 5 min by car and 30 min on foot reach past 150 + 1000 m.
    // Expected counts: any difference would fail the equality tests; > 50 here so it is the halo, not a stray tie
    expect(differences(await runTiled(request, { haloMeters: 150 }), whole).length).toBeGreaterThan(50);
    const walk: AccessRequest = { grid, facilities, network, mode: 'walk', minutes: 30 };
    expect(differences(await runTiled(walk, { haloMeters: 150 }), analyzeAccess(walk)).length).toBeGreaterThan(50);
    // straight lines have no snap margin: 150 m of a 900 m reach loses the facilities across the line
    const straight: AccessRequest = { grid, facilities, mode: 'straight', meters: 900 };
    expect(differences(await runTiled(straight, { haloMeters: 150 }), analyzeAccess(straight)).length).toBeGreaterThan(50);
  });

  it('the county rollup adds up the per-cell results once each', async () => {
    const request: AccessRequest = { grid, facilities, network, mode: 'walk', minutes: 15 };
    const tiled = await runTiled(request);
    const whole = analyzeAccess(request);
    // expected: a plain loop over the untiled run's cells (cost <= 900 s is covered), by the cell's county
    const population = [0, 0, 0, 0], covered = [0, 0, 0, 0], cells = [0, 0, 0, 0];
    for (let c = 0; c < grid.count; c++) {
      const u = grid.unit[c];
      cells[u]++;
      population[u] += grid.population[c];
      if (whole.cost[c] <= 900) covered[u] += grid.population[c];
    }
    expect(tiled.rollup.map((r) => r.name)).toEqual(['SW', 'SE', 'NW', 'NE']);
    expect(tiled.rollup.map((r) => r.cells)).toEqual(cells);
    expect(tiled.rollup.map((r) => r.population)).toEqual(population);
    expect(tiled.rollup.map((r) => r.covered)).toEqual(covered);
    expect(tiled.rollup.map((r) => r.share)).toEqual(covered.map((v, u) => v / population[u]));
    // the counties make the region: whole-grid sums from the grid's own column
    const total = grid.population.reduce((a, b) => a + b, 0);
    expect(tiled.rollup.reduce((a, r) => a + r.population, 0)).toBeCloseTo(total, 6);
    expect(tiled.rollup.reduce((a, r) => a + r.covered, 0)).toBeCloseTo(tiled.summary.population.covered, 6);
  });

  it('straight lines: tiled costs equal a brute-force nearest facility by haversine', async () => {
    const tiled = await runTiled({ grid, facilities, network, mode: 'straight', meters: 900 });
    // expected: every facility tried for every cell, nearest kept (ties to the lower index), none beyond 900 m
    let wrong = 0;
    for (let c = 0; c < grid.count; c++) {
      let best = Infinity, bestF = -1;
      for (let f = 0; f < facilities.count; f++) {
        const d = haversineMeters(grid.originLon[c], grid.originLat[c], facilities.lon[f], facilities.lat[f]);
        if (d <= 900 && d < best) { best = d; bestF = f; }
      }
      if (!Object.is(tiled.cost[c], best) || tiled.facility[c] !== bestF) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('runTile is injectable: a runner that passes tiles through a structured clone (as to a worker) gives the same result', async () => {
    const request: AccessRequest = { grid, facilities, network, mode: 'car', minutes: 2 };
    const seen: string[] = [];
    const viaClone = await runTiled(request, {
      concurrency: 2,
      runTile: async (tile) => {
        seen.push(tile.name);
        const copy = structuredClone({ ...tile, request: { ...tile.request, network: { ...tile.request.network!, proj: undefined } } });
        return analyzeAccess({ ...copy.request, network: { ...copy.request.network, proj: tile.request.network!.proj } } as AccessRequest);
      },
    });
    expect(seen.sort()).toEqual(['NE', 'NW', 'SE', 'SW']);
    expect(differences(viaClone, analyzeAccess(request))).toEqual([]);
  });

  it('tiles stored elsewhere (as queue jobs file them, in region terms) merge without being cut or run again', async () => {
    const request: AccessRequest = { grid, facilities, network, mode: 'walk', minutes: 15 };
    const stored = new Map<number, StoredTile>();
    // each tile computed on its own, as a worker would, and kept as region cells and region facilities
    await runTiled(request, {
      runTile: (tile) => {
        const r = analyzeAccess(tile.request);
        stored.set(tile.unit, { ...r, cells: tile.cells, facilities: tile.facilities, nodes: tile.request.network!.nodeCount, segments: tile.request.network!.segmentCount, ms: 0 });
        return r;
      },
    });
    const merged = await runTiled(request, { stored, runTile: () => { throw new Error('a stored tile was cut and run again'); } });
    const whole = analyzeAccess(request);
    expect(differences(merged, whole)).toEqual([]);
    expect(merged.summary).toEqual(whole.summary);
    expect(merged.unsnappedFacilities).toEqual(whole.unsnappedFacilities);
    // a stored tile that does not own its planned cells is refused
    const [unit, first] = [...stored][0];
    const wrong = new Map(stored).set(unit, { ...first, cells: first.cells.slice(1) });
    await expect(runTiled(request, { stored: wrong })).rejects.toThrow(/does not own the cells planned for it/);
  });

  it('islands are judged on the region: a road that leaves a county and comes back is no island in its tile', async () => {
    // a U of two 36-node arms (220 m apart along them) joined in the south county; an 8 × 8 street grid in the north one
    const lon: number[] = [], lat: number[] = [], ways: Array<{ nodes: number[]; tags: Record<string, string> }> = [];
    const node = (x: number, y: number) => { lon.push(x); lat.push(y); return lon.length - 1; };
    const grid8 = Array.from({ length: 64 }, (_, i) => node(106.40 + (i % 8) * 0.001, 30.50 + Math.floor(i / 8) * 0.001));
    for (let i = 0; i < 64; i++) {
      if (i % 8 < 7) ways.push({ nodes: [grid8[i], grid8[i + 1]], tags: { highway: 'residential' } });
      if (i < 56) ways.push({ nodes: [grid8[i], grid8[i + 8]], tags: { highway: 'residential' } });
    }
    const arm = (x: number) => Array.from({ length: 36 }, (_, k) => node(x, 30.51 - k * 0.002));
    const west = arm(106.43), east = arm(106.433);
    ways.push({ nodes: west, tags: { highway: 'residential' } }, { nodes: east, tags: { highway: 'residential' } });
    ways.push({ nodes: [west[35], node(106.4315, 30.44), east[35]], tags: { highway: 'residential' } });
    const net = buildRoadNetwork({ lon: Float64Array.from(lon), lat: Float64Array.from(lat), ways });
    const plon: number[] = [], plat: number[] = [];
    for (let i = 0; i < 15; i++) for (let j = 0; j < 10; j++) {
      plon.push(106.399 + i * 0.0026); plat.push(30.4985 + j * 0.0012); // north: the street grid and the arms' tops
      plon.push(106.428 + i * 0.0005); plat.push(30.4405 + j * 0.0005); // south: the U's bottom
    }
    const g = assignUnits(gridFromPoints({ lon: Float64Array.from(plon), lat: Float64Array.from(plat), population: new Float64Array(plon.length).fill(5) }, { cellSize: 100, weightedOrigins: false }), {
      names: ['north', 'south'], codes: ['1', '2'], features: [quadrant('north', 106, 30.49, 107, 31), quadrant('south', 106, 30, 107, 30.49)],
    });
    const fac = createFacilitySet([{ lon: 106.4302, lat: 30.505, id: 'arm' }, { lon: 106.403, lat: 30.503, id: 'grid' }, { lon: 106.4316, lat: 30.4402, id: 'bottom' },
      // beyond every tile's halo and 3 km from any road: only the untiled run would look at it, unless asked to
      { lon: 106.47, lat: 30.47, id: 'far' },
      // beyond every halo too, but on the west arm: it joins a road, so it is not listed
      { lon: 106.4301, lat: 30.47, id: 'between' }]);
    const request: AccessRequest = { grid: g, facilities: fac, network: net, mode: 'walk', minutes: 5 };
    const whole = analyzeAccess(request);
    // the region sees one U of 73 nodes (no island); the north tile sees only the arms' tops, 16 nodes each (an island is < 20)
    expect(whole.islands?.smallIslands).toBe(0);
    let onArms = 0;
    for (let c = 0; c < g.count; c++) if (g.unit[c] === 0 && whole.facility[c] === 0) onArms++;
    expect(onArms).toBeGreaterThan(5);
    const tiled = await runTiled(request);
    expect(differences(tiled, whole)).toEqual([]);
    expect(whole.unsnappedFacilities).toEqual(['far']);
    expect(tiled.unsnappedFacilities).toEqual(['far']);
    // the same tiles with islands judged in the tile alone: the arm cells lose their road
    const alone = await runTiled(request, { runTile: (t) => analyzeAccess({ ...t.request, snapMask: undefined }) });
    expect(differences(alone, whole).length).toBeGreaterThanOrEqual(onArms);
  });
});

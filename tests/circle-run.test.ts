// One circle run: a hand-computed road (costs, reasons, township split, the elderly off-road pace), a brute-force
// recombination of per-service analyzeAccess runs for dual-reach and multi-service circles, and the what-if
// session against full runs of the edited facilities (per cell, per township, the gap GeoJSON).
import { describe, expect, it } from 'vitest';
import { analyzeAccess } from '../analysis/accessibility/analyze-access.ts';
import {
  BEYOND_REACH, COVERED, explicitCircle, ISLAND, NO_FACILITY_WITHIN_SEARCH, NO_ROAD_WITHIN_SNAP, NOT_ASSESSED, type Circle,
} from '../analysis/circles/circle.ts';
import { createCircleSession } from '../analysis/circles/circle-session.ts';
import { networkPreparer } from '../analysis/circles/network-preparer.ts';
import { runCircle, type CircleInputs, type CircleResult } from '../analysis/circles/run-circle.ts';
import { createFacilitySet, type FacilitySet } from '../analysis/facilities/facility-set.ts';
import { gridFromPoints, RURAL, URBAN, type PopulationGrid } from '../analysis/grid/population-grid.ts';
import { buildRoadNetwork, type RoadWay } from '../analysis/network/road-network.ts';
import { applyEdits } from '../analysis/scenario/apply-edits.ts';
import type { ScenarioEdit } from '../analysis/scenario/scenario-engine.ts';
import { generatedNetwork } from './support/generated-network.ts';
import { seededRandom } from './support/seeded-random.ts';

const D = 111.19508; // metres per 0.001 degree on the equator (haversine, R = 6371008.8 m)

describe('a hand-computed road', () => {
  // a residential street along the equator, nodes every 0.001° (D metres), 0..40; a separate 24-node street at
  // lat 0.02 (an island of the walking network); the facility sits on node 0
  const main = Array.from({ length: 41 }, (_, i) => [i, 0] as [number, number]);
  const island = Array.from({ length: 24 }, (_, i) => [i, 20] as [number, number]);
  const points = [...main, ...island];
  const ways: RoadWay[] = [
    { nodes: main.map((_, i) => i), tags: { highway: 'residential' } },
    { nodes: island.map((_, i) => 41 + i), tags: { highway: 'residential' } },
  ];
  const network = buildRoadNetwork({ lon: Float64Array.from(points, (p) => p[0] / 1000), lat: Float64Array.from(points, (p) => p[1] / 1000), ways });
  // one cell beside the middle of every segment k (0..39), 0.001° north (1 D off the road), in row 1; cell 40 a
  // kilometre from any road (row 10); cell 41 beside the island (row 20). Cells k < 20 and 40 in 乡A, the rest in
  // 乡B; 10 residents each, k % 10 of them aged 60+ (5 in the last two).
  const origins: Array<{ lon: number; lat: number; index: number; unit: number; aged: number }> = [];
  for (let k = 0; k < 40; k++) origins.push({ lon: (k + 0.5) / 1000, lat: 1 / 1000, index: 100 + k, unit: k < 20 ? 0 : 1, aged: k % 10 });
  origins.push({ lon: 60 / 1000, lat: 10 / 1000, index: 1060, unit: 0, aged: 5 });
  origins.push({ lon: 5.5 / 1000, lat: 20.5 / 1000, index: 2005, unit: 1, aged: 5 });
  const FAR = 40, ISLE = 41;
  const n = origins.length;
  const ordered: PopulationGrid = {
    lon0: 0, lat0: 0, x0: 0, y0: 0, cellSize: D, cols: 100, rows: 30, count: n,
    cellIndex: Uint32Array.from(origins, (o) => o.index),
    originLon: Float64Array.from(origins, (o) => o.lon), originLat: Float64Array.from(origins, (o) => o.lat),
    population: new Float64Array(n).fill(10), aged60: Float64Array.from(origins, (o) => o.aged), hasAged60: true,
    urbanClass: new Uint8Array(n).fill(RURAL), unit: Int32Array.from(origins, (o) => o.unit), unitNames: ['乡A', '乡B'], unitCodes: ['511621101', '511621102'],
  };
  const facilities = createFacilitySet([{ lon: 0, lat: 0, id: 'S1', name: '站一', category: 'elderly_station' }]);
  const inputs: CircleInputs = { grid: ordered, facilities, network: networkPreparer(network, ordered, { minIslandNodes: 2 }) };

  it('walk 15 min: cost = (k + 0.5) D along the road + 1 D off it at 4.5 km/h; covered up to k = 8', () => {
    const r = runCircle(inputs, explicitCircle({ mode: 'walk', minutes: 15 }, null));
    for (let k = 0; k < 29; k++) expect(r.cost[k]).toBeCloseTo(((k + 1.5) * D) / 1.25, 3);
    // 900 s × 1.25 m/s = 1125 m = 10.117 D: k + 1.5 <= 10.117 → k <= 8
    expect([...r.status.slice(0, 10)]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, BEYOND_REACH]);
    // searched to 3 × 900 s = 3375 m = 30.35 D: k + 1.5 <= 30.35 → k <= 28 has a time
    expect(r.status[28]).toBe(BEYOND_REACH);
    expect(r.status[29]).toBe(NO_FACILITY_WITHIN_SEARCH);
    expect(r.status[FAR]).toBe(NO_ROAD_WITHIN_SNAP);
    expect(r.status[ISLE]).toBe(ISLAND);
  });

  it('elderly walk: the off-road leg too at 3.0 km/h, so cost = (k + 1.5) D / (3 / 3.6)', () => {
    const r = runCircle(inputs, explicitCircle({ mode: 'elderly-walk', minutes: 15 }, null, { population: 'aged60' }));
    for (let k = 0; k < 15; k++) expect(r.cost[k]).toBeCloseTo(((k + 1.5) * D) / (3 / 3.6), 3);
    // 900 s at 0.8333 m/s = 750 m = 6.745 D: k <= 5 covered
    expect(r.status[5]).toBe(COVERED);
    expect(r.status[6]).toBe(BEYOND_REACH);
  });

  it('gaps: one township, one reason each; beyond-reach gaps name the facility and the time (hand sums)', () => {
    const r = runCircle(inputs, explicitCircle({ mode: 'walk', minutes: 15 }, null, { population: 'aged60' }));
    const gaps = r.gaps.features.map((f) => f.properties);
    const find = (township: string, reason: string) => gaps.find((g) => g.township === township && g.reason === reason)!;
    // 乡A beyond reach: cells 9..19 (11 cells, 110 residents, 60+ = 9 + 0..9 = 54)
    const a = find('乡A', 'beyond_reach');
    expect(a).toMatchObject({ cells: 11, uncovered_population: 110, uncovered_60plus: 54, uncovered_group: 54, township_code: '511621101', nearest_facility_id: 'S1', nearest_facility_name: '站一', cost_unit: 'minutes', threshold: 15, side: 'rural' });
    // 60+-weighted mean of (k + 1.5) D / 1.25 s over k = 9..19 with weights k % 10
    let w = 0, s = 0;
    for (let k = 9; k <= 19; k++) { w += k % 10; s += (k % 10) * ((k + 1.5) * D) / 1.25; }
    expect(a.mean_cost).toBeCloseTo(s / w / 60, 5);
    expect(a.max_cost).toBeCloseTo((20.5 * D) / 1.25 / 60, 5);
    // 乡B: beyond reach 20..28, nothing found 29..39, the island cell; the far cell is in 乡A
    expect(find('乡B', 'beyond_reach').cells).toBe(9);
    expect(find('乡B', 'no_facility_within_search')).toMatchObject({ cells: 11, mean_cost: null, nearest_facility_id: null });
    expect(find('乡B', 'island').cells).toBe(1);
    expect(find('乡A', 'no_road_within_snap').cells).toBe(1);
    expect(gaps.length).toBe(5);
    // sorted by the group's uncovered residents
    expect(gaps.map((g) => g.uncovered_group)).toEqual([...gaps.map((g) => g.uncovered_group)].sort((x, y) => y - x));
    // the summary counts the same residents, by reason too
    expect(r.summary.population.uncovered).toBe(gaps.reduce((t, g) => t + g.uncovered_population, 0));
    expect(r.summary.byReason.island.population).toBe(10);
    expect(r.summary.byUnit[0].aged60!.covered).toBe(0 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8);
  });

  it('a what-if site on the island covers it; removing S1 leaves nothing found anywhere', () => {
    const circle = explicitCircle({ mode: 'walk', minutes: 15 }, null);
    const session = createCircleSession(inputs, circle);
    const added = session.apply([{ op: 'add', id: 'S2', lon: 5.5 / 1000, lat: 20 / 1000, category: 'elderly_station' }]);
    expect(added.status[ISLE]).toBe(COVERED);
    const removed = session.apply([{ op: 'remove', id: 'S1' }]);
    expect(removed.summary.population.covered).toBe(0);
    expect(removed.summary.byReason.no_facility_within_search.cells).toBe(40);
    expect(removed.status[ISLE]).toBe(ISLAND);
  });
});

/** Population over a generated lattice, three townships by column, urban cells in the middle third of rows. */
function generatedGrid(seed: number, side: number): PopulationGrid {
  const rand = seededRandom(seed);
  const count = side * side * 3;
  const lon = new Float64Array(count), lat = new Float64Array(count), pop = new Float64Array(count), aged = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    // a fringe beyond the lattice, so some cells are too far from every road
    lon[i] = 106.4 - 0.008 + rand() * (side * 0.001 + 0.016);
    lat[i] = 30.5 - 0.0005 + rand() * side * 0.001;
    pop[i] = 1 + Math.floor(rand() * 20);
    aged[i] = Math.floor(pop[i] * rand() * 0.5);
  }
  const g = gridFromPoints({ lon, lat, population: pop, aged60: aged }, { cellSize: 100 });
  const unit = new Int32Array(g.count), urbanClass = new Uint8Array(g.count);
  for (let i = 0; i < g.count; i++) {
    const col = g.cellIndex[i] % g.cols, row = Math.floor(g.cellIndex[i] / g.cols);
    unit[i] = col === 0 ? -1 : Math.min(2, Math.floor((3 * col) / g.cols));
    urbanClass[i] = row >= g.rows / 3 && row < (2 * g.rows) / 3 ? URBAN : RURAL;
  }
  return { ...g, unit, urbanClass, unitNames: ['东乡', '中镇', '西街道'], unitCodes: ['511621001', '511621002', '511621003'] };
}

const CATEGORIES = ['clinic', 'school', 'station'];

function randomFacilities(rand: () => number, count: number, side: number): FacilitySet {
  return createFacilitySet(Array.from({ length: count }, (_, i) => ({
    lon: 106.4 + rand() * (side - 1) * 0.001, lat: 30.5 + rand() * (side - 1) * 0.001, id: `F${i}`, name: `设施${i}`, category: CATEGORIES[i % 3],
  })));
}

function randomEdits(rand: () => number, ids: string[], side: number, count: number, tag: string): ScenarioEdit[] {
  const alive = [...ids];
  const edits: ScenarioEdit[] = [];
  const point = () => ({ lon: 106.4 + rand() * (side - 1) * 0.001, lat: 30.5 + rand() * (side - 1) * 0.001 });
  for (let k = 0; k < count; k++) {
    const u = rand();
    if (u < 0.4 || alive.length === 0) {
      const id = `${tag}-${k}`;
      edits.push({ op: 'add', id, category: CATEGORIES[Math.floor(rand() * 3)], ...point() });
      alive.push(id);
    } else if (u < 0.7) {
      edits.push({ op: 'remove', id: alive.splice(Math.floor(rand() * alive.length), 1)[0] });
    } else {
      edits.push({ op: 'move', id: alive[Math.floor(rand() * alive.length)], ...point() });
    }
  }
  return edits;
}

const CIRCLES: Circle[] = [
  {
    id: 'dual-every', zh: '城乡双阈值', en: 'dual', require: 'every', population: 'all', coverageTarget: 0.9, unknownClassAs: 'rural',
    services: [{ id: 'health', zh: '医', en: 'health', categories: ['clinic'] }, { id: 'school', zh: '学', en: 'school', categories: ['school', 'station'] }],
    urban: { mode: 'walk', minutes: 4 }, rural: { mode: 'car', minutes: 1.5 },
  },
  {
    id: 'elderly', zh: '养老', en: 'elderly', require: 'any', population: 'aged60', coverageTarget: 0.9, unknownClassAs: 'rural',
    services: [{ id: 'care', zh: '养', en: 'care', categories: ['station'] }], urban: { mode: 'elderly-walk', minutes: 5 }, rural: { mode: 'elderly-walk', minutes: 5 },
  },
  {
    id: 'rural-distance', zh: '十里', en: 'rural', require: 'any', population: 'rural', coverageTarget: 0.9, unknownClassAs: 'rural',
    services: [{ id: 'a', zh: '甲', en: 'a', categories: ['clinic'] }, { id: 'b', zh: '乙', en: 'b', categories: ['school'] }], urban: null, rural: { mode: 'walk', meters: 500 },
  },
  {
    id: 'straight', zh: '直线', en: 'straight', require: 'every', population: 'all', coverageTarget: 0.9, unknownClassAs: 'urban',
    services: [{ id: 'a', zh: '甲', en: 'a', categories: ['clinic'] }, { id: 'b', zh: '乙', en: 'b', categories: ['station'] }],
    urban: { mode: 'straight', meters: 400 }, rural: { mode: 'straight', minutes: 8 },
  },
];

/** The reference: per service and side, analyzeAccess on that service's facilities; combined here by hand. */
function bruteForce(grid: PopulationGrid, facilities: FacilitySet, network: ReturnType<typeof generatedNetwork>, circle: Circle) {
  const services = circle.require === 'any' ? [{ categories: circle.services.flatMap((s) => s.categories) }] : circle.services;
  const covered = new Uint8Array(grid.count), judged = new Uint8Array(grid.count);
  for (const [cls, reach] of [[URBAN, circle.urban], [RURAL, circle.rural]] as const) {
    if (reach === null) continue;
    const per = services.map((s) => {
      const set = createFacilitySet(Array.from({ length: facilities.count }, (_, i) => i).filter((i) => s.categories.includes(facilities.category[i]))
        .map((i) => ({ lon: facilities.lon[i], lat: facilities.lat[i], id: facilities.id[i] })));
      return set.count === 0 ? null : analyzeAccess({ grid, facilities: set, network, mode: reach.mode, minutes: reach.minutes, meters: reach.meters });
    });
    for (let c = 0; c < grid.count; c++) {
      const own = grid.urbanClass[c] === 0 ? (circle.unknownClassAs === 'urban' ? URBAN : RURAL) : grid.urbanClass[c];
      if (own !== cls || (circle.population === 'rural' && cls !== RURAL)) continue;
      judged[c] = 1;
      const ok = per.map((r) => r !== null && r.cost[c] <= r.threshold);
      if (circle.require === 'every' ? ok.every(Boolean) : ok.some(Boolean)) covered[c] = 1;
    }
  }
  const byUnit = grid.unitNames.map(() => ({ total: 0, covered: 0, total60: 0, covered60: 0 }));
  for (let c = 0; c < grid.count; c++) {
    if (!judged[c] || grid.unit[c] < 0) continue;
    const u = byUnit[grid.unit[c]];
    u.total += grid.population[c]; u.total60 += grid.aged60[c];
    if (covered[c]) { u.covered += grid.population[c]; u.covered60 += grid.aged60[c]; }
  }
  return { covered, judged, byUnit };
}

function expectSameRun(r: CircleResult, ref: CircleResult): void {
  let mismatched = 0;
  for (let c = 0; c < ref.cost.length; c++) {
    const f = r.facility[c] >= 0 ? r.facilities.id[r.facility[c]] : null, g = ref.facility[c] >= 0 ? ref.facilities.id[ref.facility[c]] : null;
    if (r.cost[c] !== ref.cost[c] || r.status[c] !== ref.status[c] || f !== g) mismatched++;
  }
  expect(mismatched).toBe(0);
  ref.summary.byUnit.forEach((u, i) => {
    expect(r.summary.byUnit[i].population.covered).toBeCloseTo(u.population.covered, 6);
    expect(r.summary.byUnit[i].aged60!.covered).toBeCloseTo(u.aged60!.covered, 6);
  });
  expect(r.summary.groupCount!.covered).toBeCloseTo(ref.summary.groupCount!.covered, 6);
  for (const [k, v] of Object.entries(ref.summary.byReason)) expect(r.summary.byReason[k as keyof typeof ref.summary.byReason].population).toBeCloseTo(v.population, 6);
  ref.summary.services.forEach((s, i) => expect(r.summary.services[i].population.covered).toBeCloseTo(s.population.covered, 6));
  // the gap layer, as it would be exported
  expect(JSON.parse(JSON.stringify(r.gaps))).toEqual(JSON.parse(JSON.stringify(ref.gaps)));
  expect(new Set(r.unsnappedFacilities)).toEqual(new Set(ref.unsnappedFacilities));
}

describe.each(CIRCLES.map((c, i) => ({ circle: c, seed: i + 1 })))('generated county, circle $circle.id', ({ circle, seed }) => {
  const side = 18;
  const network = generatedNetwork(seed, side);
  const grid = generatedGrid(seed + 10, side);
  const rand = seededRandom(seed + 20);
  const facilities = randomFacilities(rand, 12, side);
  const inputs: CircleInputs = { grid, facilities, network: networkPreparer(network, grid) };

  it('judges every cell as the brute-force recombination of per-service runs does', () => {
    const r = runCircle(inputs, circle);
    const ref = bruteForce(grid, facilities, network, circle);
    let judged = 0;
    for (let c = 0; c < grid.count; c++) {
      expect(r.status[c] !== NOT_ASSESSED).toBe(ref.judged[c] === 1);
      expect(r.status[c] === COVERED).toBe(ref.covered[c] === 1);
      judged += ref.judged[c];
    }
    expect(judged).toBeGreaterThan(100);
    ref.byUnit.forEach((u, i) => {
      expect(r.summary.byUnit[i].population.total).toBeCloseTo(u.total, 6);
      expect(r.summary.byUnit[i].population.covered).toBeCloseTo(u.covered, 6);
      expect(r.summary.byUnit[i].aged60!.covered).toBeCloseTo(u.covered60, 6);
    });
    // every uncovered resident is in exactly one gap, and no gap crosses a township
    expect(r.summary.gaps.uncoveredPopulation).toBeCloseTo(r.summary.population.uncovered, 6);
    for (const f of r.gaps.features) {
      if (f.properties.reason === 'beyond_reach') expect(f.properties.nearest_facility_id).not.toBeNull();
      if (f.properties.reason === 'beyond_reach') expect(f.properties.mean_cost).not.toBeNull();
    }
  });

  it('a what-if with 25 seeded random edit lists equals a full run on the edited facilities', () => {
    const session = createCircleSession(inputs, circle);
    expectSameRun(session.base, runCircle(inputs, circle));
    let moved = 0;
    for (let trial = 0; trial < 25; trial++) {
      const edits = randomEdits(rand, [...facilities.id], side, 1 + (trial % 4), `t${trial}`);
      const scenario = session.apply(edits);
      const full = runCircle({ ...inputs, facilities: applyEdits(facilities, edits) }, circle);
      expectSameRun(scenario, full);
      if (scenario.summary.population.covered !== session.base.summary.population.covered) moved++;
    }
    // the edits did change coverage, so the comparison had something to catch
    expect(moved).toBeGreaterThan(5);
    // and the base is left as it was
    expectSameRun(session.base, runCircle(inputs, circle));
  });
});

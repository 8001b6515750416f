// The what-if engine against the full engine: every scenario's per-cell cost and nearest facility must equal a
// fresh analyzeAccess run on the edited facility set (the independent reference), and every per-unit delta must
// equal a recount written here from two full runs. Seeded generated street lattices with one-way streets.
import { describe, expect, it } from 'vitest';
import { analyzeAccess, prepareNetwork, type AccessMode, type PreparedNetwork } from '../analysis/accessibility/analyze-access.ts';
import { summarizeCoverage } from '../analysis/coverage/coverage-summary.ts';
import { createFacilitySet, type FacilitySet } from '../analysis/facilities/facility-set.ts';
import { gridFromPoints, RURAL, URBAN, type PopulationGrid } from '../analysis/grid/population-grid.ts';
import type { CostKind } from '../analysis/network/mode-graph.ts';
import type { RoadNetwork } from '../analysis/network/road-network.ts';
import { defaultSpeedTable, type Mode } from '../analysis/network/speed-table.ts';
import { createScenarioEngine, type ScenarioEdit, type ScenarioResult } from '../analysis/scenario/scenario-engine.ts';
import { generatedNetwork } from './support/generated-network.ts';
import { seededRandom } from './support/seeded-random.ts';

const LON0 = 106.4, LAT0 = 30.5;

/** Population over the lattice's extent, three townships by column, urban in the middle third of rows. */
function generatedGrid(seed: number, side: number): PopulationGrid {
  const rand = seededRandom(seed);
  const n = side * side * 3;
  const lon = new Float64Array(n), lat = new Float64Array(n), pop = new Float64Array(n), aged = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lon[i] = LON0 - 0.0005 + rand() * side * 0.001;
    lat[i] = LAT0 - 0.0005 + rand() * side * 0.001;
    pop[i] = 1 + Math.floor(rand() * 20);
    aged[i] = Math.floor(pop[i] * rand() * 0.5);
  }
  const g = gridFromPoints({ lon, lat, population: pop, aged60: aged }, { cellSize: 100 });
  const unit = new Int32Array(g.count), urbanClass = new Uint8Array(g.count);
  for (let i = 0; i < g.count; i++) {
    const col = g.cellIndex[i] % g.cols, row = Math.floor(g.cellIndex[i] / g.cols);
    // a sliver of cells outside every unit, to exercise that row too
    unit[i] = col === 0 ? -1 : Math.min(2, Math.floor((3 * col) / g.cols));
    urbanClass[i] = row >= g.rows / 3 && row < (2 * g.rows) / 3 ? URBAN : RURAL;
  }
  return { ...g, unit, urbanClass, unitNames: ['东乡', '中镇', '西乡'], unitCodes: ['511621001', '511621002', '511621003'] };
}

function randomFacilities(rand: () => number, count: number, side: number, prefix = 'F'): FacilitySet {
  return createFacilitySet(Array.from({ length: count }, (_, i) => ({
    lon: LON0 + rand() * (side - 1) * 0.001, lat: LAT0 + rand() * (side - 1) * 0.001, id: `${prefix}${i}`, name: `site ${i}`, category: 'clinic',
  })));
}

/** A random edit list over the ids alive at the time: adds, removes and moves, possibly of the same id. */
function randomEdits(rand: () => number, ids: string[], side: number, count: number, tag: string): ScenarioEdit[] {
  const alive = [...ids];
  const edits: ScenarioEdit[] = [];
  const point = () => ({ lon: LON0 + rand() * (side - 1) * 0.001, lat: LAT0 + rand() * (side - 1) * 0.001 });
  for (let k = 0; k < count; k++) {
    const u = rand();
    if (u < 0.4 || alive.length === 0) {
      const id = `${tag}-${k}`;
      edits.push({ op: 'add', id, ...point() });
      alive.push(id);
    } else if (u < 0.7) {
      const [id] = alive.splice(Math.floor(rand() * alive.length), 1);
      edits.push({ op: 'remove', id });
    } else {
      edits.push({ op: 'move', id: alive[Math.floor(rand() * alive.length)], ...point() });
    }
  }
  return edits;
}

/** The independent recount: newly covered / uncovered residents per unit from two full runs. */
function recount(grid: PopulationGrid, before: Float64Array, after: Float64Array, limit: (i: number) => number) {
  const rows = Array.from({ length: grid.unitNames.length + 1 }, () => ({ b: 0, a: 0, gain: 0, loss: 0, b60: 0, a60: 0, gain60: 0, loss60: 0 }));
  for (let i = 0; i < grid.count; i++) {
    const r = rows[grid.unit[i] >= 0 ? grid.unit[i] : grid.unitNames.length];
    const was = before[i] <= limit(i), now = after[i] <= limit(i);
    if (was) { r.b += grid.population[i]; r.b60 += grid.aged60[i]; }
    if (now) { r.a += grid.population[i]; r.a60 += grid.aged60[i]; }
    if (now && !was) { r.gain += grid.population[i]; r.gain60 += grid.aged60[i]; }
    if (was && !now) { r.loss += grid.population[i]; r.loss60 += grid.aged60[i]; }
  }
  return rows;
}

function expectDeltaMatches(grid: PopulationGrid, r: ScenarioResult, before: Float64Array, after: Float64Array, limit: (i: number) => number): void {
  const rows = recount(grid, before, after, limit);
  const units = [...r.delta.byUnit, { ...r.delta.outsideUnits!, index: grid.unitNames.length }];
  let gain = 0, loss = 0;
  for (const u of units) {
    const ref = rows[u.index];
    expect(u.population.before).toBeCloseTo(ref.b, 6);
    expect(u.population.after).toBeCloseTo(ref.a, 6);
    expect(u.population.change).toBeCloseTo(ref.a - ref.b, 6);
    expect(u.population.newlyCovered).toBeCloseTo(ref.gain, 6);
    expect(u.population.newlyUncovered).toBeCloseTo(ref.loss, 6);
    expect(u.aged60!.newlyCovered).toBeCloseTo(ref.gain60, 6);
    expect(u.aged60!.newlyUncovered).toBeCloseTo(ref.loss60, 6);
    expect(u.aged60!.change).toBeCloseTo(ref.a60 - ref.b60, 6);
    gain += ref.gain; loss += ref.loss;
  }
  expect(r.delta.total.population.newlyCovered).toBeCloseTo(gain, 6);
  expect(r.delta.total.population.newlyUncovered).toBeCloseTo(loss, 6);
}

/** Cell by cell: the same cost (bit for bit) and the same facility index. */
function expectSameCells(r: { cost: Float64Array; facility: Int32Array }, ref: { cost: Float64Array; facility: Int32Array }): void {
  let mismatched = 0;
  for (let i = 0; i < ref.cost.length; i++) if (r.cost[i] !== ref.cost[i] || r.facility[i] !== ref.facility[i]) mismatched++;
  expect(mismatched).toBe(0);
}

interface Case { mode: AccessMode; costKind: CostKind; threshold: number; seed: number }

const NETWORK_CASES: Case[] = [
  { mode: 'walk', costKind: 'time', threshold: 300, seed: 1 },
  { mode: 'car', costKind: 'time', threshold: 60, seed: 2 },
  { mode: 'elderly-walk', costKind: 'time', threshold: 420, seed: 3 },
  { mode: 'walk', costKind: 'distance', threshold: 450, seed: 4 },
];

describe.each(NETWORK_CASES)('network $mode/$costKind, threshold $threshold, seed $seed', ({ mode, costKind, threshold, seed }) => {
  const side = 20;
  const network: RoadNetwork = generatedNetwork(seed, side);
  const grid = generatedGrid(seed + 10, side);
  const prepared: PreparedNetwork = prepareNetwork(network, grid, mode as Mode, costKind);
  const rand = seededRandom(seed + 20);
  const facilities = randomFacilities(rand, 8, side);
  const full = (set: FacilitySet) => analyzeAccess({
    grid, facilities: set, mode, prepared, ...(costKind === 'time' ? { minutes: threshold / 60 } : { meters: threshold }),
  });

  it('starts from the full run', () => {
    const engine = createScenarioEngine(prepared, grid, facilities, { threshold });
    const ref = full(facilities);
    expectSameCells(engine.baseline(), ref);
    expect(engine.baseline().summary).toEqual(ref.summary);
  });

  it('equals analyzeAccess on the edited set for 40 random edit lists, and leaves the baseline alone', () => {
    const engine = createScenarioEngine(prepared, grid, facilities, { threshold });
    const base = full(facilities);
    let changed = 0;
    for (let trial = 0; trial < 40; trial++) {
      const edits = randomEdits(rand, [...facilities.id], side, 1 + (trial % 5), `t${trial}`);
      const r = engine.apply(edits);
      const ref = full(r.facilities);
      expectSameCells(r, ref);
      expect(r.summary).toEqual(ref.summary);
      expectDeltaMatches(grid, r, base.cost, ref.cost, () => threshold);
      if (r.delta.changedCells > 0) changed++;
    }
    // the edits must actually change something for the comparison to mean anything
    expect(changed).toBeGreaterThan(30);
    expectSameCells(engine.baseline(), base);
  });

  it('commits scenarios one after another and stays equal to a full run', () => {
    const engine = createScenarioEngine(prepared, grid, facilities, { threshold });
    let ids = [...facilities.id];
    for (let step = 0; step < 12; step++) {
      const r = engine.apply(randomEdits(rand, ids, side, 1 + (step % 4), `c${step}`));
      const committed = engine.commit();
      expect(committed).toBe(r.facilities);
      ids = [...committed.id];
      const ref = full(committed);
      expectSameCells(engine.baseline(), ref);
      expect(engine.baseline().summary).toEqual(ref.summary);
    }
    // and a scenario on top of the committed baseline
    const r = engine.apply(randomEdits(rand, ids, side, 4, 'last'));
    expectSameCells(r, full(r.facilities));
  });

  it('keeps the order rule: baseline order, removals dropped, moves in place, additions appended', () => {
    const engine = createScenarioEngine(prepared, grid, facilities, { threshold });
    const r = engine.apply([
      { op: 'add', id: 'N1', lon: LON0 + 0.005, lat: LAT0 + 0.005 },
      { op: 'remove', id: 'F2' },
      { op: 'move', id: 'F5', lon: LON0 + 0.01, lat: LAT0 + 0.012 },
      { op: 'move', id: 'N1', lon: LON0 + 0.006, lat: LAT0 + 0.004 },
      { op: 'add', id: 'N2', lon: LON0 + 0.015, lat: LAT0 + 0.002 },
      { op: 'remove', id: 'N2' },
      { op: 'remove', id: 'F7' },
      { op: 'add', id: 'F7', lon: LON0 + 0.002, lat: LAT0 + 0.016 },
    ]);
    expect(r.facilities.id).toEqual(['F0', 'F1', 'F3', 'F4', 'F5', 'F6', 'N1', 'F7']);
    expect(r.facilities.lon[4]).toBe(LON0 + 0.01);
    expect(r.facilities.lon[6]).toBe(LON0 + 0.006);
    expectSameCells(r, full(r.facilities));
  });
});

describe('network with per-cell thresholds (urban 4 min, rural 7 min)', () => {
  const side = 20;
  const network = generatedNetwork(7, side);
  const grid = generatedGrid(17, side);
  const prepared = prepareNetwork(network, grid, 'walk', 'time');
  const rand = seededRandom(27);
  const facilities = randomFacilities(rand, 6, side);
  const thresholdFor = (i: number) => (grid.urbanClass[i] === URBAN ? 240 : 420);

  it('summaries and deltas use each cell its own threshold', () => {
    const engine = createScenarioEngine(prepared, grid, facilities, { threshold: 420, thresholdFor });
    const base = analyzeAccess({ grid, facilities, mode: 'walk', minutes: 7, prepared });
    for (let trial = 0; trial < 15; trial++) {
      const r = engine.apply(randomEdits(rand, [...facilities.id], side, 1 + (trial % 4), `u${trial}`));
      const ref = analyzeAccess({ grid, facilities: r.facilities, mode: 'walk', minutes: 7, prepared });
      expectSameCells(r, ref);
      expect(r.summary).toEqual(summarizeCoverage(grid, ref.cost, 420, { unreachable: ref.unreachable, thresholdFor }));
      expectDeltaMatches(grid, r, base.cost, ref.cost, thresholdFor);
    }
  });

  it('refuses a per-cell threshold above the search threshold', () => {
    expect(() => createScenarioEngine(prepared, grid, facilities, { threshold: 300, thresholdFor })).toThrow(/thresholdFor\(cell \d+\) is 420, expected a number <= threshold 300/);
  });
});

describe.each([
  { label: 'metres', meters: 350, minutes: undefined, costPerMeter: 1, threshold: 350 },
  { label: 'seconds at the snap walking speed', meters: undefined, minutes: 5, costPerMeter: 3.6 / defaultSpeedTable().offRoadKmh.walk, threshold: 300 },
])('straight line, $label', ({ meters, minutes, costPerMeter, threshold }) => {
  const side = 20;
  const grid = generatedGrid(31, side);
  const rand = seededRandom(41);
  const facilities = randomFacilities(rand, 8, side);
  const full = (set: FacilitySet) => analyzeAccess({ grid, facilities: set, mode: 'straight', meters, minutes });

  it('equals analyzeAccess on the edited set for 40 random edit lists, with commits in between', () => {
    const engine = createScenarioEngine(null, grid, facilities, { threshold, costPerMeter });
    expectSameCells(engine.baseline(), full(facilities));
    let ids = [...facilities.id];
    let base = full(facilities);
    for (let trial = 0; trial < 40; trial++) {
      const r = engine.apply(randomEdits(rand, ids, side, 1 + (trial % 5), `s${trial}`));
      const ref = full(r.facilities);
      expectSameCells(r, ref);
      expect(r.summary).toEqual(ref.summary);
      expectDeltaMatches(grid, r, base.cost, ref.cost, () => threshold);
      if (trial % 4 === 3) {
        ids = [...engine.commit().id];
        base = ref;
      }
    }
  });
});

describe('edit checks', () => {
  const grid = generatedGrid(51, 10);
  const facilities = randomFacilities(seededRandom(52), 3, 10);
  const engine = createScenarioEngine(null, grid, facilities, { threshold: 300 });

  it('names the edit and the problem', () => {
    expect(() => engine.apply([{ op: 'add', id: 'F1', lon: LON0, lat: LAT0 }])).toThrow("scenario edit 0 (add): facility id 'F1' already exists");
    expect(() => engine.apply([{ op: 'remove', id: 'F0' }, { op: 'move', id: 'F0', lon: LON0, lat: LAT0 }])).toThrow("scenario edit 1 (move): no facility with id 'F0' in the scenario");
    expect(() => engine.apply([{ op: 'add', id: 'X', lon: 200, lat: LAT0 }])).toThrow('scenario edit 0 (add): expected lon in [-180,180] and lat in [-90,90], found (200, 30.5)');
    expect(() => engine.commit()).toThrow('nothing to commit');
  });

  it('an empty edit list changes nothing', () => {
    const r = engine.apply([]);
    expect(r.delta.changedCells).toBe(0);
    expect(r.delta.total.population.change).toBe(0);
    expectSameCells(r, engine.baseline());
  });
});

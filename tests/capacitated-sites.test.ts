// Capacitated siting against hand computation, against suggestSites (capacity unlimited) and against brute
// force: every subset of up to 3 of 8 candidates is assigned by an independent implementation of the rule
// here in the test (per-site costs from full analyzeAccess runs with that one site, pairs sorted by cost,
// cell, site; each pair takes min(remaining demand, room)), and the greedy is checked against it.
import { describe, expect, it } from 'vitest';
import { analyzeAccess, prepareNetwork, type PreparedNetwork } from '../analysis/accessibility/analyze-access.ts';
import { createFacilitySet, type FacilitySet } from '../analysis/facilities/facility-set.ts';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';
import { gridFromPoints, type PopulationGrid } from '../analysis/grid/population-grid.ts';
import { candidatesFromPoints, type CandidateSites } from '../analysis/siting/candidate-sites.ts';
import { capacitatedSites, type CapacitatedSitesResult } from '../analysis/siting/capacitated-sites.ts';
import { suggestSites } from '../analysis/siting/suggest-sites.ts';
import { generatedNetwork } from './support/generated-network.ts';
import { seededRandom } from './support/seeded-random.ts';

const LON0 = 106.4, LAT0 = 30.5;

/** The invariants every result keeps: no site over capacity, per-site sums equal the total, the three parts add up exactly. */
function expectInvariants(r: CapacitatedSitesResult): void {
  let bySite = 0;
  for (const s of [...r.existing, ...r.sites]) {
    expect(s.served).toBeLessThanOrEqual(s.capacity);
    bySite += s.served;
  }
  expect(bySite).toBe(r.totals.served);
  expect(r.cellServed.reduce((a, b) => a + b, 0)).toBe(r.totals.served);
  for (const t of [r.baseline, r.totals]) expect(t.served + t.lackOfCapacity + t.outOfReach).toBe(t.demand);
}

describe('hand-built line of cells, straight line 250 m', () => {
  // Cells along the parallel at 30.5°N, one resident point each; x in metres east of 106.4°E:
  //   c0 x = 0: 10, c1 x = 100: 10, c2 x = 200: 10, c3 x = 1000: 30, c4 x = 2000: 5 — 65 in all.
  // Existing E at x = 40, capacity 15: reaches c0 (40 m), c1 (60 m), c2 (160 m); c3 and c4 are > 250 m away.
  //   Baseline sweep: (40, c0) → 10, E room 5; (60, c1) → 5, E full; (160, c2) → 0.
  //   served 15; lack of capacity c1 5 + c2 10 = 15; out of reach c3 30 + c4 5 = 35; 15 + 15 + 35 = 65.
  // Candidates: j0 x = 1000 cap 20 (c3 at 0 m), j1 x = 170 cap 40 (c2 30 m, c1 70 m, c0 170 m), j2 x = 2000 cap 10 (c4 at 0 m).
  //   j0 alone adds 20 (c3 gets 20 of 30).
  //   j1 with E: (30, c2, j1) → 10; (40, c0, E) → 10, E room 5; (60, c1, E) → 5, E full; (70, c1, j1) → 5;
  //     the rest find nothing left: A fully served, 30, gain 15 over the baseline's 15.
  //   j2 alone adds 5.
  // Greedy: round 1 j0 (20 > 15 > 5), round 2 j1 (15 > 5), round 3 j2 (5): served 15 + 20 + 15 + 5 = 55,
  //   lack c3 10 (j0 full), out of reach 0; 55 + 10 + 0 = 65.
  // suggestSites ignores capacity: E already "covers" c0–c2, so it would rank j1 last with gain 0.
  // No two distances are within 10 m of each other or of 250 m, so float rounding cannot reorder a pair.
  const proj = createLocalProjection(LON0, LAT0);
  const at = (x: number) => proj.inverse(x, 0)[0];
  const xs = [0, 100, 200, 1000, 2000];
  const grid = gridFromPoints({
    lon: Float64Array.from(xs.map(at)), lat: new Float64Array(xs.length).fill(LAT0),
    population: Float64Array.of(10, 10, 10, 30, 5), aged60: Float64Array.of(2, 4, 6, 10, 5),
  }, { cellSize: 50 });
  const existing = createFacilitySet([{ lon: at(40), lat: LAT0, id: 'E', capacity: 15 }]);
  const candidates = candidatesFromPoints([1000, 170, 2000].map((x) => ({ lon: at(x), lat: LAT0, id: `x${x}` })));
  const capacity = Float64Array.of(20, 40, 10);
  const base = { prepared: null, grid, threshold: 250, existing, candidates, capacity };

  it('the grid keeps the five cells in x order', () => {
    expect(grid.count).toBe(5);
    expect(Array.from(grid.population)).toEqual([10, 10, 10, 30, 5]);
  });

  it('baseline: E fills with the nearer cells first; lack of capacity and out of reach apart', () => {
    const r = capacitatedSites({ ...base, k: 0 });
    expect(r.sites).toEqual([]);
    expect(r.baseline).toEqual({ demand: 65, served: 15, lackOfCapacity: 15, outOfReach: 35 });
    expect(r.totals).toEqual(r.baseline);
    expect(Array.from(r.cellServed)).toEqual([10, 5, 0, 0, 0]);
    expect(r.existing.map((s) => [s.id, s.served, s.capacity, s.utilisation])).toEqual([['E', 15, 15, 1]]);
    expectInvariants(r);
  });

  it('greedy picks j0, j1, j2 with gains 20, 15, 5, and the nearest site with room takes each cell', () => {
    const r = capacitatedSites({ ...base, k: 3 });
    expect(r.sites.map((s) => [s.id, s.gain])).toEqual([['x1000', 20], ['x170', 15], ['x2000', 5]]);
    expect(r.curve).toEqual([{ k: 1, served: 35 }, { k: 2, served: 50 }, { k: 3, served: 55 }]);
    expect(r.totals).toEqual({ demand: 65, served: 55, lackOfCapacity: 10, outOfReach: 0 });
    // c2 goes to j1 (30 m) rather than E; c1 splits 5 (E, full) + 5 (j1); c3 gets j0's 20 of 30
    expect(Array.from(r.cellServed)).toEqual([10, 10, 10, 20, 5]);
    expect(r.sites.map((s) => [s.served, s.capacity, s.utilisation])).toEqual([[20, 20, 1], [15, 40, 0.375], [5, 10, 0.5]]);
    expect(r.existing[0].served).toBe(15);
    expectInvariants(r);
  });

  it('k = 1: only j0; c4 stays out of reach, c1, c2 and c3 short of capacity', () => {
    // served 15 + 20 = 35; lack c1 5 + c2 10 + c3 10 = 25; out of reach c4 5; 35 + 25 + 5 = 65
    const r = capacitatedSites({ ...base, k: 1 });
    expect(r.sites.map((s) => s.id)).toEqual(['x1000']);
    expect(r.totals).toEqual({ demand: 65, served: 35, lackOfCapacity: 25, outOfReach: 5 });
  });

  it('demand of people 60+: weight { population: 0, aged60: 1 }', () => {
    // 60+: c0 2, c1 4, c2 6, c3 10, c4 5 = 27. Baseline: E (15) takes c0 2, c1 4, c2 6 = 12, room 3 left;
    // out of reach 15. j0 adds 10 (cap 20), j2 adds 5, j1 adds 0 (everything in its reach is served):
    // k = 3 stops after two sites; served 27.
    const r = capacitatedSites({ ...base, k: 3, weight: { population: 0, aged60: 1 } });
    expect(r.baseline).toEqual({ demand: 27, served: 12, lackOfCapacity: 0, outOfReach: 15 });
    expect(r.sites.map((s) => [s.id, s.gain])).toEqual([['x1000', 10], ['x2000', 5]]);
    expect(r.totals).toEqual({ demand: 27, served: 27, lackOfCapacity: 0, outOfReach: 0 });
    expect(r.existing[0].utilisation).toBe(12 / 15);
  });

  it('an existing facility of unknown capacity is unlimited unless told otherwise', () => {
    // E unlimited: serves c0–c2 (30); out of reach 35. With unknownCapacity 0: serves nobody, lack 30.
    const unknown = createFacilitySet([{ lon: at(40), lat: LAT0, id: 'E' }]);
    const r = capacitatedSites({ ...base, existing: unknown, k: 0 });
    expect(r.baseline).toEqual({ demand: 65, served: 30, lackOfCapacity: 0, outOfReach: 35 });
    expect(r.existing[0].capacity).toBe(Infinity);
    expect(r.existing[0].utilisation).toBeNull();
    const zero = capacitatedSites({ ...base, existing: unknown, unknownCapacity: 0, k: 0 });
    expect(zero.baseline).toEqual({ demand: 65, served: 0, lackOfCapacity: 30, outOfReach: 35 });
  });

  it('one capacity for every candidate: capacity 5 makes j0, j1 and j2 all add 5; ties go to the lower index', () => {
    // j0 5 of c3; j1 with E: (30, c2) 5, E takes c0 10 and c1 5 → gain 5; j2 5 of c4. All tie at 5: j0, j1, j2.
    const r = capacitatedSites({ ...base, capacity: 5, k: 3 });
    expect(r.sites.map((s) => [s.id, s.gain])).toEqual([['x1000', 5], ['x170', 5], ['x2000', 5]]);
    expect(r.totals.served).toBe(30);
  });

  it('within a budget, by gain per cost: costs 3, 1, 1 and budget 2 choose j1 then j2', () => {
    // round 1 ratios: j0 20/3, j1 15/1, j2 5/1 → j1 (spent 1); round 2: j0 needs 3 > 1 left: passed over; j2 (spent 2).
    // by hand the best affordable set serves 35 ({j1, j2}; {j0} alone costs 3)
    const r = capacitatedSites({ ...base, k: 3, cost: Float64Array.of(3, 1, 1), budget: 2 });
    expect(r.sites.map((s) => [s.id, s.cost])).toEqual([['x170', 1], ['x2000', 1]]);
    expect(r.spent).toBe(2);
    expect(r.overBudget).toBe(1);
    expect(r.totals.served).toBe(35);
  });

  it('keeps chosen sites minSpacingMeters apart: 900 m drops j1 (830 m from j0) once j0 is built', () => {
    // round 1 j0 (gain 20); j1 at x = 170 lies 830 m from j0 < 900 m: dropped; j2 at 1000 m stays; round 2 j2 (5).
    // served 15 + 20 + 5 = 40; lack c1 5 + c2 10 + c3 10 = 25; out of reach 0; 40 + 25 = 65
    const r = capacitatedSites({ ...base, k: 3, minSpacingMeters: 900 });
    expect(r.sites.map((s) => [s.id, s.gain])).toEqual([['x1000', 20], ['x2000', 5]]);
    expect(r.tooClose).toBe(1);
    expect(r.totals).toEqual({ demand: 65, served: 40, lackOfCapacity: 25, outOfReach: 0 });
    // 800 m keeps j1 (830 m away): the unspaced answer
    expect(capacitatedSites({ ...base, k: 3, minSpacingMeters: 800 }).sites.map((s) => s.id)).toEqual(['x1000', 'x170', 'x2000']);
    expectInvariants(r);
  });

  it('rejects bad requests by name', () => {
    expect(() => capacitatedSites({ ...base, k: 1.5 })).toThrow('k must be a whole number >= 0, found 1.5');
    expect(() => capacitatedSites({ ...base, k: 1, capacity: -1 })).toThrow('capacity must be a number >= 0 (Infinity for unlimited), found -1');
    expect(() => capacitatedSites({ ...base, k: 1, capacity: NaN })).toThrow('capacity must be a number >= 0 (Infinity for unlimited), found NaN');
    expect(() => capacitatedSites({ ...base, k: 1, capacity: Float64Array.of(1, NaN, 2) })).toThrow('capacity[1] must be a number >= 0 (Infinity for unlimited), found NaN');
    expect(() => capacitatedSites({ ...base, k: 1, capacity: Float64Array.of(1, 2) })).toThrow('capacity must hold one number per candidate (3), found 2');
    expect(() => capacitatedSites({ ...base, k: 1, existing: createFacilitySet([{ lon: at(40), lat: LAT0, capacity: -3 }]) })).toThrow('existing.capacity[0] (id 1) must be >= 0, or NaN for unknown, found -3');
    expect(() => capacitatedSites({ ...base, k: 1, existing: { ...existing, capacity: new Float64Array(0) } })).toThrow('existing has 1 longitudes, 1 latitudes, 1 ids and 0 capacities');
    expect(() => capacitatedSites({ ...base, k: 1, unknownCapacity: NaN })).toThrow('unknownCapacity must be a number >= 0');
    expect(() => capacitatedSites({ ...base, k: 1, weight: { aged60: -1 } })).toThrow('weight.aged60 must be a number >= 0, found -1');
    expect(() => capacitatedSites({ ...base, k: 1, judged: new Uint8Array(2) })).toThrow('judged must hold one flag per cell (5), found 2');
    expect(() => capacitatedSites({ ...base, k: 1, budget: 4 })).toThrow('a budget needs per-candidate costs');
    expect(() => capacitatedSites({ ...base, k: 1, threshold: 0 })).toThrow('threshold must be a positive number, found 0');
  });
});

describe('hand-built chain: a new site frees an existing one for a cell it does not reach itself', () => {
  // Cells on the parallel at 30.5°N, x in metres: c0 x = -200: 10, c1 x = 0: 10, c2 x = 100: 10, c3 x = 200: 10.
  // Existing E at x = 40, capacity 15: c1 40 m, c2 60 m, c3 160 m, c0 240 m (threshold 250 m).
  //   Baseline: (40, c1) 10, (60, c2) 5, E full: served 15, lack 25 (c2 5, c3 10, c0 10), out of reach 0.
  // Candidate a at x = 145, capacity 20: c2 45 m, c3 55 m, c1 145 m; c0 is 345 m away, out of its reach.
  //   (40, c1, E) 10, E room 5; (45, c2, a) 10; (55, c3, a) 10, a full; (60, c2, E) nothing left; ...;
  //   (240, c0, E) 5: E full. Served 35, gain 20 — of which c0 (beyond a's reach) gets 5 through E.
  //   Had a's pairs gone after E's (E first fills with c1 10 and c2 5), the gain would have been 15.
  // Candidate b at x = -200, capacity 10: c0 0 m, c1 200 m. (0, c0, b) 10; E takes c1 10, c2 5: served 25, gain 10.
  // Greedy k = 1: a (20 > 10). k = 2: then b: (0, c0, b) 10, E c1 10, a c2 10 and c3 10, E room 5 unused: served 40, gain 5.
  const proj = createLocalProjection(LON0, LAT0);
  const at = (x: number) => proj.inverse(x, 0)[0];
  const xs = [-200, 0, 100, 200];
  const grid = gridFromPoints({ lon: Float64Array.from(xs.map(at)), lat: new Float64Array(4).fill(LAT0), population: Float64Array.of(10, 10, 10, 10) }, { cellSize: 50 });
  const existing = createFacilitySet([{ lon: at(40), lat: LAT0, id: 'E', capacity: 15 }]);
  const candidates = candidatesFromPoints([145, -200].map((x) => ({ lon: at(x), lat: LAT0, id: `x${x}` })));
  const base = { prepared: null, grid, threshold: 250, existing, candidates, capacity: Float64Array.of(20, 10) };

  it('k = 1 picks a with gain 20; E then serves c1 and c0', () => {
    const r = capacitatedSites({ ...base, k: 1 });
    expect(r.baseline).toEqual({ demand: 40, served: 15, lackOfCapacity: 25, outOfReach: 0 });
    expect(r.sites.map((s) => [s.id, s.gain, s.served])).toEqual([['x145', 20, 20]]);
    expect(Array.from(r.cellServed)).toEqual([5, 10, 10, 10]);
    expect(r.existing[0].served).toBe(15);
    expect(r.totals).toEqual({ demand: 40, served: 35, lackOfCapacity: 5, outOfReach: 0 });
    expectInvariants(r);
  });

  it('unjudged cells have no demand and use no capacity; a per-cell threshold can put a cell out of reach', () => {
    // c1 unjudged: E takes c2 (60 m) 10 and c3 (160 m) 5; demand 30, served 15, lack c3 5 + c0 10 = 15.
    const judged = Uint8Array.of(1, 0, 1, 1);
    expect(capacitatedSites({ ...base, k: 0, judged }).baseline).toEqual({ demand: 30, served: 15, lackOfCapacity: 15, outOfReach: 0 });
    // c0's threshold 200 m: E (240 m) no longer reaches it: served 15 (c1 10, c2 5), lack c2 5 + c3 10 = 15, out c0 10.
    const thresholdFor = (i: number) => (i === 0 ? 200 : 250);
    expect(capacitatedSites({ ...base, k: 0, thresholdFor }).baseline).toEqual({ demand: 40, served: 15, lackOfCapacity: 15, outOfReach: 10 });
  });

  it('k = 2 adds b (gain 5 over 35): everyone served, E at 10 of 15', () => {
    const r = capacitatedSites({ ...base, k: 2 });
    expect(r.sites.map((s) => [s.id, s.gain])).toEqual([['x145', 20], ['x-200', 5]]);
    expect(r.totals).toEqual({ demand: 40, served: 40, lackOfCapacity: 0, outOfReach: 0 });
    expect(r.existing[0].utilisation).toBe(10 / 15);
    expectInvariants(r);
  });
});

// ---- seeded instances

function randomGrid(rand: () => number, side: number): PopulationGrid {
  const n = side * side * 2;
  const lon = new Float64Array(n), lat = new Float64Array(n), pop = new Float64Array(n), aged = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lon[i] = LON0 - 0.0005 + rand() * side * 0.001;
    lat[i] = LAT0 - 0.0005 + rand() * side * 0.001;
    pop[i] = 1 + Math.floor(rand() * 30);
    aged[i] = Math.floor(pop[i] * rand() * 0.6);
  }
  return gridFromPoints({ lon, lat, population: pop, aged60: aged }, { cellSize: 100 });
}

function randomPoints(rand: () => number, count: number, side: number, prefix: string, capacity?: () => number) {
  return Array.from({ length: count }, (_, i) => ({ lon: LON0 + rand() * (side - 1) * 0.001, lat: LAT0 + rand() * (side - 1) * 0.001, id: `${prefix}${i}`, capacity: capacity?.() }));
}

interface Instance {
  label: string;
  grid: PopulationGrid;
  prepared: PreparedNetwork | null;
  existing: FacilitySet;
  candidates: CandidateSites;
  capacity: Float64Array;
  access: { mode: 'walk' | 'straight'; minutes?: number; meters?: number };
  threshold: number;
  weight: { population: number; aged60: number };
}

function instance(seed: number, network: boolean, weight: Instance['weight']): Instance {
  const side = 10;
  const rand = seededRandom(seed);
  const grid = randomGrid(rand, side);
  const prepared = network ? prepareNetwork(generatedNetwork(seed, side), grid, 'walk', 'time') : null;
  // capacities near the demand a site reaches and reaches that overlap, so sites compete for cells
  const existing = createFacilitySet(randomPoints(rand, 2, side, 'F', () => 50 + Math.floor(rand() * 300)));
  const candidates = candidatesFromPoints(randomPoints(rand, 8, side, 'c'));
  const capacity = Float64Array.from({ length: 8 }, () => 50 + Math.floor(rand() * 600));
  return {
    label: `${network ? 'network walk 6 min' : 'straight 500 m'}, seed ${seed}, weight ${weight.population}/${weight.aged60}`,
    grid, prepared, existing, candidates, capacity,
    access: network ? { mode: 'walk', minutes: 6 } : { mode: 'straight', meters: 500 }, threshold: network ? 360 : 500, weight,
  };
}

function* subsets(n: number, k: number, from = 0, prefix: number[] = []): Generator<number[]> {
  yield prefix;
  if (prefix.length === k) return;
  for (let j = from; j < n; j++) yield* subsets(n, k, j + 1, [...prefix, j]);
}

/** The assignment rule, written again from its definition: per-site costs from a full run with that site alone. */
function oracle(inst: Instance) {
  const { grid, existing, candidates } = inst;
  const demand = Float64Array.from({ length: grid.count }, (_, i) => inst.weight.population * grid.population[i] + inst.weight.aged60 * grid.aged60[i]);
  const costOf = (lon: number, lat: number) => analyzeAccess({ grid, facilities: createFacilitySet([{ lon, lat }]), ...inst.access, prepared: inst.prepared ?? undefined }).cost;
  const siteCost = [
    ...Array.from({ length: existing.count }, (_, f) => costOf(existing.lon[f], existing.lat[f])),
    ...Array.from({ length: candidates.lon.length }, (_, j) => costOf(candidates.lon[j], candidates.lat[j])),
  ];
  const ne = existing.count;
  const siteCap = [...Array.from(existing.capacity), ...Array.from(inst.capacity)];
  const assign = (chosen: number[]) => {
    const sites = [...Array.from({ length: ne }, (_, f) => f), ...chosen.map((j) => ne + j).sort((a, b) => a - b)];
    const pairs: Array<[number, number, number]> = [];
    for (const s of sites) for (let i = 0; i < grid.count; i++) if (demand[i] > 0 && siteCost[s][i] <= inst.threshold) pairs.push([siteCost[s][i], i, s]);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const rem = Float64Array.from(demand), room = Float64Array.from(siteCap), reached = new Uint8Array(grid.count);
    for (const [, i, s] of pairs) {
      reached[i] = 1;
      const x = Math.min(rem[i], room[s]);
      rem[i] -= x;
      room[s] -= x;
    }
    let served = 0, lack = 0, out = 0;
    for (let i = 0; i < grid.count; i++) {
      if (reached[i]) { served += demand[i] - rem[i]; lack += rem[i]; } else out += demand[i];
    }
    return { served, lack, out };
  };
  return { assign };
}

const INSTANCES = [
  instance(11, false, { population: 1, aged60: 0 }),
  instance(12, false, { population: 0, aged60: 1 }),
  instance(13, true, { population: 1, aged60: 0 }),
  instance(14, true, { population: 1, aged60: 2 }),
  instance(15, true, { population: 0, aged60: 1 }),
];

describe.each(INSTANCES)('$label: brute force over every subset of up to 3 of 8 candidates', (inst) => {
  const { assign } = oracle(inst);
  const req = { prepared: inst.prepared, grid: inst.grid, threshold: inst.threshold, existing: inst.existing, candidates: inst.candidates, capacity: inst.capacity, weight: inst.weight };
  const best = [0, 0, 0, 0];
  for (const s of subsets(8, 3)) best[s.length] = Math.max(best[s.length], assign(s).served);
  for (let m = 1; m <= 3; m++) best[m] = Math.max(best[m], best[m - 1]);

  it('the instance is not trivial: capacity binds and distance leaves some out', () => {
    const none = assign([]);
    expect(none.lack).toBeGreaterThan(0);
    expect(none.out).toBeGreaterThan(0);
    expect(best[3]).toBeGreaterThan(best[1]);
  });

  it.each([1, 2, 3])('k = %i: each pick has the largest gain by brute force, within 1 − 1/e of the best subset, totals as the oracle counts them', (k) => {
    const r = capacitatedSites({ ...req, k });
    expectInvariants(r);
    const chosen = r.sites.map((s) => s.index);
    expect(r.sites.length).toBe(k);
    for (let m = 0; m < k; m++) {
      const before = assign(chosen.slice(0, m)).served;
      const gains = Array.from({ length: 8 }, (_, j) => (chosen.slice(0, m).includes(j) ? -Infinity : assign([...chosen.slice(0, m), j]).served - before));
      expect(r.sites[m].gain).toBeCloseTo(gains[chosen[m]], 6);
      expect(r.sites[m].gain).toBeCloseTo(Math.max(...gains), 6);
    }
    const o = assign(chosen);
    expect(r.totals.served).toBeCloseTo(o.served, 6);
    expect(r.totals.lackOfCapacity).toBeCloseTo(o.lack, 6);
    expect(r.totals.outOfReach).toBeCloseTo(o.out, 6);
    const none = assign([]);
    expect(r.baseline.served).toBeCloseTo(none.served, 6);
    expect(r.totals.served).toBeGreaterThanOrEqual(none.served + (1 - 1 / Math.E) * (best[k] - none.served) - 1e-9);
    expect(r.totals.served).toBeLessThanOrEqual(best[k] + 1e-9);
  });
});

describe.each([
  instance(21, false, { population: 1, aged60: 0 }),
  instance(22, true, { population: 1, aged60: 0 }),
  instance(23, true, { population: 1, aged60: 3 }),
])('$label: capacity unlimited gives what suggestSites gives', (inst) => {
  it('same sites in the same order, same gains, served = covered', () => {
    const unlimited = createFacilitySet(Array.from({ length: inst.existing.count }, (_, f) => ({ lon: inst.existing.lon[f], lat: inst.existing.lat[f], id: inst.existing.id[f] })));
    const base = analyzeAccess({ grid: inst.grid, facilities: unlimited, ...inst.access, prepared: inst.prepared ?? undefined });
    const s = suggestSites({ prepared: inst.prepared, grid: inst.grid, baselineCost: base.cost, threshold: inst.threshold, candidates: inst.candidates, k: 4, weight: inst.weight });
    const c = capacitatedSites({ prepared: inst.prepared, grid: inst.grid, threshold: inst.threshold, existing: unlimited, candidates: inst.candidates, capacity: Infinity, k: 4, weight: inst.weight });
    expect(s.sites.length).toBeGreaterThan(1);
    expect(c.sites.map((x) => x.id)).toEqual(s.sites.map((x) => x.id));
    expect(c.sites.map((x) => x.gain)).toEqual(s.sites.map((x) => x.score));
    expect(c.totals.lackOfCapacity).toBe(0);
    if (inst.weight.aged60 === 0) {
      expect(c.baseline.served).toBe(s.baselineCovered);
      expect(c.totals.served).toBe(s.curve.at(-1)!.covered);
      expect(c.totals.outOfReach).toBe(s.totalPopulation - s.curve.at(-1)!.covered);
    }
  });
});

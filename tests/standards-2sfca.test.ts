// Two-step floating catchment against a hand-computed example, its Gaussian and E2SFCA variants, and the
// supplier→cell cost builders against hand distances and the engine's nearest-facility costs.
import { describe, expect, it } from 'vitest';
import { analyzeAccess, prepareNetwork } from '../analysis/accessibility/analyze-access.ts';
import { createFacilitySet } from '../analysis/facilities/facility-set.ts';
import { gridFromPoints } from '../analysis/grid/population-grid.ts';
import { buildRoadNetwork } from '../analysis/network/road-network.ts';
import {
  decayWeight, E2SFCA_STEPS, supplyCostsFromStraightLine, supplyCostsOnNetwork, twoStepFloatingCatchment, type SupplyCosts,
} from '../analysis/standards/two-step-floating-catchment.ts';
import { generatedNetwork } from './support/generated-network.ts';
import { seededRandom } from './support/seeded-random.ts';

const D = 111.19508; // metres per 0.001° of longitude on the equator

// F1 (supply 10) reaches c0 at cost 2 and c1 at 6; F2 (supply 20) reaches c1 at 4 and c2 at 8; catchment 10.
// demand c0 100, c1 200, c2 300.
const costs: SupplyCosts = {
  facilityCount: 2, cellCount: 3, threshold: 10,
  start: Int32Array.from([0, 2, 4]), cell: Int32Array.from([0, 1, 1, 2]), cost: Float64Array.from([2, 6, 4, 8]),
};
const supply = Float64Array.from([10, 20]);
const demand = Float64Array.from([100, 200, 300]);

describe('2SFCA on a hand example', () => {
  it('shares supply among reachable demand, then sums the shares (plain 2SFCA)', () => {
    // R1 = 10 / (100 + 200) = 1/30; R2 = 20 / (200 + 300) = 1/25
    // A0 = 1/30 = 0.033333; A1 = 1/30 + 1/25 = 0.073333; A2 = 1/25 = 0.04
    const r = twoStepFloatingCatchment(costs, supply, demand);
    expect(r.ratio[0]).toBeCloseTo(1 / 30, 12);
    expect(r.ratio[1]).toBeCloseTo(1 / 25, 12);
    expect(Array.from(r.demand)).toEqual([300, 500]);
    expect(r.access[0]).toBeCloseTo(1 / 30, 12);
    expect(r.access[1]).toBeCloseTo(1 / 30 + 1 / 25, 12);
    expect(r.access[2]).toBeCloseTo(0.04, 12);
    // conservation: 100/30 + 200 × 0.073333 + 300 × 0.04 = 3.333 + 14.667 + 12 = 30 = 10 + 20
    expect(r.access[0] * 100 + r.access[1] * 200 + r.access[2] * 300).toBeCloseTo(30, 9);
  });

  it('weights by Gaussian decay (Dai 2010)', () => {
    // w(d) = (e^(-½(d/10)²) − e^(-½)) / (1 − e^(-½)), e^(-½) = 0.6065307:
    //   w(2) = (0.9801987 − 0.6065307) / 0.3934693 = 0.9496750   w(4) = (0.9231163 − …) / … = 0.8046006
    //   w(6) = (0.8352702 − …) / … = 0.5813402                   w(8) = (0.7261490 − …) / … = 0.3040094
    // R1 = 10 / (100 × 0.9496750 + 200 × 0.5813402) = 10 / 211.2355 = 0.0473405
    // R2 = 20 / (200 × 0.8046006 + 300 × 0.3040094) = 20 / 252.1230 = 0.0793264
    // A0 = 0.9496750 × R1 = 0.0449581; A1 = 0.5813402 × R1 + 0.8046006 × R2 = 0.0913470; A2 = 0.3040094 × R2 = 0.0241160
    expect(decayWeight({ kind: 'gaussian' }, 2, 10)).toBeCloseTo(0.949675, 6);
    expect(decayWeight({ kind: 'gaussian' }, 10, 10)).toBeCloseTo(0, 12);
    expect(decayWeight({ kind: 'gaussian' }, 10.5, 10)).toBe(0);
    const r = twoStepFloatingCatchment(costs, supply, demand, { decay: { kind: 'gaussian' } });
    expect(r.ratio[0]).toBeCloseTo(0.0473405, 6);
    expect(r.ratio[1]).toBeCloseTo(0.0793264, 6);
    expect(r.access[0]).toBeCloseTo(0.0449581, 6);
    expect(r.access[1]).toBeCloseTo(0.0913470, 6);
    expect(r.access[2]).toBeCloseTo(0.0241160, 6);
  });

  it('weights by E2SFCA zones 1 / 0.68 / 0.22 (Luo & Qi 2009)', () => {
    // zones of 10: ≤ 3.33 → 1, ≤ 6.67 → 0.68, ≤ 10 → 0.22; so cost 2 → 1, 4 → 0.68, 6 → 0.68, 8 → 0.22
    // R1 = 10 / (100 + 200 × 0.68) = 10 / 236 = 0.0423729; R2 = 20 / (200 × 0.68 + 300 × 0.22) = 20 / 202 = 0.0990099
    // A0 = R1 = 0.0423729; A1 = 0.68 (R1 + R2) = 0.0961403; A2 = 0.22 R2 = 0.0217822
    const r = twoStepFloatingCatchment(costs, supply, demand, { decay: E2SFCA_STEPS });
    expect(r.access[0]).toBeCloseTo(10 / 236, 9);
    expect(r.access[1]).toBeCloseTo(0.68 * (10 / 236 + 20 / 202), 9);
    expect(r.access[2]).toBeCloseTo(0.22 * (20 / 202), 9);
  });

  it('treats unknown supply as none and a facility with no demand as sharing nothing', () => {
    const r = twoStepFloatingCatchment(costs, Float64Array.from([NaN, 20]), Float64Array.from([100, 0, 0]));
    // F1 unknown → 0; F2 reaches only zero demand → ratio 0
    expect(Array.from(r.access)).toEqual([0, 0, 0]);
  });

  it('names mismatched inputs', () => {
    expect(() => twoStepFloatingCatchment(costs, [1], demand)).toThrow(/expected 2 supply values \(one per facility\), found 1/);
    expect(() => twoStepFloatingCatchment(costs, supply, [1, 2])).toThrow(/expected 3 demand values \(one per cell\), found 2/);
  });
});

describe('supplier → cell costs', () => {
  it('straight-line: every cell within the limit, at its great-circle distance', () => {
    // facility at lon 0; cells at 5D = 556 m, 12D = 1334 m, 40D = 4448 m; limit 2000 m
    const c = supplyCostsFromStraightLine([0], [0], [0.005, 0.012, 0.04], [0, 0, 0], 2000);
    expect(Array.from(c.start)).toEqual([0, 2]);
    expect(Array.from(c.cell)).toEqual([0, 1]);
    expect(c.cost[0]).toBeCloseTo(5 * D, 3);
    expect(c.cost[1]).toBeCloseTo(12 * D, 3);
  });

  it('network: the hand example rebuilt on a street reproduces its 2SFCA values', () => {
    // a street along the equator, nodes every 0.01°; F1 at lon 0 (supply 10), F2 at 0.03 (supply 20);
    // cells c0 0.005 (100), c1 0.015 (200), c2 0.025 (300); catchment 2,300 m of walking distance:
    //   F1: c0 5D = 556 ✓, c1 15D = 1668 ✓, c2 25D = 2780 ✗;   F2: c0 25D ✗, c1 15D ✓, c2 5D ✓
    // the same reach pattern as above, so A = 1/30, 1/30 + 1/25, 1/25
    const network = buildRoadNetwork({ lon: Float64Array.from([0, 0.01, 0.02, 0.03, 0.04]), lat: new Float64Array(5), ways: [{ nodes: [0, 1, 2, 3, 4], tags: { highway: 'residential' } }] });
    const grid = gridFromPoints({ lon: Float64Array.from([0.005, 0.015, 0.025]), lat: new Float64Array(3), population: Float64Array.from([100, 200, 300]) });
    const prepared = prepareNetwork(network, grid, 'walk', 'distance');
    const c = supplyCostsOnNetwork(prepared, [0, 0.03], [0, 0], 2300);
    expect(Array.from(c.cell)).toEqual([0, 1, 1, 2]);
    expect(Array.from(c.cost, (x) => x / D)).toEqual([5, 15, 15, 5].map((k) => expect.closeTo(k, 4)));
    const r = twoStepFloatingCatchment(c, supply, grid.population);
    expect(r.access[0]).toBeCloseTo(1 / 30, 12);
    expect(r.access[1]).toBeCloseTo(1 / 30 + 1 / 25, 12);
    expect(r.access[2]).toBeCloseTo(1 / 25, 12);
  });

  it('network: each cell\'s cheapest entry is its nearest-facility cost from the engine (seeded street grid)', () => {
    const network = generatedNetwork(7, 20);
    const rand = seededRandom(17);
    const pick = (n: number) => Array.from({ length: n }, () => [106.4 + rand() * 0.019, 30.5 + rand() * 0.019]);
    const cells = pick(300), sites = pick(12);
    const grid = gridFromPoints({ lon: Float64Array.from(cells, (p) => p[0]), lat: Float64Array.from(cells, (p) => p[1]), population: new Float64Array(300).fill(1) }, { cellSize: 20 });
    const facilities = createFacilitySet(sites.map(([lon, lat], i) => ({ lon, lat, id: i })));
    const prepared = prepareNetwork(network, grid, 'car', 'time');
    const c = supplyCostsOnNetwork(prepared, facilities.lon, facilities.lat, 240);
    const nearest = analyzeAccess({ grid, facilities, mode: 'car', minutes: 4, prepared }).cost;
    const best = new Float64Array(grid.count).fill(Infinity);
    for (let j = 0; j < c.facilityCount; j++) {
      for (let k = c.start[j]; k < c.start[j + 1]; k++) best[c.cell[k]] = Math.min(best[c.cell[k]], c.cost[k]);
    }
    let reached = 0;
    for (let i = 0; i < grid.count; i++) {
      if (nearest[i] === Infinity) expect(best[i]).toBe(Infinity);
      else { reached++; expect(best[i]).toBeCloseTo(nearest[i], 6); }
    }
    expect(reached).toBeGreaterThan(100);
    // and with no decay, supply is only redistributed: Σ access × demand = Σ supply of facilities with demand
    const s = Float64Array.from({ length: 12 }, (_, j) => j + 1);
    const r = twoStepFloatingCatchment(c, s, grid.population);
    let total = 0, expected = 0;
    for (let i = 0; i < grid.count; i++) total += r.access[i] * grid.population[i];
    for (let j = 0; j < 12; j++) if (r.demand[j] > 0) expected += s[j];
    expect(total).toBeCloseTo(expected, 9);
  });
});

// Exact maximal covering with HiGHS (npm `highs`, WebAssembly) beside brute force and the greedy: the MILP
// matches enumeration of every subset on seeded small cases, and on seeded geographic cases the greedy is
// within (1 − 1/e) of it and never above it.
import { beforeAll, describe, expect, it } from 'vitest';
import { createFacilitySet } from '../analysis/facilities/facility-set.ts';
import { analyzeAccess } from '../analysis/accessibility/analyze-access.ts';
import { gridFromPoints } from '../analysis/grid/population-grid.ts';
import { candidatesFromPoints } from '../analysis/siting/candidate-sites.ts';
import { exactSites, type LpSolution } from '../analysis/siting/exact-sites.ts';
import { spacingConflicts } from '../analysis/siting/spacing-conflicts.ts';
import { coverageProblem, suggestSites } from '../analysis/siting/suggest-sites.ts';
import distance from '@turf/distance';
import { seededRandom } from './support/seeded-random.ts';

let solve: (lp: string) => LpSolution;
beforeAll(async () => {
  const highs = await (await import('highs')).default();
  solve = (lp) => highs.solve(lp) as unknown as LpSolution;
});

/** The best value of any ≤ k candidates (no conflicting pair together), by trying every subset. */
function bruteForce(value: Float64Array, sets: Int32Array[], k: number, conflicts: Array<[number, number]> = []): number {
  let best = 0;
  const n = sets.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let m = mask; m; m &= m - 1) bits++;
    if (bits > k) continue;
    if (conflicts.some(([a, b]) => mask & (1 << a) && mask & (1 << b))) continue;
    const seen = new Set<number>();
    for (let j = 0; j < n; j++) if (mask & (1 << j)) for (const i of sets[j]) seen.add(i);
    let v = 0;
    for (const i of seen) v += value[i];
    if (v > best) best = v;
  }
  return best;
}

describe('exact maximal covering (HiGHS)', () => {
  it('solves a hand case: cells 0–4 worth 5, 4, 3, 2, 1; sets {0,1}, {1,2}, {2,3,4}, {0}; k = 2 → {0,1} + {2,3,4} = 15', () => {
    const value = Float64Array.of(5, 4, 3, 2, 1);
    const sets = [Int32Array.of(0, 1), Int32Array.of(1, 2), Int32Array.of(2, 3, 4), Int32Array.of(0)];
    const r = exactSites({ value, sets, k: 2 }, solve);
    expect(r.chosen).toEqual([0, 2]);
    expect(r.objective).toBe(15);
  });

  it('with a budget: costs 3, 1, 4, 1 and budget 5 → 12', () => {
    const value = Float64Array.of(5, 4, 3, 2, 1);
    const sets = [Int32Array.of(0, 1), Int32Array.of(1, 2), Int32Array.of(2, 3, 4), Int32Array.of(0)];
    // by hand, every affordable choice: {0} 9, {1} 7, {2} 6, {3} 5, {0,1} 12 (cost 4), {0,3} 9, {1,2} 10 (5),
    // {1,3} 12 (2), {2,3} 11 (5), {0,1,3} 12 (5); nothing affordable covers more than cells 0–2 or 0,2–4
    const r = exactSites({ value, sets, cost: Float64Array.of(3, 1, 4, 1), budget: 5 }, solve);
    expect(r.objective).toBe(12);
  });

  it('equals brute force on 30 seeded random cases (10 candidates, 40 cells, k = 1..4)', () => {
    const random = seededRandom(2026);
    for (let t = 0; t < 30; t++) {
      const value = Float64Array.from({ length: 40 }, () => Math.floor(random() * 20));
      const sets = Array.from({ length: 10 }, () => Int32Array.from(Array.from({ length: 40 }, (_, i) => i).filter(() => random() < 0.15)));
      const k = 1 + (t % 4);
      expect(exactSites({ value, sets, k }, solve).objective, `case ${t}`).toBe(bruteForce(value, sets, k));
    }
  });

  it('with conflicting pairs (x_a + x_b ≤ 1) equals brute force that skips such subsets, on 30 seeded cases', () => {
    const random = seededRandom(99);
    for (let t = 0; t < 30; t++) {
      const value = Float64Array.from({ length: 40 }, () => Math.floor(random() * 20));
      const sets = Array.from({ length: 10 }, () => Int32Array.from(Array.from({ length: 40 }, (_, i) => i).filter(() => random() < 0.2)));
      const conflicts: Array<[number, number]> = [];
      for (let a = 0; a < 10; a++) for (let b = a + 1; b < 10; b++) if (random() < 0.2) conflicts.push([a, b]);
      const k = 2 + (t % 3);
      const r = exactSites({ value, sets, k, conflicts }, solve);
      expect(r.objective, `case ${t}`).toBe(bruteForce(value, sets, k, conflicts));
      expect(conflicts.some(([a, b]) => r.chosen.includes(a) && r.chosen.includes(b)), `case ${t}`).toBe(false);
    }
  });

  it('keeps the spacing on seeded geographic cases: chosen sites ≥ 800 m apart by Turf, exact ≥ the spaced greedy', () => {
    const random = seededRandom(11);
    for (let t = 0; t < 4; t++) {
      const n = 400;
      const lon = Float64Array.from({ length: n }, () => 106.4 + random() * 0.05), lat = Float64Array.from({ length: n }, () => 30.5 + random() * 0.05);
      const grid = gridFromPoints({ lon, lat, population: Float64Array.from({ length: n }, () => 1 + Math.floor(random() * 50)) }, { cellSize: 100 });
      const base = analyzeAccess({ grid, facilities: createFacilitySet([{ lon: 106.42, lat: 30.52, id: 'f' }]), mode: 'straight', meters: 800 });
      const candidates = candidatesFromPoints(Array.from({ length: 50 }, (_, j) => ({ lon: 106.4 + random() * 0.05, lat: 30.5 + random() * 0.05, id: `c${j}` })));
      const req = { prepared: null, grid, baselineCost: base.cost, threshold: 800, candidates, k: 4 };
      const conflicts = spacingConflicts(candidates, 800);
      expect(conflicts.length, `case ${t}: the case must have pairs to forbid`).toBeGreaterThan(0);
      const { value, sets } = coverageProblem(req);
      const r = exactSites({ value, sets, k: 4, conflicts }, solve);
      for (const a of r.chosen) for (const b of r.chosen) {
        if (a < b) expect(distance([candidates.lon[a], candidates.lat[a]], [candidates.lon[b], candidates.lat[b]], { units: 'meters' }), `case ${t}`).toBeGreaterThanOrEqual(800 - 1e-6);
      }
      const greedy = suggestSites({ ...req, minSpacingMeters: 800 }).sites.reduce((a, s) => a + s.score, 0);
      expect(r.objective, `case ${t}`).toBeGreaterThanOrEqual(greedy - 1e-9);
      expect(r.objective, `case ${t}: the unspaced optimum bounds the spaced one`).toBeLessThanOrEqual(exactSites({ value, sets, k: 4 }, solve).objective + 1e-9);
    }
  });

  it('bounds the greedy on seeded geographic cases: (1 − 1/e) · exact ≤ greedy ≤ exact', () => {
    const random = seededRandom(7);
    for (let t = 0; t < 8; t++) {
      const n = 400;
      const lon = Float64Array.from({ length: n }, () => 106.4 + random() * 0.08), lat = Float64Array.from({ length: n }, () => 30.5 + random() * 0.08);
      const grid = gridFromPoints({ lon, lat, population: Float64Array.from({ length: n }, () => 1 + Math.floor(random() * 50)) }, { cellSize: 100 });
      const base = analyzeAccess({ grid, facilities: createFacilitySet([{ lon: 106.44, lat: 30.54, id: 'f' }]), mode: 'straight', meters: 1000 });
      const candidates = candidatesFromPoints(Array.from({ length: 60 }, (_, j) => ({ lon: 106.4 + random() * 0.08, lat: 30.5 + random() * 0.08, id: `c${j}` })));
      const req = { prepared: null, grid, baselineCost: base.cost, threshold: 1000, candidates, k: 3 + (t % 4) };
      const greedy = suggestSites(req).sites.reduce((a, s) => a + s.score, 0);
      const { value, sets } = coverageProblem(req);
      const exact = exactSites({ value, sets, k: req.k }, solve).objective;
      expect(exact, `case ${t}`).toBeGreaterThanOrEqual(greedy - 1e-9);
      expect(greedy, `case ${t}`).toBeGreaterThanOrEqual((1 - 1 / Math.E) * exact - 1e-9);
    }
  });
});

// Goal (c), the fewest sites to a township's target share: a hand-computed street, then 黄龙乡 on the demo.
import { describe, expect, it } from 'vitest';
import { COVERED, explicitCircle } from '../analysis/circles/circle.ts';
import { sitesToTarget } from '../analysis/circles/circle-siting.ts';
import { networkPreparer } from '../analysis/circles/network-preparer.ts';
import { runCircle } from '../analysis/circles/run-circle.ts';
import { createFacilitySet } from '../analysis/facilities/facility-set.ts';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';
import { assignUnits } from '../analysis/grid/assign-units.ts';
import { gridFromPoints } from '../analysis/grid/population-grid.ts';
import { buildRoadNetwork } from '../analysis/network/road-network.ts';
import { candidatesFromPoints } from '../analysis/siting/candidate-sites.ts';
import { demoCircle } from './support/demo-circle.ts';

describe('hand-built street, walk 2 min, one township', () => {
  // The street of suggest-sites.test.ts: 11 nodes 100 m apart at 30.5°N, residents on it (no off-road leg):
  // 20 at x = 50, 20 at 150, 10 at 550, 20 at 850, 20 at 950 (90 in all); 2 min at 4.5 km/h = 150 m.
  // Candidates x100 (reaches 50, 150: 40), x550 (10), x900 (40), x320 (nobody).
  // Target 80 % (72): x100 (40, 44.4 %), x900 (80, 88.9 %) → 2 sites. Target 100 %: then x550 → 90, 3 sites.
  // Spacing 600 m: x550 lies 450 m from x100 → passed over; 100 % is out of reach at 80 / 90.
  const LON0 = 106.4, LAT0 = 30.5;
  const proj = createLocalProjection(LON0, LAT0);
  const at = (x: number) => proj.inverse(x, 0)[0];
  const network = buildRoadNetwork({ lon: Float64Array.from({ length: 11 }, (_, k) => at(100 * k)), lat: new Float64Array(11).fill(LAT0), ways: [{ nodes: Array.from({ length: 11 }, (_, k) => k), tags: { highway: 'residential' } }] });
  const xs = [50, 150, 550, 850, 950];
  const box = { type: 'Polygon' as const, coordinates: [[[at(-100), LAT0 - 0.01], [at(1100), LAT0 - 0.01], [at(1100), LAT0 + 0.01], [at(-100), LAT0 + 0.01], [at(-100), LAT0 - 0.01]]] };
  const grid = assignUnits(gridFromPoints({ lon: Float64Array.from(xs.map(at)), lat: new Float64Array(5).fill(LAT0), population: Float64Array.of(20, 20, 10, 20, 20) }, { cellSize: 50 }),
    { names: ['街'], codes: ['1'], features: [{ type: 'Feature', properties: {}, geometry: box }] });
  const inputs = { grid, facilities: createFacilitySet([]), network: networkPreparer(network, grid, { minIslandNodes: 2 }) };
  const circle = explicitCircle({ mode: 'walk', minutes: 2 }, null);
  const result = runCircle(inputs, circle);
  const candidates = candidatesFromPoints([100, 550, 900, 320].map((x) => ({ lon: at(x), lat: LAT0, id: `x${x}` })));

  it('stops at the fewest sites the greedy needs: 2 for 80 %, 3 for 100 %', () => {
    const [t80] = sitesToTarget(inputs, { result, units: [0], target: 0.8, spacingMeters: 0, candidates });
    expect(t80.sites.map((s) => s.id)).toEqual(['x100', 'x900']);
    expect(t80).toMatchObject({ reached: true, shareBefore: 0, reason: null });
    expect(t80.shareAfter).toBeCloseTo(80 / 90, 12);
    const [t100] = sitesToTarget(inputs, { result, units: [0], target: 1, spacingMeters: 0, candidates });
    expect(t100.sites.map((s) => s.id)).toEqual(['x100', 'x900', 'x550']);
    expect(t100.shareAfter).toBe(1);
  });

  it('says why when the spacing leaves the target out of reach', () => {
    const [t] = sitesToTarget(inputs, { result, units: [0], target: 1, spacingMeters: 600, candidates });
    expect(t.reached).toBe(false);
    expect(t.shareAfter).toBeCloseTo(80 / 90, 12);
    expect(t.reason?.en).toMatch(/not reached with 2 sites: no further candidate adds any of the group/);
  });

  it('refuses a bad target and township by name', () => {
    expect(() => sitesToTarget(inputs, { result, target: 1.5 })).toThrow('target must be a share in (0, 1], found 1.5');
    expect(() => sitesToTarget(inputs, { result, units: [3] })).toThrow('township 3: expected an index of the 1 townships');
  });
});

describe('黄龙乡 on the Yuechi demo, elderly-care-15min, target 90 %', async () => {
  const { demo, circle, inputs, base } = await demoCircle('elderly-care-15min');
  const u = demo.grid.unitNames.indexOf('黄龙乡');
  const [t] = sitesToTarget(inputs, { result: base, units: [u] });

  // the township's covered 60+ share counted cell by cell, apart from the run's summary
  const shareWith = (sites: { lon: number; lat: number }[]) => {
    const f = demo.facilities;
    const set = createFacilitySet([
      ...Array.from({ length: f.count }, (_, i) => ({ id: f.id[i], lon: f.lon[i], lat: f.lat[i], category: f.category[i] })),
      ...sites.map((s, i) => ({ id: `s${i}`, lon: s.lon, lat: s.lat, category: 'elderly_station' })),
    ]);
    const r = runCircle({ ...inputs, facilities: set }, circle);
    let covered = 0, all = 0;
    for (let i = 0; i < demo.grid.count; i++) if (demo.grid.unit[i] === u) { all += demo.grid.aged60[i]; if (r.status[i] === COVERED) covered += demo.grid.aged60[i]; }
    return covered / all;
  };

  it('names the sites that bring it over 90 %, and one fewer does not', () => {
    expect(u).toBeGreaterThanOrEqual(0);
    expect(t.shareBefore).toBe(0);
    expect(t.reached).toBe(true);
    expect(shareWith(t.sites)).toBeGreaterThanOrEqual(0.9);
    expect(shareWith(t.sites.slice(0, -1))).toBeLessThan(0.9);
    expect(t.sites.length).toBeGreaterThan(1);
  });
});

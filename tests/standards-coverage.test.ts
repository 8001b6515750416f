// Coverage circles on hand-made points along the equator, where 0.001° of longitude is D = 111.19508 m
// (2πR/360 × 0.001, R = 6371008.8 m): every distance below is a multiple of D and every covered count a hand
// sum of the cells named in the comment.
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createFacilitySet } from '../analysis/facilities/facility-set.ts';
import { assignUnits, type AdminUnits } from '../analysis/grid/assign-units.ts';
import { gridFromPoints, RURAL, URBAN } from '../analysis/grid/population-grid.ts';
import { buildRoadNetwork } from '../analysis/network/road-network.ts';
import { createCategoryAccess } from '../analysis/standards/category-access.ts';
import { evaluateCircle } from '../analysis/standards/circle-coverage.ts';
import type { CirclePreset, Reach } from '../analysis/standards/presets.ts';

const D = 111.19508;

// cells at 5D, 12D, 20D and 30D east of the clinic at lon 0:
//   c1 556 m  pop 100, 60+ 40, urban  | unit A
//   c2 1334 m pop 200, 60+ 50, urban  | unit A
//   c3 2224 m pop 300, 60+ 60, rural  | unit B
//   c4 3336 m pop 400, 60+ 70, rural  | unit B
const grid0 = gridFromPoints({
  lon: Float64Array.from([0.005, 0.012, 0.02, 0.03]), lat: new Float64Array(4),
  population: Float64Array.from([100, 200, 300, 400]), aged60: Float64Array.from([40, 50, 60, 70]),
  urbanClass: Uint8Array.from([URBAN, URBAN, RURAL, RURAL]),
});
const square = (lon0: number, lon1: number): Polygon => ({ type: 'Polygon', coordinates: [[[lon0, -0.01], [lon1, -0.01], [lon1, 0.01], [lon0, 0.01], [lon0, -0.01]]] });
const units: AdminUnits = {
  names: ['A街道', 'B镇'], codes: ['A', 'B'],
  features: [square(0, 0.015), square(0.015, 0.04)].map((geometry): Feature<Polygon> => ({ type: 'Feature', properties: {}, geometry })),
};
const grid = assignUnits(grid0, units);
// a clinic at lon 0 and a school at lon 0.05 (school to c1..c4: 45D, 38D, 30D, 20D)
const facilities = createFacilitySet([
  { lon: 0, lat: 0, id: 'clinic', category: 'clinic' },
  { lon: 0.05, lat: 0, id: 'school', category: 'school' },
]);

function preset(urban: Reach | null, rural: Reach | null, extra: Partial<CirclePreset> = {}): CirclePreset {
  return {
    id: 'test', zh: '测试圈', en: 'test circle', services: [{ id: 'care', zh: '医疗', en: 'care', categories: ['clinic'] }],
    require: 'any', urban, rural, population: 'all', coverageTarget: null, source: 'hand', assumed: {}, notes: [], configured: [], ...extra,
  };
}
const settings = { coverageTarget: 0.9, unknownClassAs: 'rural' as const };
const straight = (meters: number): Reach => ({ mode: 'straight', meters });

describe('one threshold (coverage)', () => {
  it('covers the cells within 3,000 m: c1, c2, c3 = 600 of 1,000 residents', () => {
    const access = createCategoryAccess({ grid, facilities });
    const r = evaluateCircle(preset(straight(3000), straight(3000)), grid, access, settings);
    expect(Array.from(r.covered)).toEqual([1, 1, 1, 0]);
    expect(r.summary.population).toMatchObject({ total: 1000, covered: 600, uncovered: 400 });
    // 60+: 40 + 50 + 60 = 150 of 220
    expect(r.summary.aged60).toMatchObject({ total: 220, covered: 150 });
    expect(r.cost[0]).toBeCloseTo(5 * D, 3);
  });
});

describe('two thresholds in one run (dual)', () => {
  it('judges urban cells by 1,000 m and rural cells by 3,000 m', () => {
    // c1 556 ≤ 1000 yes; c2 1334 > 1000 no; c3 2224 ≤ 3000 yes; c4 3336 > 3000 no → 100 + 300 = 400
    const access = createCategoryAccess({ grid, facilities });
    const r = evaluateCircle(preset(straight(1000), straight(3000)), grid, access, settings);
    expect(Array.from(r.side)).toEqual([URBAN, URBAN, RURAL, RURAL]);
    expect(Array.from(r.covered)).toEqual([1, 0, 1, 0]);
    expect(r.summary.population).toMatchObject({ total: 1000, covered: 400 });
    expect(r.summary.aged60).toMatchObject({ total: 220, covered: 100 }); // 40 + 60
    // per unit: A covers c1 (100 of 300), B covers c3 (300 of 700)
    expect(r.summary.byUnit.map((u) => [u.population.covered, u.population.total])).toEqual([[100, 300], [300, 700]]);
    expect(r.summary.byClass.urban.population.covered).toBe(100);
    expect(r.summary.byClass.rural.population.covered).toBe(300);
  });

  it('counts only the class a one-sided rule judges', () => {
    // rural-only 3,000 m: c3 and c4 judged (700), c3 covered (300); urban cells are not in the totals
    const access = createCategoryAccess({ grid, facilities });
    const r = evaluateCircle(preset(null, straight(3000), { population: 'rural' }), grid, access, settings);
    expect(Array.from(r.side)).toEqual([0, 0, RURAL, RURAL]);
    expect(r.summary.population).toMatchObject({ total: 700, covered: 300 });
    expect(r.summary.byUnit[0].cells).toBe(0);
  });

  it('sends cells of unknown class to the configured side', () => {
    const unknown = { ...grid, urbanClass: new Uint8Array(4) };
    const access = createCategoryAccess({ grid: unknown, facilities });
    // all four as urban (1,000 m): only c1 → 100
    const asUrban = evaluateCircle(preset(straight(1000), straight(3000)), unknown, access, { ...settings, unknownClassAs: 'urban' });
    expect(asUrban.summary.population.covered).toBe(100);
    // all four as rural (3,000 m): c1, c2, c3 → 600
    const asRural = evaluateCircle(preset(straight(1000), straight(3000)), unknown, access, settings);
    expect(asRural.summary.population.covered).toBe(600);
  });
});

describe('every service group or any of them', () => {
  // urban 1,000 m, rural 3,500 m; clinic distances 5D, 12D, 20D, 30D; school distances 45D, 38D, 30D, 20D
  //   c1: clinic 556 ok, school 5004 no   c2: 1334 no, 4225 no
  //   c3: 2224 ok, 3336 ok                c4: 3336 ok, 2224 ok
  const groups = [
    { id: 'care', zh: '医疗', en: 'care', categories: ['clinic'] },
    { id: 'school', zh: '教育', en: 'school', categories: ['school'] },
  ];
  const access = createCategoryAccess({ grid, facilities });

  it('any: c1, c3, c4 = 800', () => {
    const r = evaluateCircle(preset(straight(1000), straight(3500), { services: groups, require: 'any' }), grid, access, settings);
    expect(Array.from(r.covered)).toEqual([1, 0, 1, 1]);
    expect(r.summary.population.covered).toBe(800);
  });

  it('every: c3, c4 = 700, and the per-group coverage says the school is what c1 lacks', () => {
    const r = evaluateCircle(preset(straight(1000), straight(3500), { services: groups, require: 'every' }), grid, access, settings);
    expect(Array.from(r.covered)).toEqual([0, 0, 1, 1]);
    expect(r.summary.population.covered).toBe(700);
    expect(r.services.map((s) => s.summary.population.covered)).toEqual([800, 700]); // care: c1 c3 c4; school: c3 c4
    expect(r.cost[0]).toBe(Infinity); // the school is beyond c1's 1,000 m
    expect(r.cost[2]).toBeCloseTo(30 * D, 3); // c3's farther group: the school at 3,336 m
  });

  it('a category with no facilities covers nobody', () => {
    const r = evaluateCircle(preset(straight(1000), straight(3500), { services: [{ id: 'x', zh: '无', en: 'none', categories: ['market'] }] }), grid, access, settings);
    expect(r.summary.population.covered).toBe(0);
    expect(r.services[0].facilities).toBe(0);
  });
});

describe('on a road network, walking for urban and driving for rural cells', () => {
  // one residential street along the equator from lon 0 to 0.04 (nodes every 0.01); cells and the clinic
  // lie on it, so there is no off-road leg. Walk 4.5 km/h = 1.25 m/s; car on residential 20 km/h = 5.5556 m/s.
  //   urban 10 min walk (600 s): c1 5D/1.25 = 444.8 s yes; c2 12D/1.25 = 1067.5 s no
  //   rural 8 min by car (480 s): c3 20D/5.5556 = 400.3 s yes; c4 30D/5.5556 = 600.5 s no
  const network = buildRoadNetwork({
    lon: Float64Array.from([0, 0.01, 0.02, 0.03, 0.04]), lat: new Float64Array(5),
    ways: [{ nodes: [0, 1, 2, 3, 4], tags: { highway: 'residential' } }],
  });
  const clinic = createFacilitySet([{ lon: 0, lat: 0, id: 'clinic', category: 'clinic' }]);

  it('covers c1 and c3 = 400 residents, with the times worked out above', () => {
    const access = createCategoryAccess({ grid, facilities: clinic, network });
    const r = evaluateCircle(preset({ mode: 'walk', minutes: 10 }, { mode: 'car', minutes: 8 }), grid, access, settings);
    expect(Array.from(r.covered)).toEqual([1, 0, 1, 0]);
    expect(r.cost[0]).toBeCloseTo((5 * D) / 1.25, 1);
    expect(r.cost[2]).toBeCloseTo((20 * D) / (20 / 3.6), 1);
    expect(r.summary.population.covered).toBe(400);
  });

  it('routes each category once per mode at the largest planned threshold', () => {
    const access = createCategoryAccess({ grid, facilities: clinic, network });
    access.plan([{ mode: 'walk', minutes: 30 }]);
    const near = access.nearest(['clinic'], { mode: 'walk', minutes: 10 });
    const far = access.nearest(['clinic'], { mode: 'walk', minutes: 30 });
    // 10 min: c1 only; 30 min (1800 s): c1, c2 (1067.5 s), c3 (20D/1.25 = 1779.1 s), not c4 (2668.7 s)
    expect(Array.from(near, Number.isFinite)).toEqual([true, false, false, false]);
    expect(Array.from(far, Number.isFinite)).toEqual([true, true, true, false]);
    expect(far[2]).toBeCloseTo((20 * D) / 1.25, 1);
  });

  it('asks for roads when a network reach has none', () => {
    const access = createCategoryAccess({ grid, facilities: clinic });
    expect(() => access.nearest(['clinic'], { mode: 'walk', minutes: 10 })).toThrow(/needs a road network \(--roads\)/);
  });
});

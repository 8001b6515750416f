// Coverage circles on hand-made points along the equator, where 0.001° of longitude is D = 111.19508 m
// (2πR/360 × 0.001, R = 6371008.8 m): every distance below is a multiple of D and every covered count a hand
// sum of the cells named in the comment.
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createFacilitySet } from '../analysis/facilities/facility-set.ts';
import { assignUnits, type AdminUnits } from '../analysis/grid/assign-units.ts';
import { gridFromPoints, RURAL, URBAN } from '../analysis/grid/population-grid.ts';
import { buildRoadNetwork } from '../analysis/network/road-network.ts';
import { BEYOND_REACH, circleOfPreset, COVERED } from '../analysis/circles/circle.ts';
import { networkPreparer } from '../analysis/circles/network-preparer.ts';
import { runCircle } from '../analysis/circles/run-circle.ts';
import type { FacilitySet } from '../analysis/facilities/facility-set.ts';
import type { PopulationGrid } from '../analysis/grid/population-grid.ts';
import type { RoadNetwork } from '../analysis/network/road-network.ts';
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
const settings: { coverageTarget: number; unknownClassAs: 'urban' | 'rural' } = { coverageTarget: 0.9, unknownClassAs: 'rural' };
const straight = (meters: number): Reach => ({ mode: 'straight', meters });

/** The circle run of a preset over these points; `covered` as 0/1 per cell. */
function evaluate(p: CirclePreset, on: { grid?: PopulationGrid; facilities?: FacilitySet; network?: RoadNetwork } = {}, s: typeof settings = settings) {
  const g = on.grid ?? grid;
  const r = runCircle({ grid: g, facilities: on.facilities ?? facilities, network: on.network ? networkPreparer(on.network, g) : null }, circleOfPreset(p, s));
  return { ...r, covered: Array.from(r.status, (x) => (x === COVERED ? 1 : 0)) };
}

describe('one threshold (coverage)', () => {
  it('covers the cells within 3,000 m: c1, c2, c3 = 600 of 1,000 residents', () => {
    const r = evaluate(preset(straight(3000), straight(3000)));
    expect(r.covered).toEqual([1, 1, 1, 0]);
    expect(r.summary.population).toMatchObject({ total: 1000, covered: 600, uncovered: 400 });
    // 60+: 40 + 50 + 60 = 150 of 220
    expect(r.summary.aged60).toMatchObject({ total: 220, covered: 150 });
    expect(r.cost[0]).toBeCloseTo(5 * D, 3);
  });
});

describe('two thresholds in one run (dual)', () => {
  it('judges urban cells by 1,000 m and rural cells by 3,000 m', () => {
    // c1 556 ≤ 1000 yes; c2 1334 > 1000 no; c3 2224 ≤ 3000 yes; c4 3336 > 3000 no → 100 + 300 = 400
    const r = evaluate(preset(straight(1000), straight(3000)));
    expect(Array.from(r.side)).toEqual([URBAN, URBAN, RURAL, RURAL]);
    expect(r.covered).toEqual([1, 0, 1, 0]);
    expect(r.summary.population).toMatchObject({ total: 1000, covered: 400 });
    expect(r.summary.aged60).toMatchObject({ total: 220, covered: 100 }); // 40 + 60
    // per unit: A covers c1 (100 of 300), B covers c3 (300 of 700)
    expect(r.summary.byUnit.map((u) => [u.population.covered, u.population.total])).toEqual([[100, 300], [300, 700]]);
    expect(r.summary.byClass.urban.population.covered).toBe(100);
    expect(r.summary.byClass.rural.population.covered).toBe(300);
  });

  it('counts only the class a one-sided rule judges', () => {
    // rural-only 3,000 m: c3 and c4 judged (700), c3 covered (300); urban cells are not in the totals
    const r = evaluate(preset(null, straight(3000), { population: 'rural' }));
    expect(Array.from(r.side)).toEqual([0, 0, RURAL, RURAL]);
    expect(r.summary.population).toMatchObject({ total: 700, covered: 300 });
    expect(r.summary.byUnit[0].cells).toBe(0);
  });

  it('sends cells of unknown class to the configured side', () => {
    const unknown = { ...grid, urbanClass: new Uint8Array(4) };
    // all four as urban (1,000 m): only c1 → 100
    const asUrban = evaluate(preset(straight(1000), straight(3000)), { grid: unknown }, { ...settings, unknownClassAs: 'urban' });
    expect(asUrban.summary.population.covered).toBe(100);
    // all four as rural (3,000 m): c1, c2, c3 → 600
    const asRural = evaluate(preset(straight(1000), straight(3000)), { grid: unknown });
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

  it('any: c1, c3, c4 = 800', () => {
    const r = evaluate(preset(straight(1000), straight(3500), { services: groups, require: 'any' }));
    expect(r.covered).toEqual([1, 0, 1, 1]);
    expect(r.summary.population.covered).toBe(800);
  });

  it('every: c3, c4 = 700, and the per-group coverage says the school is what c1 lacks', () => {
    const r = evaluate(preset(straight(1000), straight(3500), { services: groups, require: 'every' }));
    expect(r.covered).toEqual([0, 0, 1, 1]);
    expect(r.summary.population.covered).toBe(700);
    expect(r.summary.services.map((s) => s.population.covered)).toEqual([800, 700]); // care: c1 c3 c4; school: c3 c4
    // the school decides for c1: 45D = 5,004 m, beyond its 1,000 m (one straight-line search serves both sides)
    expect(r.cost[0]).toBeCloseTo(45 * D, 3);
    expect(r.status[0]).toBe(BEYOND_REACH);
    expect(r.cost[2]).toBeCloseTo(30 * D, 3); // c3's farther group: the school at 3,336 m
  });

  it('a category with no facilities covers nobody', () => {
    const r = evaluate(preset(straight(1000), straight(3500), { services: [{ id: 'x', zh: '无', en: 'none', categories: ['market'] }] }));
    expect(r.summary.population.covered).toBe(0);
    expect(r.summary.services[0].facilities).toBe(0);
    expect(r.summary.byReason.no_facility_within_search.population).toBe(1000);
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
    const r = evaluate(preset({ mode: 'walk', minutes: 10 }, { mode: 'car', minutes: 8 }), { facilities: clinic, network });
    expect(r.covered).toEqual([1, 0, 1, 0]);
    expect(r.cost[0]).toBeCloseTo((5 * D) / 1.25, 1);
    expect(r.cost[2]).toBeCloseTo((20 * D) / (20 / 3.6), 1);
    expect(r.summary.population.covered).toBe(400);
  });

  it('searches three times past each threshold, so an uncovered cell still says how far its facility is', () => {
    // c2 walks 12D/1.25 = 1067.5 s: beyond the 600 s, within 3 × 600 s; c4 drives 30D/5.5556 = 600.5 s beyond 480 s
    const r = evaluate(preset({ mode: 'walk', minutes: 10 }, { mode: 'car', minutes: 8 }), { facilities: clinic, network });
    expect(r.status[1]).toBe(BEYOND_REACH);
    expect(r.cost[1]).toBeCloseTo((12 * D) / 1.25, 1);
    expect(r.cost[3]).toBeCloseTo((30 * D) / (20 / 3.6), 1);
    const gap = r.gaps.features.find((f) => f.properties.side === 'urban')!.properties;
    expect(gap).toMatchObject({ township: 'A街道', reason: 'beyond_reach', nearest_facility_id: 'clinic', threshold: 10, cells: 1 });
    expect(gap.mean_cost).toBeCloseTo((12 * D) / 1.25 / 60, 2);
  });

  it('asks for roads when a network reach has none', () => {
    expect(() => evaluate(preset({ mode: 'walk', minutes: 10 }, null), { facilities: clinic })).toThrow(/needs a road network/);
  });
});

// Ratio, total and presence rules on a two-township county whose every figure is set by hand below; the
// expected values and shortfalls are hand computations in the comments (target × denominator / per − numerator,
// rounded up).
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createFacilitySet, type FacilityInput } from '../analysis/facilities/facility-set.ts';
import { assignUnits, type AdminUnits } from '../analysis/grid/assign-units.ts';
import { gridFromPoints } from '../analysis/grid/population-grid.ts';
import { buildComplianceReport, type ReportRow } from '../analysis/standards/compliance-report.ts';
import { facilityUnits } from '../analysis/standards/facility-units.ts';
import { judgeRatio, judgeTotal } from '../analysis/standards/indicators.ts';
import { defaultStandards } from '../analysis/standards/presets.ts';
import { classifyByUnitType } from '../analysis/standards/urban-rural.ts';

const square = (lon0: number, lon1: number): Polygon => ({ type: 'Polygon', coordinates: [[[lon0, 0], [lon1, 0], [lon1, 0.01], [lon0, 0.01], [lon0, 0]]] });
// A街道 (street, 100 households) lon 0..0.01; B镇 (town, 200 households) lon 0.01..0.02
const units: AdminUnits = {
  names: ['A街道', 'B镇'], codes: ['A', 'B'],
  features: [
    { type: 'Feature', properties: { type: '街道', households: 100 }, geometry: square(0, 0.01) },
    { type: 'Feature', properties: { type: '镇', households: 200 }, geometry: square(0.01, 0.02) },
  ] as Feature<Polygon>[],
};
// A: 2,000 residents, 500 aged 60+; B: 1,000 residents, 400 aged 60+
const grid = classifyByUnitType(assignUnits(gridFromPoints({
  lon: Float64Array.from([0.005, 0.015]), lat: Float64Array.from([0.005, 0.005]),
  population: Float64Array.from([2000, 1000]), aged60: Float64Array.from([500, 400]),
}), units), units);

const A = { lon: 0.004, lat: 0.004 }, B = { lon: 0.014, lat: 0.004 };
const items: FacilityInput[] = [
  { ...A, id: 'cc-a', category: 'childcare', properties: { slots: 4, affordable: true, ownership: 'private' } },
  { ...B, id: 'cc-b', category: 'childcare', properties: { slots: 5, affordable: false, township_code: 'B' } },
  { ...A, id: 'kg-a', category: 'kindergarten', properties: { places: 200, ownership: 'public' } },
  { ...B, id: 'kg-b', category: 'kindergarten', properties: { places: 100, ownership: 'private' } },
  { ...B, id: 'hc-b', category: 'health_center', properties: { physicians: 3, nurses: 2 } },
  { ...B, id: 'nh-b', category: 'nursing_home', properties: { beds: 30, nursing_beds: 10 } },
  { ...A, id: 'ec-a', category: 'elderly_complex', properties: { beds: 10, nursing_beds: 8 } },
  { ...A, id: 'sg-a', category: 'sports_ground', properties: { area_m2: 5000 } },
  { ...B, id: 'sg-b', category: 'sports_ground', properties: { area_m2: 1000 } },
  { ...A, id: 'cs-a', category: 'community_service_center', properties: { floor_area_m2: 40 } },
  { ...B, id: 'cs-b', category: 'community_service_center', properties: { floor_area_m2: 50 } },
];
const facilities = createFacilitySet(items);
const indicatorIds = defaultStandards().indicators.filter((i) => i.kind !== 'capacity').map((i) => i.id);
const report = buildComplianceReport({ grid, units, facilities, urbanRule: 'unit-type', generatedAt: 'test' }, defaultStandards(), { only: indicatorIds });
const row = (item: string, area: string): ReportRow => {
  const r = report.rows.find((x) => x.itemId === item && (area === 'county' ? x.areaKind === 'county' : x.areaCode === area));
  if (!r) throw new Error(`no row ${item} ${area}`);
  return r;
};
const judged = (item: string, area: string) => {
  const r = row(item, area);
  return [r.value === null ? null : Math.round(r.value * 1000) / 1000, r.verdict, r.shortfall];
};

describe('ratio rules per township and county', () => {
  it('childcare slots per 1,000 (target 3)', () => {
    // A 4 / 2000 × 1000 = 2.0 → fail, 3 × 2 − 4 = 2 slots; B 5 / 1000 × 1000 = 5 → pass; county 9 / 3000 × 1000 = 3.0 → pass, exactly on target
    expect(judged('childcare-slots', 'A')).toEqual([2, 'fail', 2]);
    expect(judged('childcare-slots', 'B')).toEqual([5, 'pass', 0]);
    expect(judged('childcare-slots', 'county')).toEqual([3, 'pass', 0]);
    expect(row('childcare-slots', 'A').shortfallText).toEqual({ zh: '需增加托位2个', en: '2 more childcare slots needed' });
  });

  it('physicians and nurses per 1,000 (2.7 and 3.2)', () => {
    // physicians: A 0 → 2.7 × 2 = 5.4 → 6; B 3 / 1000 → 3.0 pass; county 1.0 → 8.1 − 3 = 5.1 → 6
    expect(judged('physicians', 'A')).toEqual([0, 'fail', 6]);
    expect(judged('physicians', 'B')).toEqual([3, 'pass', 0]);
    expect(judged('physicians', 'county')).toEqual([1, 'fail', 6]);
    // nurses: A 0 → 6.4 → 7; B 2.0 → 3.2 − 2 = 1.2 → 2; county 0.667 → 9.6 − 2 = 7.6 → 8
    expect(judged('nurses', 'A')).toEqual([0, 'fail', 7]);
    expect(judged('nurses', 'B')).toEqual([2, 'fail', 2]);
    expect(judged('nurses', 'county')).toEqual([0.667, 'fail', 8]);
  });

  it('nursing-type share of institutional beds (55 %)', () => {
    // A 8 / 10 = 80 % pass; B 10 / 30 = 33.3 % → 0.55 × 30 − 10 = 6.5 → 7; county 18 / 40 = 45 % → 22 − 18 = 4
    expect(judged('nursing-bed-share', 'A')).toEqual([80, 'pass', 0]);
    expect(judged('nursing-bed-share', 'B')).toEqual([33.333, 'fail', 7]);
    expect(judged('nursing-bed-share', 'county')).toEqual([45, 'fail', 4]);
  });

  it('elderly-care beds per 1,000 aged 60+ (40, GB 50437)', () => {
    // A 10 / 500 × 1000 = 20 → 40 × 0.5 − 10 = 10; B 30 / 400 × 1000 = 75 pass; county 40 / 900 × 1000 = 44.444 pass
    expect(judged('elderly-beds-per-1000-aged60', 'A')).toEqual([20, 'fail', 10]);
    expect(judged('elderly-beds-per-1000-aged60', 'B')).toEqual([75, 'pass', 0]);
    expect(judged('elderly-beds-per-1000-aged60', 'county')).toEqual([44.444, 'pass', 0]);
  });

  it('sports area per resident (2 m²) and community floor area per 100 households (30 m²)', () => {
    // sports: A 5000 / 2000 = 2.5 pass; B 1000 / 1000 = 1.0 → 2000 − 1000 = 1000 m²; county 6000 / 3000 = 2.0 pass
    expect(judged('sports-area-per-resident', 'A')).toEqual([2.5, 'pass', 0]);
    expect(judged('sports-area-per-resident', 'B')).toEqual([1, 'fail', 1000]);
    expect(judged('sports-area-per-resident', 'county')).toEqual([2, 'pass', 0]);
    // community: A 40 / 100 × 100 = 40 pass; B 50 / 200 × 100 = 25 → 30 × 2 − 50 = 10 m²; county 90 / 300 × 100 = 30 pass
    expect(judged('community-service-area', 'A')).toEqual([40, 'pass', 0]);
    expect(judged('community-service-area', 'B')).toEqual([25, 'fail', 10]);
    expect(judged('community-service-area', 'county')).toEqual([30, 'pass', 0]);
    expect(row('community-service-area', 'B').shortfallText.zh).toBe('需增加社区综合服务设施面积10平方米');
  });
});

describe('county totals', () => {
  it('elderly-care beds: 10 + 30 = 40 of 5,000 → 4,960 more, county row only', () => {
    expect(judged('elderly-beds-total', 'county')).toEqual([40, 'fail', 4960]);
    expect(report.rows.filter((r) => r.itemId === 'elderly-beds-total')).toHaveLength(1);
  });

  it('sub-centres cannot be judged when no facility says which it is', () => {
    expect(row('medical-sub-centres', 'county').verdict).toBe('no-data');
    expect(row('medical-sub-centres', 'county').shortfallText.en).toBe('no facility carries field subcentre');
  });
});

describe('presence rules', () => {
  it('a public kindergarten in every township: A has one, B has only a private one', () => {
    expect(judged('public-kindergarten', 'A')).toEqual([1, 'pass', 0]);
    expect(judged('public-kindergarten', 'B')).toEqual([0, 'fail', 1]);
    // county: 1 of 2 townships → fail; 1 more township needs one
    expect(judged('public-kindergarten', 'county')).toEqual([0.5, 'fail', 1]);
    expect(row('public-kindergarten', 'county').shortfallText.en).toBe('1 township with no public kindergarten: B镇; 1 more township needs one');
  });

  it('an elderly-care complex in every street: only A is a street, and it has one', () => {
    expect(judged('elderly-complex-per-street', 'A')).toEqual([1, 'pass', 0]);
    expect(report.rows.some((r) => r.itemId === 'elderly-complex-per-street' && r.areaCode === 'B')).toBe(false);
    expect(judged('elderly-complex-per-street', 'county')).toEqual([1, 'pass', 0]);
  });

  it('affordable childcare in half the streets: the one street has it → pass, county row only', () => {
    expect(judged('affordable-childcare-streets', 'county')).toEqual([1, 'pass', 0]);
    expect(report.rows.filter((r) => r.itemId === 'affordable-childcare-streets')).toHaveLength(1);
  });
});

describe('the pieces', () => {
  it('every row has a verdict', () => {
    expect(report.rows.every((r) => ['pass', 'fail', 'no-data'].includes(r.verdict))).toBe(true);
  });

  it('places facilities by township_code first, then by polygon', () => {
    // cc-b carries township_code B; the others fall in A (lon 0.004) or B (lon 0.014) by position
    const unitOf = facilityUnits(facilities, units);
    expect(Array.from(unitOf)).toEqual([0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1]);
    // a code wins over the position
    const moved = createFacilitySet([{ ...A, id: 'x', properties: { township_code: 'B' } }]);
    expect(Array.from(facilityUnits(moved, units))).toEqual([1]);
  });

  it('judges ratios and totals with the shortfall rounded up', () => {
    // 120 slots for 50,000 residents: 2.4 per 1,000; 3 × 50 − 120 = 30 more
    expect(judgeRatio(120, 50000, 1000, 3)).toMatchObject({ value: 2.4, verdict: 'fail', shortfall: 30 });
    expect(judgeRatio(5, 0, 1000, 3)).toMatchObject({ value: null, verdict: 'no-data' });
    expect(judgeTotal(4200, 5000)).toMatchObject({ verdict: 'fail', shortfall: 800 });
  });
});

// The presets against ../shared/docs/STANDARDS.md: each expected value below is copied by hand from a row of
// the document's "Circles" and "Indicators" tables (named in the comment), not from the code under test.
import { describe, expect, it } from 'vitest';
import { FACILITY_CATEGORIES } from '../analysis/facilities/categories.ts';
import { validateStandards } from '../analysis/standards/preset-config.ts';
import { defaultStandards, describeReach, urbanRuralRule, type Reach } from '../analysis/standards/presets.ts';

const standards = defaultStandards();
const circle = (id: string) => {
  const c = standards.circles.find((x) => x.id === id);
  if (!c) throw new Error(`no preset ${id}`);
  return c;
};
const indicator = (id: string) => {
  const i = standards.indicators.find((x) => x.id === id);
  if (!i) throw new Error(`no indicator ${id}`);
  return i;
};

describe('a preset for every circle of STANDARDS.md', () => {
  // [preset id, urban reach, rural reach, population, a word of the source] per table row
  const rows: Array<[string, Reach | null, Reach | null, string, string]> = [
    // basic public service circle: urban walk 15 min; rural road 90 min; all; Yuechi plan §二(一)2(4)
    ['basic-public-service', { mode: 'walk', minutes: 15 }, { mode: 'car', minutes: 90 }, 'all', '§二(一)2(4)'],
    // 15-minute elderly-care circle: elderly walk 15 min; aged 60+; §二(二)5(2) and §三(五)1
    ['elderly-care-15min', { mode: 'elderly-walk', minutes: 15 }, { mode: 'elderly-walk', minutes: 15 }, 'aged60', '§三(五)1'],
    // urban 15-minute culture circle: walk 15 min; all; §三(九)4
    ['culture-urban-15min', { mode: 'walk', minutes: 15 }, null, 'all', '§三(九)4'],
    // rural 10-li culture circle: network distance 5 km; rural; §三(九)4
    ['culture-rural-10li', null, { mode: 'walk', meters: 5000 }, 'rural', '§三(九)4'],
    // 2-hour emergency rescue circle: road 120 min; all; §二(一)5(2)
    ['emergency-2h', { mode: 'car', minutes: 120 }, { mode: 'car', minutes: 120 }, 'all', '§二(一)5(2)'],
    // county medical circle: 15 min (national aim) and 30 min (assumed)
    ['county-medical-15min', { mode: 'car', minutes: 15 }, { mode: 'car', minutes: 15 }, 'all', 'National Health Commission'],
    ['county-medical-30min', { mode: 'car', minutes: 30 }, { mode: 'car', minutes: 30 }, 'all', 'county standard'],
    // GB 50180-2018 15 / 10 / 5-min life circles: walk
    ['gb50180-15min', { mode: 'walk', minutes: 15 }, null, 'all', 'GB 50180-2018'],
    ['gb50180-10min', { mode: 'walk', minutes: 10 }, null, 'all', 'GB 50180-2018'],
    ['gb50180-5min', { mode: 'walk', minutes: 5 }, null, 'all', 'GB 50180-2018'],
    // TD/T 1062-2021 tiers: urban walk 15 min; rural township road 30 min (assumed); village walk 15 min (assumed)
    ['tdt1062-urban-15min', { mode: 'walk', minutes: 15 }, null, 'all', 'TD/T 1062-2021'],
    ['tdt1062-rural-township', null, { mode: 'car', minutes: 30 }, 'rural', 'TD/T 1062-2021'],
    ['tdt1062-rural-village', null, { mode: 'walk', minutes: 15 }, 'rural', 'TD/T 1062-2021'],
  ];

  it.each(rows)('%s has the table\'s reach, group and source', (id, urban, rural, population, source) => {
    const c = circle(id);
    expect(c.urban).toEqual(urban);
    expect(c.rural).toEqual(rural);
    expect(c.population).toBe(population);
    expect(c.source).toContain(source);
  });

  it('has no preset the table lacks', () => {
    expect(standards.circles.map((c) => c.id).sort()).toEqual(rows.map((r) => r[0]).sort());
  });

  it('names the table\'s facility kinds (spot checks by category id)', () => {
    // elderly-care circle: 社区养老服务综合体, 养老服务站/驿站, 日间照料中心, 助餐点
    expect(circle('elderly-care-15min').services.flatMap((s) => s.categories).sort()).toEqual(['day_care_center', 'elderly_complex', 'elderly_station', 'meal_point']);
    // emergency: fire/rescue stations, emergency bases, reserve depots
    expect(circle('emergency-2h').services[0].categories).toEqual(['fire_station', 'emergency_base']);
    // GB 50180 10-min: 小学, 中型运动场, 菜市场 — each required
    expect(circle('gb50180-10min').services.map((s) => s.categories[0])).toEqual(['primary_school', 'sports_ground', 'market']);
    expect(circle('gb50180-10min').require).toBe('every');
    // TD/T village tier: 村卫生室, 村综合服务站, 互助幸福院, 文化室
    expect(circle('tdt1062-rural-village').services.map((s) => s.categories[0])).toEqual(['village_clinic', 'village_service_station', 'mutual_aid_home', 'culture_room']);
  });

  it('marks the values STANDARDS.md marks assumed', () => {
    // "30 min common county standard *assumed*"; "30 min *assumed*"; "15 min / 1–1.5 km *assumed*"; elderly speed *assumed*
    expect(Object.keys(circle('county-medical-30min').assumed)).toContain('urban.minutes');
    expect(Object.keys(circle('tdt1062-rural-township').assumed)).toContain('rural.minutes');
    expect(Object.keys(circle('tdt1062-rural-village').assumed)).toContain('rural.minutes');
    expect(Object.keys(circle('elderly-care-15min').assumed)).toContain('urban.mode');
    // STANDARDS.md gives no coverage share for any circle: every default verdict rule says it is assumed
    for (const c of standards.circles) expect(c.assumed.coverageTarget).toMatch(/assumed/);
    expect(standards.coverageTarget).toBe(0.9);
    expect(standards.assumed.coverageTarget).toMatch(/assumed/);
  });

  it('states the pace of the off-road leg for every road circle', () => {
    // STANDARDS.md: walking 4–4.5 km/h, elderly 2.8–3.6 km/h (3.0 taken); car and bike trips start on foot
    expect(circle('elderly-care-15min').assumed.offRoadPace).toMatch(/elderly-walk 3 km\/h/);
    expect(circle('basic-public-service').assumed.offRoadPace).toMatch(/walk 4\.5 km\/h, car 4\.5 km\/h \(the trip starts on foot\)/);
    for (const c of standards.circles) if (c.urban?.mode !== 'straight' || (c.rural && c.rural.mode !== 'straight')) expect(c.assumed.offRoadPace).toMatch(/assumed/);
  });

  it('classes the dual and single-class rules', () => {
    expect(urbanRuralRule(circle('basic-public-service'))).toBe('dual');
    expect(urbanRuralRule(circle('emergency-2h'))).toBe('same');
    expect(urbanRuralRule(circle('culture-urban-15min'))).toBe('urban-only');
    expect(urbanRuralRule(circle('culture-rural-10li'))).toBe('rural-only');
  });
});

describe('indicators with the plan\'s targets', () => {
  // "Indicators the plan sets for 2025" table, target column
  it.each<[string, number]>([
    ['childcare-slots', 3], // 3 per 1,000
    ['physicians', 2.7], // 2.7 per 1,000
    ['nurses', 3.2], // 3.2 per 1,000
    ['elderly-beds-total', 5000], // 5,000 in the county
    ['nursing-bed-share', 55], // 55 %
    ['sports-area-per-resident', 2], // 2 m² per resident
    ['community-service-area', 30], // 30 m² per 100 households
    ['medical-sub-centres', 5], // 5 sub-centres
    ['elderly-beds-per-1000-aged60', 40], // GB 50437-2018: ≥ 40 per 1,000 aged 60+
  ])('%s targets %s', (id, target) => {
    const i = indicator(id);
    expect('target' in i && i.target).toBe(target);
    expect(i.source.length).toBeGreaterThan(10);
  });

  it('has the three presence rules', () => {
    // public kindergarten: ≥ 1 in every township
    const kg = indicator('public-kindergarten');
    expect(kg.kind === 'presence' && [kg.appliesTo, kg.min, kg.countyShare]).toEqual(['all', 1, 1]);
    // community elderly-care complex: ≥ 1 in every street
    const ec = indicator('elderly-complex-per-street');
    expect(ec.kind === 'presence' && [ec.appliesTo, ec.min, ec.countyShare]).toEqual(['streets', 1, 1]);
    // affordable childcare: in ≥ 50 % of streets
    const ac = indicator('affordable-childcare-streets');
    expect(ac.kind === 'presence' && [ac.appliesTo, ac.countyShare]).toEqual(['streets', 0.5]);
  });

  it('uses per-1,000 denominators as the table does', () => {
    const beds = indicator('elderly-beds-per-1000-aged60');
    expect(beds.kind === 'ratio' && [beds.denominator, beds.per]).toEqual(['aged60', 1000]);
    const area = indicator('community-service-area');
    expect(area.kind === 'ratio' && [area.denominator, area.per]).toEqual(['households', 100]);
  });
});

describe('the rule book as a whole', () => {
  it('passes the same checks a config file gets', () => {
    expect(() => validateStandards(defaultStandards())).not.toThrow();
  });

  it('names only categories of the facility vocabulary', () => {
    const known = new Set(FACILITY_CATEGORIES.map((c) => c.id));
    const used = [
      ...standards.circles.flatMap((c) => c.services.flatMap((s) => s.categories)),
      ...standards.indicators.flatMap((i) => (i.kind === 'ratio' ? [...i.numerator.categories, ...(typeof i.denominator === 'string' ? [] : i.denominator.categories)]
        : i.kind === 'total' ? i.count.categories : i.kind === 'presence' ? i.facilities.categories : i.supply.categories)),
    ];
    expect(used.filter((c) => !known.has(c))).toEqual([]);
  });

  it('gives every circle and indicator a source and bilingual names, with unique ids', () => {
    const all = [...standards.circles, ...standards.indicators];
    for (const x of all) {
      expect(x.source.trim()).not.toBe('');
      expect(x.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(x.en).toMatch(/[a-z]/i);
    }
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
  });

  it('returns a fresh copy each call', () => {
    const a = defaultStandards();
    a.circles[0].urban!.minutes = 1;
    expect(defaultStandards().circles[0].urban!.minutes).toBe(15);
  });

  it('writes reaches as planners do', () => {
    expect(describeReach({ mode: 'walk', minutes: 15 })).toEqual({ zh: '步行15分钟', en: '15 min walk' });
    expect(describeReach({ mode: 'car', minutes: 90 })).toEqual({ zh: '车行90分钟', en: '90 min by road' });
    expect(describeReach({ mode: 'car', minutes: 120 })).toEqual({ zh: '车行2小时', en: '120 min by road' });
    expect(describeReach({ mode: 'walk', meters: 5000 })).toEqual({ zh: '步行路网距离5公里', en: '5 km on the walking network' });
  });
});

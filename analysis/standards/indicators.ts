import type { FacilitySet } from '../facilities/facility-set.ts';
import type { Reach } from './presets.ts';
import { E2SFCA_STEPS, type Decay } from './two-step-floating-catchment.ts';

/** A filter on a facility field: the value must be one of `in` (compared as trimmed lower-case text). */
export interface FieldCondition {
  field: string;
  in: Array<string | number | boolean>;
}

/** Which facilities an indicator counts: categories, optionally only those meeting every `where` condition. */
export interface FacilitySelect {
  categories: string[];
  where?: FieldCondition[];
}

/** A facility field summed over a selection (`field: null` counts facilities instead). */
export interface FacilitySum extends FacilitySelect {
  field: string | null;
}

/** What the shortfall is counted in, for "120 more childcare slots needed" / "需增加托位120个". */
export interface NeedNoun {
  zh: string;
  en: string;
  /** Chinese measure word or unit: 个, 名, 张, 平方米 */
  zhUnit: string;
}

interface IndicatorBase {
  id: string;
  zh: string;
  en: string;
  /** 'township': a row per township (or street) and one for the county; 'county': the county row only */
  scope: 'township' | 'county';
  source: string;
  assumed: Record<string, string>;
  notes: string[];
  configured: string[];
}

/** numerator / denominator × per ≥ target, e.g. childcare slots per 1,000 residents ≥ 3. */
export interface RatioIndicator extends IndicatorBase {
  kind: 'ratio';
  numerator: FacilitySum;
  /** residents, residents aged 60+, households (from the admin units), or another facility sum (a share) */
  denominator: 'population' | 'aged60' | 'households' | FacilitySum;
  per: number;
  target: number;
  unit: { zh: string; en: string };
  need: NeedNoun;
}

/** A county total ≥ target, e.g. 5,000 elderly-care beds. */
export interface TotalIndicator extends IndicatorBase {
  kind: 'total';
  count: FacilitySum;
  target: number;
  unit: { zh: string; en: string };
  need: NeedNoun;
}

/**
 * At least `min` matching facilities in each township (or each street); the county passes when at least
 * `countyShare` of those townships do (1 = every one).
 */
export interface PresenceIndicator extends IndicatorBase {
  kind: 'presence';
  facilities: FacilitySelect;
  appliesTo: 'all' | 'streets';
  min: number;
  countyShare: number;
  need: NeedNoun;
}

/**
 * Capacity-aware access (2SFCA): the group-weighted mean of accessible supply per `per` residents of the group
 * must reach the target; the shortfall counts residents living where it does not.
 */
export interface CapacityIndicator extends IndicatorBase {
  kind: 'capacity';
  supply: FacilitySum;
  population: 'all' | 'aged60';
  reach: Reach;
  decay: Decay;
  per: number;
  target: number;
  unit: { zh: string; en: string };
  need: NeedNoun;
}

export type Indicator = RatioIndicator | TotalIndicator | PresenceIndicator | CapacityIndicator;

export const INDICATOR_KINDS = ['ratio', 'total', 'presence', 'capacity'] as const;

export type Verdict = 'pass' | 'fail' | 'no-data';

const PLAN_2025 = '岳池县贯彻落实《广安市"十四五"公共服务规划》实施方案 (2024), 2025 targets';
const GB_50437 = 'GB 50437-2007（2018年版）城镇老年人设施规划规范';

const HEALTH_CATEGORIES = ['county_hospital', 'health_center', 'community_health_center', 'community_health_station', 'village_clinic'];
const ELDERLY_BED_CATEGORIES = ['nursing_home', 'elderly_complex', 'elderly_station', 'day_care_center', 'mutual_aid_home'];
const INSTITUTIONAL = ['nursing_home', 'elderly_complex'];
const YES = [true, 1, 'true', 'yes', 'y', '1', '是', '普惠'];
const PUBLIC = ['public', '公办', 'government', '政府', 'state', '国有'];
const SECOND_LEVEL = ['二级', '二级甲等', '二级乙等', '三级', '三级甲等', '三级乙等', 'second-level', 'third-level'];

const base = { assumed: {}, notes: [], configured: [] };

/**
 * The indicators of docs/standards.md with the plan's 2025 targets and GB 50437's bed norm; the 2SFCA catchments
 * are assumed (the standards set none). A fresh copy on every call.
 *
 * @example defaultIndicators().find((i) => i.id === 'physicians')!.target // 2.7
 */
export function defaultIndicators(): Indicator[] {
  return [
    {
      ...base, id: 'childcare-slots', kind: 'ratio', scope: 'township', zh: '每千人口3岁以下婴幼儿托位数', en: 'Childcare slots for under-3s per 1,000 residents',
      numerator: { field: 'slots', categories: ['childcare'] }, denominator: 'population', per: 1000, target: 3,
      unit: { zh: '个/千人', en: 'per 1,000 residents' }, need: { zh: '托位', en: 'childcare slots', zhUnit: '个' }, source: PLAN_2025,
      notes: ['kindergarten nursery classes (托班) count only when their facility carries a slots field and the childcare category; add "kindergarten" to the categories to count them'],
    },
    {
      ...base, id: 'physicians', kind: 'ratio', scope: 'township', zh: '每千人口执业（助理）医师数', en: 'Physicians (incl. assistants) per 1,000 residents',
      numerator: { field: 'physicians', categories: HEALTH_CATEGORIES }, denominator: 'population', per: 1000, target: 2.7,
      unit: { zh: '名/千人', en: 'per 1,000 residents' }, need: { zh: '执业（助理）医师', en: 'physicians', zhUnit: '名' }, source: PLAN_2025,
    },
    {
      ...base, id: 'nurses', kind: 'ratio', scope: 'township', zh: '每千人口注册护士数', en: 'Registered nurses per 1,000 residents',
      numerator: { field: 'nurses', categories: HEALTH_CATEGORIES }, denominator: 'population', per: 1000, target: 3.2,
      unit: { zh: '名/千人', en: 'per 1,000 residents' }, need: { zh: '注册护士', en: 'nurses', zhUnit: '名' }, source: PLAN_2025,
    },
    {
      ...base, id: 'elderly-beds-total', kind: 'total', scope: 'county', zh: '养老服务床位总量', en: 'Elderly-care beds in the county',
      count: { field: 'beds', categories: ELDERLY_BED_CATEGORIES }, target: 5000,
      unit: { zh: '张', en: 'beds' }, need: { zh: '养老服务床位', en: 'elderly-care beds', zhUnit: '张' }, source: PLAN_2025,
    },
    {
      ...base, id: 'nursing-bed-share', kind: 'ratio', scope: 'township', zh: '养老机构护理型床位占比', en: 'Nursing-type share of institutional elderly-care beds',
      numerator: { field: 'nursing_beds', categories: INSTITUTIONAL }, denominator: { field: 'beds', categories: INSTITUTIONAL }, per: 100, target: 55,
      unit: { zh: '%', en: '%' }, need: { zh: '护理型床位（由现有床位改造）', en: 'nursing-type beds (converted from existing beds)', zhUnit: '张' }, source: PLAN_2025,
      assumed: { numerator: 'institutional (养老机构) beds are those of nursing homes and community elderly-care complexes, assumed', denominator: 'institutional (养老机构) beds are those of nursing homes and community elderly-care complexes, assumed' },
    },
    {
      ...base, id: 'elderly-beds-per-1000-aged60', kind: 'ratio', scope: 'township', zh: '每千名老年人养老床位数', en: 'Elderly-care beds per 1,000 residents aged 60+',
      numerator: { field: 'beds', categories: ELDERLY_BED_CATEGORIES }, denominator: 'aged60', per: 1000, target: 40,
      unit: { zh: '张/千名老人', en: 'per 1,000 aged 60+' }, need: { zh: '养老床位', en: 'elderly-care beds', zhUnit: '张' }, source: GB_50437,
    },
    {
      ...base, id: 'sports-area-per-resident', kind: 'ratio', scope: 'township', zh: '人均体育场地面积', en: 'Sports ground area per resident',
      numerator: { field: 'area_m2', categories: ['sports_ground'] }, denominator: 'population', per: 1, target: 2,
      unit: { zh: '平方米/人', en: 'm² per resident' }, need: { zh: '体育场地面积', en: 'm² of sports ground', zhUnit: '平方米' }, source: PLAN_2025,
      notes: ['the plan\'s project list gives 2.3 m²; set "target": 2.3 to judge by it'],
    },
    {
      ...base, id: 'community-service-area', kind: 'ratio', scope: 'township', zh: '每百户居民社区综合服务设施面积', en: 'Community service floor area per 100 households',
      numerator: { field: 'floor_area_m2', categories: ['community_service_center', 'village_service_station'] }, denominator: 'households', per: 100, target: 30,
      unit: { zh: '平方米/百户', en: 'm² per 100 households' }, need: { zh: '社区综合服务设施面积', en: 'm² of community service floor area', zhUnit: '平方米' }, source: PLAN_2025,
    },
    {
      ...base, id: 'public-kindergarten', kind: 'presence', scope: 'township', zh: '每个乡镇（街道）至少1所公办幼儿园', en: 'A public kindergarten in every township',
      facilities: { categories: ['kindergarten'], where: [{ field: 'ownership', in: PUBLIC }] }, appliesTo: 'all', min: 1, countyShare: 1,
      need: { zh: '公办幼儿园', en: 'public kindergarten', zhUnit: '所' }, source: PLAN_2025,
    },
    {
      ...base, id: 'elderly-complex-per-street', kind: 'presence', scope: 'township', zh: '每个街道至少1个社区养老服务综合体', en: 'A community elderly-care complex in every street',
      facilities: { categories: ['elderly_complex'] }, appliesTo: 'streets', min: 1, countyShare: 1,
      need: { zh: '社区养老服务综合体', en: 'community elderly-care complex', zhUnit: '个' }, source: PLAN_2025,
      notes: ['the plan adds "qualified townships" (有条件的乡镇) without naming them: streets only are judged'],
    },
    {
      ...base, id: 'affordable-childcare-streets', kind: 'presence', scope: 'county', zh: '普惠托育机构覆盖50%以上街道', en: 'Affordable childcare in at least half of the streets',
      facilities: { categories: ['childcare'], where: [{ field: 'affordable', in: YES }] }, appliesTo: 'streets', min: 1, countyShare: 0.5,
      need: { zh: '普惠托育机构', en: 'affordable childcare centre', zhUnit: '个' }, source: PLAN_2025,
    },
    {
      ...base, id: 'medical-sub-centres', kind: 'total', scope: 'county', zh: '县域医疗卫生次中心', en: 'County medical sub-centres',
      count: { field: null, categories: ['health_center', 'county_hospital'], where: [{ field: 'subcentre', in: YES }, { field: 'grade', in: SECOND_LEVEL }] }, target: 5,
      unit: { zh: '个', en: 'sub-centres' }, need: { zh: '达二级医院标准的县域医疗卫生次中心', en: 'sub-centres at second-level hospital standard', zhUnit: '个' }, source: PLAN_2025,
      notes: ['counts facilities with subcentre = true and grade 二级 or above; without these fields the verdict is no-data'],
    },
    {
      ...base, id: 'childcare-slots-access', kind: 'capacity', scope: 'township', zh: '可达托位（2SFCA，每千人）', en: 'Accessible childcare slots per 1,000 residents (2SFCA)',
      supply: { field: 'slots', categories: ['childcare'] }, population: 'all', reach: { mode: 'car', minutes: 15 }, decay: { kind: 'gaussian' },
      per: 1000, target: 3, unit: { zh: '个/千人', en: 'per 1,000 residents' }, need: { zh: '居民', en: 'residents', zhUnit: '人' }, source: `${PLAN_2025}; 2SFCA (公共资源与常住人口规模、服务半径挂钩)`,
      assumed: { reach: 'catchment 15 min by road, assumed (no standard sets one)', decay: 'Gaussian decay (Dai 2010), assumed' },
      notes: ['all residents stand in for under-3s, whom the data do not count'],
    },
    {
      ...base, id: 'elderly-beds-access', kind: 'capacity', scope: 'township', zh: '可达养老床位（E2SFCA，每千名老人）', en: 'Accessible elderly-care beds per 1,000 aged 60+ (E2SFCA)',
      supply: { field: 'beds', categories: ELDERLY_BED_CATEGORIES }, population: 'aged60', reach: { mode: 'car', minutes: 30 }, decay: structuredClone(E2SFCA_STEPS),
      per: 1000, target: 40, unit: { zh: '张/千名老人', en: 'per 1,000 aged 60+' }, need: { zh: '60岁及以上居民', en: 'residents aged 60+', zhUnit: '人' }, source: `${GB_50437}; E2SFCA (Luo & Qi 2009)`,
      assumed: { reach: 'catchment 30 min by road, assumed (no standard sets one)', decay: 'E2SFCA zone weights 1 / 0.68 / 0.22 for thirds of the catchment (Luo & Qi 2009), assumed' },
    },
  ];
}

/**
 * Whether facility i is in the selection (category and every `where` condition; values compared as trimmed
 * lower-case text, so true, 'true' and 'TRUE' match alike).
 *
 * @example facilityMatches(set, 3, { categories: ['kindergarten'], where: [{ field: 'ownership', in: ['public'] }] })
 */
export function facilityMatches(set: FacilitySet, i: number, select: FacilitySelect): boolean {
  if (!select.categories.includes(set.category[i])) return false;
  for (const cond of select.where ?? []) {
    const v = set.properties[i][cond.field];
    if (v === undefined || v === null) return false;
    const text = String(v).trim().toLowerCase();
    if (!cond.in.some((w) => String(w).trim().toLowerCase() === text)) return false;
  }
  return true;
}

/**
 * A facility's numeric field (numeric strings allowed), or NaN when it is absent or not a number.
 *
 * @example facilityNumber(set, 0, 'beds') // 120
 */
export function facilityNumber(set: FacilitySet, i: number, field: string): number {
  const v = field === 'capacity' ? set.capacity[i] : set.properties[i][field];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

/** Per-area facility sums: `byUnit[u]`, `county`, and how many selected facilities lacked the field. */
export interface SumByUnit {
  byUnit: Float64Array;
  county: number;
  /** selected facilities */
  selected: number;
  /** selected facilities without a numeric value in the field */
  missing: number;
}

/**
 * Sums a field (or counts facilities) over a selection, per unit and for the county; facilities outside every
 * unit (unit -1) count for the county only.
 *
 * @example sumByUnit(set, facilityUnit, 27, { field: 'slots', categories: ['childcare'] })
 */
export function sumByUnit(set: FacilitySet, facilityUnit: Int32Array, unitCount: number, sum: FacilitySum): SumByUnit {
  const byUnit = new Float64Array(unitCount);
  let county = 0, selected = 0, missing = 0;
  for (let i = 0; i < set.count; i++) {
    if (!facilityMatches(set, i, sum)) continue;
    selected++;
    let v = 1;
    if (sum.field !== null) {
      v = facilityNumber(set, i, sum.field);
      if (Number.isNaN(v)) { missing++; continue; }
    }
    county += v;
    if (facilityUnit[i] >= 0) byUnit[facilityUnit[i]] += v;
  }
  return { byUnit, county, selected, missing };
}

/** Figures of one area (a township or the county) that indicators divide by. */
export interface AreaFigures {
  population: number;
  /** NaN where the grid has no age data */
  aged60: number;
  /** NaN where the units carry no households */
  households: number;
}

/** Value of an indicator for one area, its verdict, and the shortfall in `need` units. */
export interface IndicatorValue {
  value: number | null;
  numerator: number;
  denominator: number | null;
  target: number;
  verdict: Verdict;
  /** how many more of `need` would meet the target; 0 when it is met; null when it cannot be judged */
  shortfall: number | null;
  /** why there is no verdict, if there is none */
  reason?: { zh: string; en: string };
}

/**
 * Judges a ratio for one area: value = numerator / denominator × per against target; the shortfall is the
 * numerator still missing, rounded up (target × denominator / per − numerator).
 *
 * @example judgeRatio(120, 50000, 1000, 3) // value 2.4, fail, shortfall 30
 */
export function judgeRatio(numerator: number, denominator: number, per: number, target: number): IndicatorValue {
  if (!(denominator > 0)) {
    return { value: null, numerator, denominator: Number.isFinite(denominator) ? denominator : null, target, verdict: 'no-data', shortfall: null, reason: { zh: '分母为零或缺失', en: 'denominator is zero or missing' } };
  }
  const value = (numerator / denominator) * per;
  // a hair of tolerance so a township exactly on the target is not failed by float rounding
  const pass = value >= target - 1e-9 * Math.max(1, target);
  const shortfall = pass ? 0 : Math.ceil((target * denominator) / per - numerator - 1e-9);
  return { value, numerator, denominator, target, verdict: pass ? 'pass' : 'fail', shortfall };
}

/**
 * Judges a total against its target; the shortfall is what is missing.
 *
 * @example judgeTotal(4200, 5000) // fail, shortfall 800
 */
export function judgeTotal(total: number, target: number): IndicatorValue {
  const pass = total >= target;
  return { value: total, numerator: total, denominator: null, target, verdict: pass ? 'pass' : 'fail', shortfall: pass ? 0 : Math.ceil(target - total - 1e-9) };
}

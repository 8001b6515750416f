import type { AccessMode } from '../accessibility/analyze-access.ts';
import type { Indicator } from './indicators.ts';
import { defaultIndicators } from './indicators.ts';
import type { DensityRule } from './urban-rural.ts';
import { defaultSpeedTable } from '../network/speed-table.ts';

/**
 * How far a service may be: a mode and exactly one of minutes or metres. Metres are network distance on the
 * mode's graph (straight-line for mode `straight`).
 */
export interface Reach {
  mode: AccessMode;
  minutes?: number;
  meters?: number;
}

/** One kind of service in a circle (health, education…): any of its categories satisfies it. */
export interface ServiceGroup {
  id: string;
  zh: string;
  en: string;
  categories: string[];
}

/** Whose coverage decides the verdict: all residents, residents aged 60+, or residents of rural cells. */
export type PopulationGroup = 'all' | 'aged60' | 'rural';

/**
 * A catchment circle of a planning standard. Urban cells are judged by `urban`, rural cells by `rural`
 * (the two thresholds of one run); a side left null is not assessed (e.g. GB 50180 is an urban standard).
 */
export interface CirclePreset {
  id: string;
  zh: string;
  en: string;
  services: ServiceGroup[];
  /** 'every': covered when each service group has a facility within reach (a life circle); 'any': when one does */
  require: 'every' | 'any';
  urban: Reach | null;
  rural: Reach | null;
  population: PopulationGroup;
  /** share of the group that must be covered to pass; null takes the standards' default */
  coverageTarget: number | null;
  /** the document and clause the preset comes from */
  source: string;
  /** value path → why it is assumed (no primary source reachable) */
  assumed: Record<string, string>;
  notes: string[];
  /** value paths set by a config file */
  configured: string[];
}

/** Every rule of a run: circles, indicators and the settings shared by all. */
export interface Standards {
  /** default share of a circle's group that must be covered to pass */
  coverageTarget: number;
  /** which threshold cells of unknown urban/rural class take */
  unknownClassAs: 'urban' | 'rural';
  /** thresholds of the density rule, when cells are classed by density */
  densityRule: Required<DensityRule>;
  circles: CirclePreset[];
  indicators: Indicator[];
  /** setting → why it is assumed */
  assumed: Record<string, string>;
  configured: string[];
}

export const YUECHI_PLAN = '岳池县贯彻落实《广安市"十四五"公共服务规划》实施方案 (2024)';
export const GB_50180 = 'GB 50180-2018 城市居住区规划设计标准';
export const TDT_1062 = 'TD/T 1062-2021 社区生活圈规划技术指南';

// the service groups of the basic public services (health, education, elderly care, culture, sport, community)
const HEALTH: ServiceGroup = { id: 'health', zh: '医疗卫生', en: 'health', categories: ['county_hospital', 'health_center', 'community_health_center', 'community_health_station', 'village_clinic'] };
const EDUCATION: ServiceGroup = { id: 'education', zh: '教育', en: 'education', categories: ['kindergarten', 'primary_school', 'middle_school'] };
const ELDERLY: ServiceGroup = { id: 'elderly', zh: '养老服务', en: 'elderly care', categories: ['elderly_complex', 'elderly_station', 'day_care_center', 'meal_point', 'nursing_home', 'mutual_aid_home'] };
const CULTURE: ServiceGroup = { id: 'culture', zh: '文化', en: 'culture', categories: ['culture_center', 'culture_station', 'culture_room'] };
const SPORT: ServiceGroup = { id: 'sport', zh: '体育', en: 'sport', categories: ['sports_ground'] };
const COMMUNITY: ServiceGroup = { id: 'community', zh: '社区服务', en: 'community service', categories: ['community_service_center', 'village_service_station'] };

const one = (id: string, zh: string, en: string, category: string): ServiceGroup => ({ id, zh, en, categories: [category] });

const TARGET_ASSUMED = 'docs/standards.md gives no target share for circles: pass when at least the default share (90 %) of the group is covered, assumed';

/** The pace of the walk from a cell or facility to the road, for each road mode the circle uses (speed table defaults). */
function offRoadAssumption(p: Pick<CirclePreset, 'urban' | 'rural'>): Record<string, string> {
  const kmh = defaultSpeedTable().offRoadKmh;
  const modes = [...new Set([p.urban?.mode, p.rural?.mode].filter((m): m is AccessMode => m !== undefined && m !== 'straight'))];
  if (modes.length === 0) return {};
  const paces = modes.map((m) => `${m} ${kmh[m as keyof typeof kmh]} km/h${m === 'car' || m === 'bike' ? ' (the trip starts on foot)' : ''}`);
  return { offRoadPace: `the walk from a cell or facility to the road it joins (up to the snap limit, 500 m): ${paces.join(', ')}; assumed (speed table offRoadKmh)` };
}

function circle(p: Omit<CirclePreset, 'coverageTarget' | 'configured' | 'notes' | 'assumed'> & Partial<Pick<CirclePreset, 'notes' | 'assumed'>>): CirclePreset {
  return { coverageTarget: null, notes: [], ...p, assumed: { coverageTarget: TARGET_ASSUMED, ...offRoadAssumption(p), ...p.assumed }, configured: [] };
}

/**
 * The circles of docs/standards.md, each with its categories, reach per urban/rural class,
 * population group and source; assumed values are listed in `assumed`. A fresh copy on every call.
 *
 * @example
 * const elderly = defaultCircles().find((c) => c.id === 'elderly-care-15min')!;
 * elderly.urban; // { mode: 'elderly-walk', minutes: 15 }
 */
export function defaultCircles(): CirclePreset[] {
  return [
    circle({
      id: 'basic-public-service', zh: '基本公共服务圈（都市15分钟、乡村1.5小时）', en: 'Basic public service circle (urban 15 min, rural 1.5 h)',
      services: [HEALTH, EDUCATION, ELDERLY, CULTURE, SPORT, COMMUNITY], require: 'every',
      urban: { mode: 'walk', minutes: 15 }, rural: { mode: 'car', minutes: 90 }, population: 'all',
      source: `${YUECHI_PLAN} §二(一)2(4) "都市15分钟、乡村1.5小时"`,
      assumed: {
        services: 'docs/standards.md says the rural side counts "county-level facilities" without listing them: the same six service groups are used, assumed',
      },
      notes: ['urban: walk (GB 50180 pairs 15 min with 800–1000 m); rural: road (car/bus) plus the walk to the road', 'origin of the phrase not found (docs/standards.md)'],
    }),
    circle({
      id: 'elderly-care-15min', zh: '15分钟养老服务圈', en: '15-minute elderly-care circle',
      services: [{ id: 'elderly-community', zh: '社区养老服务', en: 'community elderly care', categories: ['elderly_complex', 'elderly_station', 'day_care_center', 'meal_point'] }],
      require: 'any', urban: { mode: 'elderly-walk', minutes: 15 }, rural: { mode: 'elderly-walk', minutes: 15 }, population: 'aged60',
      source: `${YUECHI_PLAN} §二(二)5(2), §三(五)1`,
      assumed: { 'urban.mode': 'elderly walking speed 2.8–3.6 km/h (3.0 in the speed table), assumed; one province uses a <700 m radius' },
    }),
    circle({
      id: 'culture-urban-15min', zh: '城市十五分钟文化圈', en: 'Urban 15-minute culture circle',
      services: [one('culture', '文化馆/图书馆分馆/社区文化中心/城市书房', 'culture centre, library branch, city reading room', 'culture_center')],
      require: 'any', urban: { mode: 'walk', minutes: 15 }, rural: null, population: 'all',
      source: `${YUECHI_PLAN} §三(九)4`, notes: ['docs/standards.md also gives ≤1 km; set urban to {"mode":"walk","meters":1000} for the distance form'],
    }),
    circle({
      id: 'culture-rural-10li', zh: '农村十里文化圈', en: 'Rural 10-li culture circle',
      services: [{ id: 'culture', zh: '乡镇综合文化站/村综合性文化服务中心', en: 'township culture station, village culture centre', categories: ['culture_station', 'culture_room'] }],
      require: 'any', urban: null, rural: { mode: 'walk', meters: 5000 }, population: 'rural',
      source: `${YUECHI_PLAN} §三(九)4`,
      notes: ['10 里 = 5 km of network distance by any means; measured on the walking network, which holds every road but motorways'],
    }),
    circle({
      id: 'emergency-2h', zh: '2小时应急救援圈', en: '2-hour emergency rescue circle',
      services: [{ id: 'rescue', zh: '消防救援站/应急救援基地/物资储备库', en: 'fire and rescue stations, emergency bases, reserve depots', categories: ['fire_station', 'emergency_base'] }],
      require: 'any', urban: { mode: 'car', minutes: 120 }, rural: { mode: 'car', minutes: 120 }, population: 'all',
      source: `${YUECHI_PLAN} §二(一)5(2)`,
    }),
    circle({
      id: 'county-medical-15min', zh: '县域医疗服务圈（15分钟）', en: 'County medical circle (15 min)',
      services: [{ id: 'care', zh: '村卫生室/乡镇卫生院/县医院', en: 'village clinic, township health centre, county hospital', categories: ['village_clinic', 'health_center', 'county_hospital', 'community_health_center', 'community_health_station'] }],
      require: 'any', urban: { mode: 'car', minutes: 15 }, rural: { mode: 'car', minutes: 15 }, population: 'all',
      source: 'National Health Commission aim: 15 minutes to the nearest point of care (docs/standards.md)',
      assumed: {
        'services': 'urban points of care (社区卫生服务中心/站) are counted beside the three listed kinds, assumed',
        'urban.mode': 'docs/standards.md says road/walk: road plus the walk to it is taken, assumed',
      },
    }),
    circle({
      id: 'county-medical-30min', zh: '县域医疗服务圈（30分钟）', en: 'County medical circle (30 min)',
      services: [{ id: 'care', zh: '村卫生室/乡镇卫生院/县医院', en: 'village clinic, township health centre, county hospital', categories: ['village_clinic', 'health_center', 'county_hospital', 'community_health_center', 'community_health_station'] }],
      require: 'any', urban: { mode: 'car', minutes: 30 }, rural: { mode: 'car', minutes: 30 }, population: 'all',
      source: 'common county standard (docs/standards.md)',
      assumed: {
        'urban.minutes': '30 min is a common county standard with no primary source reachable, assumed',
        'rural.minutes': '30 min is a common county standard with no primary source reachable, assumed',
        'services': 'urban points of care (社区卫生服务中心/站) are counted beside the three listed kinds, assumed',
      },
    }),
    circle({
      id: 'gb50180-15min', zh: 'GB 50180 十五分钟生活圈', en: 'GB 50180 15-minute life circle',
      services: [
        one('middle-school', '初中', 'middle school', 'middle_school'),
        one('health-centre', '社区卫生服务中心', 'community health centre', 'community_health_center'),
        one('nursing-home', '养老院', 'nursing home', 'nursing_home'),
        one('culture-centre', '文化活动中心', 'culture centre', 'culture_center'),
        one('street-service', '街道服务中心', 'street service centre', 'community_service_center'),
        one('large-sports', '大型运动场', 'large sports ground', 'sports_ground'),
      ],
      require: 'every', urban: { mode: 'walk', minutes: 15 }, rural: null, population: 'all', source: GB_50180,
      assumed: { 'services.large-sports': 'any sports ground counts; the data do not tell 大型 from 中型, assumed' },
      notes: ['800–1000 m; 50,000–100,000 residents per circle', 'GB 50180 governs urban residential areas: rural cells are not assessed'],
    }),
    circle({
      id: 'gb50180-10min', zh: 'GB 50180 十分钟生活圈', en: 'GB 50180 10-minute life circle',
      services: [
        one('primary-school', '小学', 'primary school', 'primary_school'),
        one('medium-sports', '中型运动场', 'medium sports ground', 'sports_ground'),
        one('market', '菜市场', 'food market', 'market'),
      ],
      require: 'every', urban: { mode: 'walk', minutes: 10 }, rural: null, population: 'all', source: GB_50180,
      assumed: { 'services.medium-sports': 'any sports ground counts; the data do not tell 中型 from others, assumed' },
      notes: ['~500 m; 15,000–25,000 residents per circle', 'GB 50180 governs urban residential areas: rural cells are not assessed'],
    }),
    circle({
      id: 'gb50180-5min', zh: 'GB 50180 五分钟生活圈', en: 'GB 50180 5-minute life circle',
      services: [
        one('kindergarten', '幼儿园', 'kindergarten', 'kindergarten'),
        one('nursery', '托儿所', 'nursery', 'childcare'),
        one('day-care', '老年人日间照料中心', 'elderly day-care centre', 'day_care_center'),
        one('health-station', '社区卫生服务站', 'community health station', 'community_health_station'),
        { id: 'culture-station', zh: '文化活动站', en: 'culture activity station', categories: ['culture_room', 'culture_center'] },
        one('fitness', '室外健身场地', 'outdoor fitness ground', 'sports_ground'),
      ],
      require: 'every', urban: { mode: 'walk', minutes: 5 }, rural: null, population: 'all', source: GB_50180,
      assumed: {
        'services.culture-station': '文化活动站 is matched to village culture rooms and community culture centres, assumed',
        'services.fitness': '室外健身场地 is matched to the sports_ground category, assumed',
      },
      notes: ['~300 m; 5,000–12,000 residents per circle', 'the standard names children 0–6 and residents 60+ for some services; the data hold no 0–6 counts, so all residents are judged and 60+ is reported beside them', 'GB 50180 governs urban residential areas: rural cells are not assessed'],
    }),
    circle({
      id: 'tdt1062-urban-15min', zh: 'TD/T 1062 城镇社区15分钟生活圈', en: 'TD/T 1062 urban 15-minute tier',
      services: [
        one('health-centre', '社区卫生服务中心', 'community health centre', 'community_health_center'),
        one('middle-school', '初中', 'middle school', 'middle_school'),
        one('elderly-centre', '养老服务中心', 'elderly-care centre', 'elderly_complex'),
        one('culture-sports', '文体中心', 'culture and sports centre', 'culture_center'),
      ],
      require: 'every', urban: { mode: 'walk', minutes: 15 }, rural: null, population: 'all', source: TDT_1062,
      assumed: { 'services.elderly-centre': '养老服务中心 is matched to elderly_complex, assumed', 'services.culture-sports': '文体中心 is matched to culture_center, assumed' },
      notes: ['~3 km² per circle; one 社区卫生服务中心 per 街道'],
    }),
    circle({
      id: 'tdt1062-rural-township', zh: 'TD/T 1062 乡集镇层级生活圈', en: 'TD/T 1062 rural township tier',
      services: [
        one('health-centre', '卫生院', 'township health centre', 'health_center'),
        one('central-school', '中心校', 'central school', 'primary_school'),
        one('central-kindergarten', '中心幼儿园', 'central kindergarten', 'kindergarten'),
        one('elderly-home', '敬老院', 'township elderly home', 'nursing_home'),
        one('culture-station', '综合文化站', 'culture station', 'culture_station'),
      ],
      require: 'every', urban: null, rural: { mode: 'car', minutes: 30 }, population: 'rural', source: TDT_1062,
      assumed: { 'rural.minutes': 'the guideline names the tier but no threshold was found: 30 min by road, assumed' },
    }),
    circle({
      id: 'tdt1062-rural-village', zh: 'TD/T 1062 村/组层级生活圈', en: 'TD/T 1062 rural village tier',
      services: [
        one('clinic', '村卫生室', 'village clinic', 'village_clinic'),
        one('service-station', '村综合服务站', 'village service station', 'village_service_station'),
        one('mutual-aid', '互助幸福院', 'mutual-aid elderly home', 'mutual_aid_home'),
        one('culture-room', '文化室', 'village culture room', 'culture_room'),
      ],
      require: 'every', urban: null, rural: { mode: 'walk', minutes: 15 }, population: 'rural', source: TDT_1062,
      assumed: { 'rural.minutes': 'threshold not found in the guideline: 15 min walk (or 1–1.5 km), assumed' },
    }),
  ];
}

/**
 * The full default rule book: every circle and indicator of docs/standards.md with the shared settings.
 *
 * @example const standards = defaultStandards(); standards.circles.length; // 13
 */
export function defaultStandards(): Standards {
  return {
    coverageTarget: 0.9,
    unknownClassAs: 'rural',
    // Degree of Urbanisation (UN Statistical Commission 2020): 1 km² cells, 300/km², clusters of 5,000
    densityRule: { blockMeters: 1000, minDensity: 300, minClusterPopulation: 5000, diagonal: true },
    circles: defaultCircles(),
    indicators: defaultIndicators(),
    assumed: {
      coverageTarget: 'docs/standards.md gives no coverage share for circles: 90 % of the group, assumed',
      unknownClassAs: 'cells of unknown urban/rural class take the rural threshold, assumed (most of the county is rural)',
    },
    configured: [],
  };
}

/**
 * How a circle treats the two classes: one threshold for both, two thresholds, or one class only.
 *
 * @example urbanRuralRule(basic) // 'dual'
 */
export function urbanRuralRule(preset: Pick<CirclePreset, 'urban' | 'rural'>): 'same' | 'dual' | 'urban-only' | 'rural-only' {
  const { urban, rural } = preset;
  if (urban && rural) return urban.mode === rural.mode && urban.minutes === rural.minutes && urban.meters === rural.meters ? 'same' : 'dual';
  return urban ? 'urban-only' : 'rural-only';
}

/**
 * The threshold of a reach in the engine's units (seconds or metres) and its cost kind.
 *
 * @example reachThreshold({ mode: 'walk', minutes: 15 }) // { costKind: 'time', threshold: 900 }
 */
export function reachThreshold(reach: Reach): { costKind: 'time' | 'distance'; threshold: number } {
  return reach.minutes !== undefined ? { costKind: 'time', threshold: reach.minutes * 60 } : { costKind: 'distance', threshold: reach.meters! };
}

const MODE_ZH: Record<string, string> = { walk: '步行', 'elderly-walk': '老年人步行', bike: '骑行', car: '车行', straight: '直线' };
const NETWORK_EN: Record<string, string> = { walk: 'walking', 'elderly-walk': 'walking', bike: 'cycling', car: 'road' };
const MODE_EN: Record<string, string> = { walk: 'walk', 'elderly-walk': 'walk at elderly pace', bike: 'by bike', car: 'by road', straight: 'straight-line' };

/**
 * A reach as planners write it, in Chinese and English.
 *
 * @example describeReach({ mode: 'walk', minutes: 15 }) // { zh: '步行15分钟', en: '15 min walk' }
 * @example describeReach({ mode: 'walk', meters: 5000 }) // { zh: '步行路网距离5公里', en: '5 km on the walking network' }
 */
export function describeReach(reach: Reach): { zh: string; en: string } {
  const zhMode = MODE_ZH[reach.mode] ?? reach.mode, enMode = MODE_EN[reach.mode] ?? reach.mode;
  if (reach.minutes !== undefined) {
    const zhTime = reach.minutes % 60 === 0 && reach.minutes >= 60 ? `${reach.minutes / 60}小时` : `${reach.minutes}分钟`;
    return { zh: `${zhMode}${zhTime}`, en: reach.mode === 'walk' ? `${reach.minutes} min walk` : `${reach.minutes} min ${enMode}` };
  }
  const m = reach.meters!;
  const dist = m >= 1000 ? `${m / 1000} km` : `${m} m`;
  const zhDist = m >= 1000 ? `${m / 1000}公里` : `${m}米`;
  return { zh: reach.mode === 'straight' ? `直线距离${zhDist}` : `${zhMode}路网距离${zhDist}`, en: reach.mode === 'straight' ? `${dist} straight-line` : `${dist} on the ${NETWORK_EN[reach.mode] ?? reach.mode} network` };
}

/**
 * Every facility category a rule book's circles and indicators count: the categories an import may use
 * without adding one.
 *
 * @example standardCategories(defaultStandards()).has('elderly_station') // true
 */
export function standardCategories(s: Pick<Standards, 'circles' | 'indicators'>): Set<string> {
  const out = new Set<string>();
  for (const c of s.circles) for (const g of c.services) for (const k of g.categories) out.add(k);
  // indicators name categories in several shapes (numerator, count, facilities…): walk for every `categories` list
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'categories' && Array.isArray(x)) x.forEach((c) => typeof c === 'string' && out.add(c));
        else walk(x);
      }
    }
  };
  walk(s.indicators);
  return out;
}

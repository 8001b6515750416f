/**
 * The facility categories the product knows, named as the Yuechi 14th Five-Year public-service plan and the
 * national standards name them (docs/standards.md). Data files use `id` in their `category` field.
 */
export interface FacilityCategory {
  /** stable id used in data files, e.g. `health_center` */
  id: string;
  zh: string;
  en: string;
  group: 'health' | 'elderly' | 'education' | 'childcare' | 'culture' | 'sport' | 'community' | 'emergency';
  /** capacity fields a facility of this category carries; the first is the main one, copied to `capacity` */
  capacityFields: string[];
}

export const FACILITY_CATEGORIES: FacilityCategory[] = [
  { id: 'county_hospital', zh: '县级医院', en: 'county hospital', group: 'health', capacityFields: ['beds', 'physicians', 'nurses'] },
  { id: 'health_center', zh: '乡镇卫生院', en: 'township health centre', group: 'health', capacityFields: ['beds', 'physicians', 'nurses'] },
  { id: 'community_health_center', zh: '社区卫生服务中心', en: 'community health centre', group: 'health', capacityFields: ['beds', 'physicians', 'nurses'] },
  { id: 'community_health_station', zh: '社区卫生服务站', en: 'community health station', group: 'health', capacityFields: ['physicians', 'nurses'] },
  { id: 'village_clinic', zh: '村卫生室', en: 'village clinic', group: 'health', capacityFields: ['staff', 'physicians'] },
  { id: 'elderly_complex', zh: '社区养老服务综合体', en: 'community elderly-care complex', group: 'elderly', capacityFields: ['beds', 'nursing_beds'] },
  { id: 'elderly_station', zh: '养老服务站/驿站', en: 'elderly-care station', group: 'elderly', capacityFields: ['beds'] },
  { id: 'day_care_center', zh: '日间照料中心', en: 'elderly day-care centre', group: 'elderly', capacityFields: ['beds'] },
  { id: 'meal_point', zh: '老年助餐点', en: 'meal point for the elderly', group: 'elderly', capacityFields: ['meals_per_day'] },
  { id: 'nursing_home', zh: '敬老院/养老院', en: 'nursing home', group: 'elderly', capacityFields: ['beds', 'nursing_beds'] },
  { id: 'mutual_aid_home', zh: '农村互助幸福院', en: 'rural mutual-aid home', group: 'elderly', capacityFields: ['beds'] },
  { id: 'kindergarten', zh: '幼儿园', en: 'kindergarten', group: 'education', capacityFields: ['places'] },
  { id: 'childcare', zh: '托育机构', en: 'childcare for under-3s', group: 'childcare', capacityFields: ['slots'] },
  { id: 'primary_school', zh: '小学', en: 'primary school', group: 'education', capacityFields: ['places'] },
  { id: 'middle_school', zh: '初中', en: 'middle school', group: 'education', capacityFields: ['places'] },
  { id: 'culture_center', zh: '文化馆/图书馆分馆/社区文化中心/城市书房', en: 'urban culture centre or library', group: 'culture', capacityFields: ['floor_area_m2'] },
  { id: 'culture_station', zh: '乡镇综合文化站', en: 'township culture station', group: 'culture', capacityFields: ['floor_area_m2'] },
  { id: 'culture_room', zh: '村综合性文化服务中心/文化室', en: 'village culture room', group: 'culture', capacityFields: ['floor_area_m2'] },
  { id: 'sports_ground', zh: '体育场地', en: 'sports ground', group: 'sport', capacityFields: ['area_m2'] },
  { id: 'community_service_center', zh: '社区综合服务设施/街道服务中心', en: 'community service centre', group: 'community', capacityFields: ['floor_area_m2'] },
  { id: 'village_service_station', zh: '村综合服务站', en: 'village service station', group: 'community', capacityFields: ['floor_area_m2'] },
  { id: 'market', zh: '菜市场', en: 'food market', group: 'community', capacityFields: ['floor_area_m2'] },
  { id: 'fire_station', zh: '消防救援站', en: 'fire and rescue station', group: 'emergency', capacityFields: ['vehicles', 'firefighters'] },
  { id: 'emergency_base', zh: '应急救援基地/物资储备库', en: 'emergency base or reserve depot', group: 'emergency', capacityFields: ['floor_area_m2'] },
];

const BY_ID = new Map(FACILITY_CATEGORIES.map((c) => [c.id, c]));

/**
 * The category with this id; throws naming the known ids when there is none.
 *
 * @example categoryById('health_center').zh // '乡镇卫生院'
 */
export function categoryById(id: string): FacilityCategory {
  const c = BY_ID.get(id);
  if (!c) throw new Error(`unknown facility category "${id}"; expected one of ${FACILITY_CATEGORIES.map((x) => x.id).join(', ')}`);
  return c;
}

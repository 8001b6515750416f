import { FACILITY_CATEGORIES, type FacilityCategory } from '../../../analysis/facilities/categories.ts';

export type FacilityGroup = FacilityCategory['group'];

const GROUP_OF = new Map(FACILITY_CATEGORIES.map((c) => [c.id, c.group]));

/**
 * The group of a category id, which picks its map symbol; a category the product does not know draws as
 * 'community' rather than not at all.
 *
 * @example groupOfCategory('elderly_station') // 'elderly'
 */
export function groupOfCategory(category: string): FacilityGroup {
  return GROUP_OF.get(category) ?? 'community';
}

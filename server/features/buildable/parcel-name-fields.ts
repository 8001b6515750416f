/** Property names a parcel's name is read from, first found wins (land-use plans name parcels 地块名称 or 地块编号). */
export const PARCEL_NAME_FIELDS = ['name', '名称', '地块名称', '地块编号', 'DKMC', 'DKBH'];

/**
 * A parcel's name from its properties (the first of PARCEL_NAME_FIELDS present), at most 200 characters; '' when none.
 *
 * @example parcelName({ 地块名称: '九龙街道-储备地块-01' }) // '九龙街道-储备地块-01'
 */
export function parcelName(props: Record<string, unknown>): string {
  const named = PARCEL_NAME_FIELDS.map((k) => props[k]).find((v) => v !== undefined && v !== null && v !== '');
  return named === undefined ? '' : String(named).slice(0, 200);
}

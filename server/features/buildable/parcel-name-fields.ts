/** Property names a parcel's name is read from, first found wins (land-use plans name parcels 地块名称 or 地块编号). */
export const PARCEL_NAME_FIELDS = ['name', '名称', '地块名称', '地块编号', 'DKMC', 'DKBH'];

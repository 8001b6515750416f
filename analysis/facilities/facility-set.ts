/**
 * Facilities as column arrays; `id[i]` is the stable id that results point back to.
 * Extra attributes (beds, slots, physicians…) stay in `properties[i]` untouched.
 */
export interface FacilitySet {
  readonly count: number;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly id: string[];
  readonly name: string[];
  readonly category: string[];
  /** generic capacity (beds, places, slots); NaN where unknown */
  readonly capacity: Float64Array;
  readonly properties: Record<string, unknown>[];
}

export interface FacilityInput {
  lon: number;
  lat: number;
  id?: string | number;
  name?: string;
  category?: string;
  capacity?: number;
  properties?: Record<string, unknown>;
}

/**
 * Builds a FacilitySet, checking coordinates; `source` names the file or layer in error messages.
 *
 * @example createFacilitySet([{ lon: 106.43, lat: 30.53, name: '县医院', category: 'hospital' }])
 */
export function createFacilitySet(items: FacilityInput[], source = 'facilities'): FacilitySet {
  const n = items.length;
  const lon = new Float64Array(n), lat = new Float64Array(n), capacity = new Float64Array(n);
  const id: string[] = [], name: string[] = [], category: string[] = [], properties: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const f = items[i];
    if (!Number.isFinite(f.lon) || !Number.isFinite(f.lat) || f.lon < -180 || f.lon > 180 || f.lat < -90 || f.lat > 90) {
      throw new Error(`${source}: facility ${i}${f.id !== undefined ? ` (id ${f.id})` : ''}: expected lon in [-180,180] and lat in [-90,90], found (${f.lon}, ${f.lat})`);
    }
    const fid = f.id === undefined || f.id === '' ? String(i + 1) : String(f.id);
    if (seen.has(fid)) throw new Error(`${source}: facility ${i}: id "${fid}" is used twice; ids must be unique`);
    seen.add(fid);
    lon[i] = f.lon;
    lat[i] = f.lat;
    id.push(fid);
    name.push(f.name ?? '');
    category.push(f.category ?? '');
    capacity[i] = f.capacity === undefined || f.capacity === null ? NaN : f.capacity;
    properties.push(f.properties ?? {});
  }
  return { count: n, lon, lat, id, name, category, capacity, properties };
}

/** The facilities for which `predicate(i)` holds, e.g. one category. */
export function filterFacilities(set: FacilitySet, predicate: (i: number) => boolean): FacilitySet {
  const keep: FacilityInput[] = [];
  for (let i = 0; i < set.count; i++) {
    if (!predicate(i)) continue;
    keep.push({
      lon: set.lon[i], lat: set.lat[i], id: set.id[i], name: set.name[i], category: set.category[i],
      capacity: Number.isNaN(set.capacity[i]) ? undefined : set.capacity[i], properties: set.properties[i],
    });
  }
  return createFacilitySet(keep);
}

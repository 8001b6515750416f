import type { Feature, FeatureCollection, Point } from 'geojson';
import { createFacilitySet, type FacilitySet } from '../../../analysis/facilities/facility-set.ts';
import { AppError } from '../../app/app-error.ts';
import { enumField, numberField, objectBody, objectField, onlyFields, stringField } from '../../app/body-fields.ts';
import { toJson } from '../../db/column-types.ts';
import type { Db } from '../../db/database.ts';
import { knownCategories } from '../analyses/preset-catalog.ts';
import { checkPointInRegion } from '../imports/geojson-checks.ts';
import type { BBox } from '../regions/region-bbox.ts';
import { requireRegion } from '../regions/region.service.ts';
import * as repo from './facility.repository.ts';
import { FACILITY_STATUSES, type FacilityRow, type FacilityUpdate, type NewFacility } from './facility.table.ts';

/** A facility as the API shows it. */
export interface FacilityView {
  id: number;
  regionId: number;
  externalId: string | null;
  category: string;
  name: string;
  capacity: number | null;
  capacityUnit: string | null;
  status: FacilityRow['status'];
  source: string;
  lon: number;
  lat: number;
  properties: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export function facilityView(r: FacilityRow): FacilityView {
  return {
    id: r.id, regionId: r.region_id, externalId: r.external_id, category: r.category, name: r.name, capacity: r.capacity,
    capacityUnit: r.capacity_unit, status: r.status, source: r.source, lon: r.lon, lat: r.lat, properties: r.properties,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export function facilitiesGeoJson(rows: FacilityRow[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: rows.map((r): Feature<Point> => {
      const { lon, lat, properties, ...rest } = facilityView(r);
      return { type: 'Feature', id: r.id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { ...properties, ...rest } };
    }),
  };
}

/** Rows passing a facility filter, in their order: what listFacilities returns for it, from rows in memory. */
export function filterFacilities(rows: FacilityRow[], filter: repo.FacilityFilter): FacilityRow[] {
  const categories = filter.categories?.length ? new Set(filter.categories) : null;
  return withStatus(rows, filter.statuses ?? []).filter((r) => categories === null || categories.has(r.category));
}

/** The rows of the given statuses (all for none), in their order: the cached list filtered as listFacilities would. */
export function withStatus(rows: FacilityRow[], statuses: readonly string[]): FacilityRow[] {
  if (statuses.length === 0) return rows;
  const wanted = new Set(statuses);
  return rows.filter((r) => wanted.has(r.status));
}

/**
 * Facility rows as the engine's column arrays; ids are the database ids, so results point back to rows.
 *
 * @example const set = toFacilitySet(await listFacilities(db, 1, { categories: ['elderly_station'] }));
 */
export function toFacilitySet(rows: FacilityRow[]): FacilitySet {
  return createFacilitySet(rows.map((r) => ({
    id: String(r.id), lon: r.lon, lat: r.lat, name: r.name, category: r.category, capacity: r.capacity ?? undefined, properties: r.properties,
  })));
}

const FIELDS = ['category', 'name', 'capacity', 'capacityUnit', 'status', 'source', 'lon', 'lat', 'externalId', 'properties', 'newCategory'] as const;

/** Checks a create (all required fields) or update (any subset) body; returns the columns to write. */
function facilityColumns(raw: unknown, creating: boolean): FacilityUpdate {
  const body = objectBody(raw);
  onlyFields(body, FIELDS);
  const out: FacilityUpdate = {};
  const category = stringField(body, 'category', { required: creating, nonEmpty: true, max: 100 });
  if (category !== undefined) out.category = category;
  const name = stringField(body, 'name', { max: 500 });
  if (name !== undefined) out.name = name;
  if ('capacity' in body) out.capacity = numberField(body, 'capacity', { min: 0 }) ?? null;
  if ('capacityUnit' in body) out.capacity_unit = stringField(body, 'capacityUnit', { max: 50 }) ?? null;
  const status = enumField(body, 'status', FACILITY_STATUSES);
  if (status !== undefined) out.status = status;
  const source = stringField(body, 'source', { max: 200 });
  if (source !== undefined) out.source = source;
  const lon = numberField(body, 'lon', { required: creating, min: -180, max: 180 });
  if (lon !== undefined) out.lon = lon;
  const lat = numberField(body, 'lat', { required: creating, min: -90, max: 90 });
  if (lat !== undefined) out.lat = lat;
  if ('externalId' in body) out.external_id = stringField(body, 'externalId', { max: 200 }) ?? null;
  const properties = objectField(body, 'properties');
  if (properties !== undefined) out.properties = toJson(properties);
  return out;
}

/**
 * What the columns cannot say alone: the category is one the circles count, one the region already has, or
 * added on purpose (`newCategory: true`); the point lies where the region is.
 */
async function checkInRegion(db: Db, region: { id: number; bbox: BBox | null }, c: FacilityUpdate, body: Record<string, unknown>, current?: { lon: number; lat: number }): Promise<void> {
  if (c.category !== undefined && body.newCategory !== true) {
    const known = new Set([...knownCategories(), ...(await repo.regionCategories(db, region.id))]);
    if (!known.has(c.category)) {
      const list = [...known].sort();
      throw new AppError('validation_failed', `field 'category': '${c.category}' is not one the circles know (${list.join(', ')}); to add it, send newCategory: true`, { field: 'category', expected: list.join(', '), found: c.category, addCategory: 'newCategory: true' });
    }
  }
  if ('newCategory' in body && typeof body.newCategory !== 'boolean') throw new AppError('validation_failed', `field 'newCategory': expected true or false, found ${JSON.stringify(body.newCategory)}`, { field: 'newCategory', expected: 'boolean' });
  if (c.lon !== undefined || c.lat !== undefined) checkPointInRegion(region.bbox, c.lon ?? current!.lon, c.lat ?? current!.lat, 'facility');
}

export async function createFacility(db: Db, regionId: number, body: unknown): Promise<FacilityView> {
  const region = await requireRegion(db, regionId);
  const c = facilityColumns(body, true);
  await checkInRegion(db, region, c, body as Record<string, unknown>);
  const row: NewFacility = {
    region_id: regionId, category: c.category!, name: c.name ?? '', capacity: c.capacity ?? null, capacity_unit: c.capacity_unit ?? null,
    status: c.status ?? 'existing', source: c.source ?? 'manual', lon: c.lon!, lat: c.lat!, external_id: c.external_id ?? null,
    properties: c.properties ?? toJson({}),
  };
  const [created] = await repo.insertFacilities(db, [row]);
  return facilityView(created);
}

export async function getFacility(db: Db, id: number): Promise<FacilityView> {
  const row = await repo.findFacility(db, id);
  if (!row) throw AppError.notFound('facility', id);
  return facilityView(row);
}

export async function updateFacility(db: Db, id: number, body: unknown): Promise<FacilityView> {
  const patch = facilityColumns(body, false);
  const before = await repo.findFacility(db, id);
  if (!before) throw AppError.notFound('facility', id);
  await checkInRegion(db, await requireRegion(db, before.region_id), patch, body as Record<string, unknown>, before);
  const row = await repo.updateFacility(db, id, patch);
  if (!row) throw AppError.notFound('facility', id);
  return facilityView(row);
}

export async function deleteFacility(db: Db, id: number): Promise<void> {
  if (!(await repo.deleteFacility(db, id))) throw AppError.notFound('facility', id);
}

/** Parses `?category=a,b&status=existing` into a filter, rejecting unknown statuses. */
export function facilityFilter(query: Record<string, unknown>): repo.FacilityFilter {
  const list = (v: unknown) => (typeof v === 'string' && v !== '' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
  const statuses = list(query.status);
  const bad = statuses?.find((s) => !(FACILITY_STATUSES as readonly string[]).includes(s));
  if (bad) throw new AppError('validation_failed', `query 'status': expected a comma list of ${FACILITY_STATUSES.join(', ')}, found '${bad}'`, { field: 'status', expected: FACILITY_STATUSES.join(', '), found: bad });
  return { categories: list(query.category), statuses: statuses as repo.FacilityFilter['statuses'] };
}

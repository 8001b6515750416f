import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { regionStamps } from '../regions/region.repository.ts';
import type { FacilityRow, FacilityStatus, FacilityUpdate, NewFacility } from './facility.table.ts';

type Q = Kysely<Database>;

export interface FacilityFilter {
  categories?: string[];
  statuses?: FacilityStatus[];
}

export function listFacilities(db: Q, regionId: number, filter: FacilityFilter = {}): Promise<FacilityRow[]> {
  let q = db.selectFrom('facilities').selectAll().where('region_id', '=', regionId);
  if (filter.categories?.length) q = q.where('category', 'in', filter.categories);
  if (filter.statuses?.length) q = q.where('status', 'in', filter.statuses);
  return q.orderBy('id').execute();
}

export function findFacility(db: Q, id: number): Promise<FacilityRow | undefined> {
  return db.selectFrom('facilities').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts in batches (PostgreSQL allows 65,535 parameters a statement); returns the new rows. */
export async function insertFacilities(db: Q, rows: NewFacility[]): Promise<FacilityRow[]> {
  const out: FacilityRow[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    out.push(...(await db.insertInto('facilities').values(rows.slice(i, i + 1000)).returningAll().execute()));
  }
  return out;
}

export function updateFacility(db: Q, id: number, patch: FacilityUpdate): Promise<FacilityRow | undefined> {
  return db.updateTable('facilities').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteFacility(db: Q, id: number): Promise<boolean> {
  const r = await db.deleteFrom('facilities').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Removes a region's facilities (of some categories only, if given); for imports that replace. */
export async function deleteRegionFacilities(db: Q, regionId: number, categories?: string[]): Promise<number> {
  let q = db.deleteFrom('facilities').where('region_id', '=', regionId);
  if (categories?.length) q = q.where('category', 'in', categories);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

/** The categories a region's facilities already use. */
export async function regionCategories(db: Q, regionId: number): Promise<string[]> {
  const rows = await db.selectFrom('facilities').select('category').distinct().where('region_id', '=', regionId).execute();
  return rows.map((r) => r.category);
}

/** Facility counts per category and status, for the region overview. */
export function facilityCounts(db: Q, regionId: number): Promise<{ category: string; status: string; n: number }[]> {
  return db.selectFrom('facilities').select(['category', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('region_id', '=', regionId).groupBy(['category', 'status']).orderBy('category').execute()
    .then((rows) => rows.map((r) => ({ ...r, n: Number(r.n) })));
}

/** Changes whenever a facility of the region is added, edited or deleted; keys in-memory engines. */
export async function facilityStamp(db: Q, regionId: number): Promise<string> {
  return (await regionStamps(db, regionId)).facilities;
}

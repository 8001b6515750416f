import type { MultiPolygon, Polygon } from 'geojson';
import type { Kysely } from 'kysely';
import { toJson } from '../../db/column-types.ts';
import type { Database } from '../../db/database.ts';
import type { BuildableLandRow } from './buildable.table.ts';

type Q = Kysely<Database>;

export interface BuildableParcel {
  name: string;
  geometry: Polygon | MultiPolygon;
  properties: Record<string, unknown>;
}

export function listBuildable(db: Q, regionId: number): Promise<BuildableLandRow[]> {
  return db.selectFrom('buildable_land').selectAll().where('region_id', '=', regionId).orderBy('position').execute();
}

export async function deleteBuildable(db: Q, regionId: number): Promise<number> {
  const r = await db.deleteFrom('buildable_land').where('region_id', '=', regionId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Writes parcels after the region's own (append) or in their place (replace). */
export async function storeBuildable(db: Q, regionId: number, parcels: BuildableParcel[], mode: 'append' | 'replace'): Promise<{ parcels: number; deleted: number }> {
  let deleted = 0, start = 0;
  if (mode === 'replace') deleted = await deleteBuildable(db, regionId);
  else {
    const last = await db.selectFrom('buildable_land').select((eb) => eb.fn.max('position').as('p')).where('region_id', '=', regionId).executeTakeFirst();
    start = last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1;
  }
  // batches keep each statement under PostgreSQL's 65,535 parameters
  for (let q = 0; q < parcels.length; q += 500) {
    await db.insertInto('buildable_land').values(parcels.slice(q, q + 500).map((p, i) => ({
      region_id: regionId, position: start + q + i, name: p.name, geometry: toJson(p.geometry), properties: toJson(p.properties),
    }))).execute();
  }
  return { parcels: parcels.length, deleted };
}

import type { MultiPolygon, Polygon } from 'geojson';
import { sql, type Kysely } from 'kysely';
import { toJson } from '../../db/column-types.ts';
import { AppError } from '../../app/app-error.ts';
import type { Database } from '../../db/database.ts';
import { readBytea } from '../../db/read-bytea.ts';
import type { AdminUnitRow, PopulationGridRow, RegionRow, RoadNetworkRow, VillageZoneRow } from './region.table.ts';

type Q = Kysely<Database>;

export function listRegions(db: Q): Promise<RegionRow[]> {
  return db.selectFrom('regions').selectAll().orderBy('id').execute();
}

export function findRegion(db: Q, id: number): Promise<RegionRow | undefined> {
  return db.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertRegion(db: Q, r: { name: string; code: string | null; metadata: Record<string, unknown> }): Promise<RegionRow> {
  return db.insertInto('regions').values({ name: r.name, code: r.code, metadata: toJson(r.metadata) }).returningAll().executeTakeFirstOrThrow();
}

export async function updateRegion(db: Q, id: number, patch: { name?: string; code?: string | null; outline?: Polygon | MultiPolygon | null; bbox?: [number, number, number, number] | null; metadata?: Record<string, unknown> }): Promise<RegionRow | undefined> {
  return db.updateTable('regions').set({
    updated_at: new Date(),
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.code !== undefined ? { code: patch.code } : {}),
    ...(patch.outline !== undefined ? { outline: patch.outline === null ? null : toJson(patch.outline) } : {}),
    ...(patch.bbox !== undefined ? { bbox: patch.bbox === null ? null : toJson(patch.bbox) } : {}),
    ...(patch.metadata !== undefined ? { metadata: toJson(patch.metadata) } : {}),
  }).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteRegion(db: Q, id: number): Promise<boolean> {
  const r = await db.deleteFrom('regions').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export function listUnits(db: Q, regionId: number): Promise<AdminUnitRow[]> {
  return db.selectFrom('admin_units').selectAll().where('region_id', '=', regionId).orderBy('position').execute();
}

/** Replaces a region's units with `units`, in order (call inside a transaction). */
export async function replaceUnits(db: Q, regionId: number, units: { name: string; code: string; geometry: Polygon | MultiPolygon; properties: Record<string, unknown> }[]): Promise<number> {
  await db.deleteFrom('admin_units').where('region_id', '=', regionId).execute();
  // batches keep each statement under PostgreSQL's 65,535 parameters
  for (let i = 0; i < units.length; i += 500) {
    await db.insertInto('admin_units').values(units.slice(i, i + 500).map((u, k) => ({
      region_id: regionId, position: i + k, name: u.name, code: u.code, geometry: toJson(u.geometry), properties: toJson(u.properties),
    }))).execute();
  }
  return units.length;
}

export function listVillageZones(db: Q, regionId: number): Promise<VillageZoneRow[]> {
  return db.selectFrom('village_zones').selectAll().where('region_id', '=', regionId).orderBy('position').execute();
}

export async function countVillageZones(db: Q, regionId: number): Promise<number> {
  const r = await db.selectFrom('village_zones').select((eb) => eb.fn.countAll<number>().as('n')).where('region_id', '=', regionId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Replaces a region's village zones with `zones`, in order (call inside a transaction). */
export async function replaceVillageZones(db: Q, regionId: number, zones: { name: string; code: string; townshipCode: string; geometry: Polygon | MultiPolygon; properties: Record<string, unknown> }[]): Promise<number> {
  await db.deleteFrom('village_zones').where('region_id', '=', regionId).execute();
  for (let i = 0; i < zones.length; i += 500) {
    await db.insertInto('village_zones').values(zones.slice(i, i + 500).map((z, k) => ({
      region_id: regionId, position: i + k, name: z.name, code: z.code, township_code: z.townshipCode, geometry: toJson(z.geometry), properties: toJson(z.properties),
    }))).execute();
  }
  return zones.length;
}

export function insertGrid(db: Q, g: { regionId: number; name: string; cellCount: number; cellSize: number; metadata: Record<string, unknown>; data: Buffer }): Promise<{ id: number }> {
  return db.insertInto('population_grids').values({
    region_id: g.regionId, name: g.name, cell_count: g.cellCount, cell_size: g.cellSize, metadata: toJson(g.metadata), data: g.data,
  }).returning('id').executeTakeFirstOrThrow();
}

export function insertRoads(db: Q, r: { regionId: number; name: string; nodeCount: number; wayCount: number; metadata: Record<string, unknown>; data: Buffer }): Promise<{ id: number }> {
  return db.insertInto('road_networks').values({
    region_id: r.regionId, name: r.name, node_count: r.nodeCount, way_count: r.wayCount, metadata: toJson(r.metadata), data: r.data,
  }).returning('id').executeTakeFirstOrThrow();
}

export type LayerInfo<T> = Omit<T, 'data'>;

/** The live (newest) grid of a region, without its data. */
export function latestGridInfo(db: Q, regionId: number): Promise<LayerInfo<PopulationGridRow> | undefined> {
  return db.selectFrom('population_grids').select(['id', 'region_id', 'name', 'cell_count', 'cell_size', 'metadata', 'created_at', 'updated_at'])
    .where('region_id', '=', regionId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export function latestRoadsInfo(db: Q, regionId: number): Promise<LayerInfo<RoadNetworkRow> | undefined> {
  return db.selectFrom('road_networks').select(['id', 'region_id', 'name', 'node_count', 'way_count', 'metadata', 'created_at', 'updated_at'])
    .where('region_id', '=', regionId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export function gridData(db: Q, id: number): Promise<Buffer> {
  return readBytea(db, 'population_grids', 'data', id);
}

export function roadsData(db: Q, id: number): Promise<Buffer> {
  return readBytea(db, 'road_networks', 'data', id);
}

/** Older grids and road networks go once a new one is in: the newest is the live layer. */
export async function pruneLayers(db: Q, regionId: number): Promise<void> {
  for (const table of ['population_grids', 'road_networks'] as const) {
    const newest = await db.selectFrom(table).select('id').where('region_id', '=', regionId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (newest) await db.deleteFrom(table).where('region_id', '=', regionId).where('id', '<', newest.id).execute();
  }
}

/** What identifies the region's inputs: changes whenever a grid, roads or units are imported. */
export async function layerStamp(db: Q, regionId: number): Promise<string> {
  return (await regionStamps(db, regionId)).layers;
}

/**
 * What keys a region's in-memory models, in one query (every analysis and what-if asks): `layers` changes
 * when a grid, roads or units are imported, `facilities` when a facility is added, edited or deleted.
 *
 * @example const { layers, facilities } = await regionStamps(db, 1);
 */
export async function regionStamps(db: Q, regionId: number): Promise<{ layers: string; facilities: string }> {
  // the counters the triggers of migration 2026-12-04-region-revisions bump on every write
  const row = await db.selectFrom('regions').select(['layers_rev', 'facilities_rev']).where('id', '=', regionId).executeTakeFirst();
  if (!row) throw AppError.notFound('region', regionId);
  return { layers: `r${regionId}:l${row.layers_rev}`, facilities: `r${regionId}:f${row.facilities_rev}` };
}

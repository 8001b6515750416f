import type { MultiPolygon, Polygon } from 'geojson';
import type { Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, Id, Json, NullableJson, UpdatedAt } from '../../db/column-types.ts';

/** A planning area (a county); everything else hangs off one. */
export interface RegionTable {
  id: Id;
  name: string;
  code: string | null;
  /** outline as a GeoJSON geometry in WGS 84, or null until units or a grid give one */
  outline: NullableJson<Polygon | MultiPolygon>;
  /** [minLon, minLat, maxLon, maxLat], for CRS plausibility checks on imports */
  bbox: NullableJson<[number, number, number, number]>;
  /** provenance and notices (e.g. "generated", attribution) */
  metadata: Json<Record<string, unknown>>;
  /** bumped by triggers on every write to the region's grids, roads and units: the model's stamp */
  layers_rev: Generated<string>;
  /** bumped by triggers on every write to its facilities */
  facilities_rev: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Townships (or villages) of a region, in file order; `position` keeps that order. */
export interface AdminUnitTable {
  id: Id;
  region_id: number;
  position: number;
  name: string;
  code: string;
  geometry: Json<Polygon | MultiPolygon>;
  properties: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/**
 * Village zones (村/社区) of a region, in file order: not analysis units (those are the townships), only where
 * a census table by village (12-digit codes) is spread onto the grid.
 */
export interface VillageZoneTable {
  id: Id;
  region_id: number;
  position: number;
  name: string;
  /** 12-digit 统计用区划代码 */
  code: string;
  /** the 9-digit code of the township the village belongs to */
  township_code: string;
  geometry: Json<Polygon | MultiPolygon>;
  properties: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A population grid as packed column arrays (see grid-codec.ts); the newest per region is the live one. */
export interface PopulationGridTable {
  id: Id;
  region_id: number;
  name: string;
  cell_count: number;
  cell_size: number;
  /** totals and frame, readable without unpacking `data` */
  metadata: Json<Record<string, unknown>>;
  data: Buffer;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A road source (OSM-like ways) as packed column arrays (see road-codec.ts); the newest per region is live. */
export interface RoadNetworkTable {
  id: Id;
  region_id: number;
  name: string;
  node_count: number;
  way_count: number;
  metadata: Json<Record<string, unknown>>;
  data: Buffer;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type RegionRow = Selectable<RegionTable>;
export type NewRegion = Insertable<RegionTable>;
export type AdminUnitRow = Selectable<AdminUnitTable>;
export type VillageZoneRow = Selectable<VillageZoneTable>;
export type PopulationGridRow = Selectable<PopulationGridTable>;
export type RoadNetworkRow = Selectable<RoadNetworkTable>;

import type { MultiPolygon, Polygon } from 'geojson';
import type { Selectable } from 'kysely';
import type { CreatedAt, Id, Json, UpdatedAt } from '../../db/column-types.ts';

/** Land a site may be built on (the land-use plan's parcels), in file order; suggested sites can be drawn from it. */
export interface BuildableLandTable {
  id: Id;
  region_id: number;
  position: number;
  /** the parcel's name or number as the file gave it; '' when it gave none */
  name: string;
  geometry: Json<Polygon | MultiPolygon>;
  properties: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type BuildableLandRow = Selectable<BuildableLandTable>;

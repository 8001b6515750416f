import type { Insertable, Selectable, Updateable } from 'kysely';
import type { CreatedAt, Id, Json, UpdatedAt } from '../../db/column-types.ts';

export const FACILITY_STATUSES = ['existing', 'planned', 'candidate'] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];

/** One facility: a point with a category, edited by planners over months. */
export interface FacilityTable {
  id: Id;
  region_id: number;
  /** the id the source file gave it, if any */
  external_id: string | null;
  category: string;
  name: string;
  /** generic capacity (beds, places, slots), null where unknown */
  capacity: number | null;
  /** what `capacity` counts, e.g. "beds" */
  capacity_unit: string | null;
  status: FacilityStatus;
  /** where the row came from: "import:12", "demo", "manual" */
  source: string;
  lon: number;
  lat: number;
  /** every other attribute of the source, untouched */
  properties: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type FacilityRow = Selectable<FacilityTable>;
export type NewFacility = Insertable<FacilityTable>;
export type FacilityUpdate = Updateable<FacilityTable>;

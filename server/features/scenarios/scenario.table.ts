import type { Selectable } from 'kysely';
import type { CreatedAt, Id, Json, UpdatedAt } from '../../db/column-types.ts';
import type { ScenarioEdit } from './scenario-edits.ts';

/** A named set of edits to a region's facilities (add, move, remove, change), compared against the base. */
export interface ScenarioTable {
  id: Id;
  region_id: number;
  name: string;
  description: string;
  edits: Json<ScenarioEdit[]>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type ScenarioRow = Selectable<ScenarioTable>;

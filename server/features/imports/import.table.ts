import type { Selectable } from 'kysely';
import type { CreatedAt, Id, Json, UpdatedAt } from '../../db/column-types.ts';

export const IMPORT_KINDS = ['facilities', 'population', 'roads', 'units', 'buildable', 'population-table'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** One accepted upload: what it was and what it wrote (rejected uploads leave no row). */
export interface ImportTable {
  id: Id;
  region_id: number;
  kind: ImportKind;
  /** the uploaded file's name as the client sent it; never used as a path */
  file_name: string;
  format: string;
  row_count: number;
  /** options used and notes (encoding detected, reprojection, replaced rows) */
  details: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type ImportRow = Selectable<ImportTable>;

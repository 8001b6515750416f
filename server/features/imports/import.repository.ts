import type { Kysely } from 'kysely';
import { toJson } from '../../db/column-types.ts';
import type { Database } from '../../db/database.ts';
import type { ImportKind, ImportRow } from './import.table.ts';

type Q = Kysely<Database>;

export function insertImport(db: Q, r: { regionId: number; kind: ImportKind; fileName: string; format: string; rowCount: number; details: Record<string, unknown> }): Promise<ImportRow> {
  return db.insertInto('imports').values({
    region_id: r.regionId, kind: r.kind, file_name: r.fileName, format: r.format, row_count: r.rowCount, details: toJson(r.details),
  }).returningAll().executeTakeFirstOrThrow();
}

export async function setImportRowCount(db: Q, id: number, rowCount: number, details: Record<string, unknown>): Promise<ImportRow> {
  return db.updateTable('imports').set({ row_count: rowCount, details: toJson(details), updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function listImports(db: Q, regionId: number): Promise<ImportRow[]> {
  return db.selectFrom('imports').selectAll().where('region_id', '=', regionId).orderBy('id', 'desc').execute();
}

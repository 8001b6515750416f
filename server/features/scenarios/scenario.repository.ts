import type { Kysely } from 'kysely';
import { toJson } from '../../db/column-types.ts';
import type { Database } from '../../db/database.ts';
import type { ScenarioEdit } from './scenario-edits.ts';
import type { ScenarioRow } from './scenario.table.ts';

type Q = Kysely<Database>;

export function insertScenario(db: Q, s: { regionId: number; name: string; description: string; edits: ScenarioEdit[] }): Promise<ScenarioRow> {
  return db.insertInto('scenarios').values({ region_id: s.regionId, name: s.name, description: s.description, edits: toJson(s.edits) }).returningAll().executeTakeFirstOrThrow();
}

export function findScenario(db: Q, id: number): Promise<ScenarioRow | undefined> {
  return db.selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listScenarios(db: Q, regionId: number): Promise<ScenarioRow[]> {
  return db.selectFrom('scenarios').selectAll().where('region_id', '=', regionId).orderBy('id').execute();
}

export function updateScenario(db: Q, id: number, patch: { name?: string; description?: string; edits?: ScenarioEdit[] }): Promise<ScenarioRow | undefined> {
  return db.updateTable('scenarios').set({
    updated_at: new Date(),
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.edits !== undefined ? { edits: toJson(patch.edits) } : {}),
  }).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteScenario(db: Q, id: number): Promise<boolean> {
  const r = await db.deleteFrom('scenarios').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

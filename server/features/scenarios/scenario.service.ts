import { AppError } from '../../app/app-error.ts';
import { objectBody, onlyFields, stringField } from '../../app/body-fields.ts';
import type { Db } from '../../db/database.ts';
import { requireRegion } from '../regions/region.service.ts';
import { parseEdits, type ScenarioEdit } from './scenario-edits.ts';
import * as repo from './scenario.repository.ts';
import type { ScenarioRow } from './scenario.table.ts';

export interface ScenarioView {
  id: number;
  regionId: number;
  name: string;
  description: string;
  edits: ScenarioEdit[];
  createdAt: Date;
  updatedAt: Date;
}

export function scenarioView(r: ScenarioRow): ScenarioView {
  return { id: r.id, regionId: r.region_id, name: r.name, description: r.description, edits: r.edits, createdAt: r.created_at, updatedAt: r.updated_at };
}

/** A scenario row; with `regionId`, one of that region (a scenario cannot edit another county). */
export async function requireScenario(db: Db, id: number, regionId?: number): Promise<ScenarioRow> {
  const row = await repo.findScenario(db, id);
  if (!row) throw AppError.notFound('scenario', id);
  if (regionId !== undefined && row.region_id !== regionId) {
    throw new AppError('validation_failed', `field 'scenarioId': scenario ${id} belongs to region ${row.region_id}, not region ${regionId}`, { field: 'scenarioId', expected: `a scenario of region ${regionId}`, found: String(id) });
  }
  return row;
}

export async function createScenario(db: Db, regionId: number, raw: unknown): Promise<ScenarioView> {
  await requireRegion(db, regionId);
  const body = objectBody(raw);
  onlyFields(body, ['name', 'description', 'edits']);
  const name = stringField(body, 'name', { required: true, nonEmpty: true, max: 200 })!;
  const description = stringField(body, 'description', { max: 5000 }) ?? '';
  const edits = body.edits === undefined ? [] : parseEdits(body.edits);
  return scenarioView(await repo.insertScenario(db, { regionId, name, description, edits }));
}

export async function updateScenario(db: Db, id: number, raw: unknown): Promise<ScenarioView> {
  const body = objectBody(raw);
  onlyFields(body, ['name', 'description', 'edits']);
  const row = await repo.updateScenario(db, id, {
    name: stringField(body, 'name', { nonEmpty: true, max: 200 }),
    description: stringField(body, 'description', { max: 5000 }),
    edits: body.edits === undefined ? undefined : parseEdits(body.edits),
  });
  if (!row) throw AppError.notFound('scenario', id);
  return scenarioView(row);
}

export async function deleteScenario(db: Db, id: number): Promise<void> {
  if (!(await repo.deleteScenario(db, id))) throw AppError.notFound('scenario', id);
}

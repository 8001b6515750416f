import type { Kysely } from 'kysely';
import { toJson } from '../../db/column-types.ts';
import type { Database } from '../../db/database.ts';
import type { JobRow, JobState } from './job.table.ts';

type Q = Kysely<Database>;

export function insertJob(db: Q, kind: string): Promise<JobRow> {
  return db.insertInto('jobs').values({ kind, state: 'queued', step: 'queued' }).returningAll().executeTakeFirstOrThrow();
}

export function findJob(db: Q, id: number): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateJob(db: Q, id: number, patch: { state?: JobState; step?: string; progress?: number | null; result?: Record<string, unknown>; error?: { code: string; message: string } }): Promise<void> {
  await db.updateTable('jobs').set({
    updated_at: new Date(),
    ...(patch.state !== undefined ? { state: patch.state } : {}),
    ...(patch.step !== undefined ? { step: patch.step } : {}),
    ...(patch.progress !== undefined ? { progress: patch.progress } : {}),
    ...(patch.result !== undefined ? { result: toJson(patch.result) } : {}),
    ...(patch.error !== undefined ? { error: toJson(patch.error) } : {}),
  }).where('id', '=', id).execute();
}

/** Jobs left queued or running by a previous process can never finish: mark them failed. */
export async function failStaleJobs(db: Q): Promise<number> {
  const r = await db.updateTable('jobs')
    .set({ state: 'failed', updated_at: new Date(), error: toJson({ code: 'internal_error', message: 'the service restarted before the job finished; run it again' }) })
    .where('state', 'in', ['queued', 'running']).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

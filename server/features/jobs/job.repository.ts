import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { toJson } from '../../db/column-types.ts';
import type { Database } from '../../db/database.ts';
import type { JobRow, JobState } from './job.table.ts';

type Q = Kysely<Database>;

/** A queued job: its kind, the engine op and the op's arguments as JSON text. */
export function insertJob(db: Q, kind: string, op: string, args: string): Promise<JobRow> {
  return db.insertInto('jobs').values({ kind, state: 'queued', step: 'queued', op, args }).returningAll().executeTakeFirstOrThrow();
}

export function findJob(db: Q, id: number): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks a job running here and counts the attempt; undefined when it has settled already (or is gone). */
export function claimJob(db: Q, id: number, worker: string): Promise<JobRow | undefined> {
  return db.updateTable('jobs')
    .set({ state: 'running', step: 'starting', progress: null, worker, attempts: sql<number>`attempts + 1`, updated_at: new Date() })
    .where('id', '=', id).where('state', 'in', ['queued', 'running'])
    .returningAll().executeTakeFirst();
}

export async function updateJob(db: Q, id: number, patch: { state?: JobState; step?: string; progress?: number | null; result?: Record<string, unknown>; error?: { code: string; message: string }; queueJob?: string }): Promise<void> {
  await db.updateTable('jobs').set({
    updated_at: new Date(),
    ...(patch.state !== undefined ? { state: patch.state } : {}),
    ...(patch.step !== undefined ? { step: patch.step } : {}),
    ...(patch.progress !== undefined ? { progress: patch.progress } : {}),
    ...(patch.result !== undefined ? { result: toJson(patch.result) } : {}),
    ...(patch.error !== undefined ? { error: toJson(patch.error) } : {}),
    ...(patch.queueJob !== undefined ? { queue_job: patch.queueJob } : {}),
  }).where('id', '=', id).execute();
}

import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, Id, NullableJson, UpdatedAt } from '../../db/column-types.ts';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A long run (an analysis) whose progress clients follow over Server-Sent Events. */
export interface JobTable {
  id: Id;
  kind: string;
  state: JobState;
  step: string;
  /** 0..1, null when the step gives no fraction */
  progress: number | null;
  /** e.g. { analysisId: 7 } */
  result: NullableJson<Record<string, unknown>>;
  /** { code, message } when failed */
  error: NullableJson<{ code: string; message: string }>;
  /** the engine op a worker runs and its arguments (JSON), so any process can pick the job up */
  op: string | null;
  args: NullableJson<unknown[]>;
  /** how many times a worker started it (a killed worker's job is started again) */
  attempts: Generated<number>;
  /** host:pid of the process that ran it last */
  worker: string | null;
  /** the queue's id for it (pg-boss), to tell a job the queue gave up on */
  queue_job: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type JobRow = Selectable<JobTable>;

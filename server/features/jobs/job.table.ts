import type { Selectable } from 'kysely';
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
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type JobRow = Selectable<JobTable>;

import type { OpArgs, OpResult } from '../../engine/engine-ops.ts';

/**
 * What may run as a background job: the engine op behind each kind and the small result the job row keeps
 * (links to what the op stored). The arguments are JSON, so a worker in another process can run them.
 */
export const JOB_KINDS = {
  analysis: {
    op: 'runAnalysis',
    result: (run: OpResult<'runAnalysis'>) => ({ analysisId: run.id, links: run.links }),
  },
  compliance: {
    op: 'runCompliance',
    result: (view: OpResult<'runCompliance'>) => ({ complianceId: view.id, links: view.links }),
  },
  // one county tile of a tiled run (server/features/tiles); the worker storing the last tile merges the run
  tile: {
    op: 'runAccessTile',
    result: (t: OpResult<'runAccessTile'>) => ({ tiledRunId: t.runId, tile: t.tile, unit: t.unit, cells: t.cells, merged: t.merged }),
  },
} as const;

export type JobKind = keyof typeof JOB_KINDS;
export type JobKindArgs<K extends JobKind> = OpArgs<(typeof JOB_KINDS)[K]['op']>;

export function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(JOB_KINDS, kind);
}

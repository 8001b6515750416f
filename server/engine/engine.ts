import type { Db } from '../db/database.ts';
import type { ProgressFn, RegionModelCache } from '../features/regions/region-model-cache.ts';
import { engineOps, type OpArgs, type OpName, type OpResult } from './engine-ops.ts';

/**
 * Where the heavy questions run: on this thread (tests, the CLI) or in worker threads (the service), behind
 * one call so routes do not know which.
 *
 * @example const view = await engine.call('runAnalysis', [request], (step) => log(step));
 */
export interface Engine {
  call<K extends OpName>(op: K, args: OpArgs<K>, report?: ProgressFn): Promise<OpResult<K>>;
  /** worker threads running operations; 0 when they run on the calling thread */
  readonly threads: number;
  close(): Promise<void>;
}

/** The engine on the calling thread, over a database and a region-model cache. */
export function inlineEngine(db: Db, cache: RegionModelCache): Engine {
  return {
    threads: 0,
    call(op, args, report = () => undefined) {
      const run = engineOps[op] as (c: unknown, ...a: unknown[]) => Promise<never>;
      return run({ db, cache, report }, ...args);
    },
    close: async () => undefined,
  };
}

import { availableParallelism } from 'node:os';
import { MessageChannel, SHARE_ENV } from 'node:worker_threads';
import type pg from 'pg';
import { Piscina } from 'piscina';
import { AppError, type ErrorCode, type ErrorDetails } from '../app/app-error.ts';
import type { Engine } from './engine.ts';
import type { EngineOutcome } from './engine-task.ts';
import { serveDatabasePort } from './database-port.ts';
import { createModelHub } from './shared-models.ts';

export interface EnginePoolOptions {
  /** a PostgreSQL URL each worker connects to itself; else `pool` */
  databaseUrl?: string;
  /** the embedded database's pool, whose queries workers send here */
  pool?: pg.Pool;
  /** worker threads; default one fewer than the cores, at least one */
  threads?: number;
  /** a worker with no task for this long exits and frees its region models (0: never) */
  idleMs?: number;
  /** the worker module; tests swap in one that crashes on cue */
  filename?: string;
}

/**
 * The engine in worker threads (piscina): analyses, what-if, sites, compliance and isochrones run off the
 * HTTP thread, so health and reads answer while they run. A region's grid and roads are loaded by the first
 * thread that needs them and shared with the others (SharedArrayBuffers); graphs and warm circles stay per thread.
 * A worker that dies fails its request with a 500 and is replaced; the next request runs as usual.
 *
 * @example const engine = createEnginePool({ pool: handle.pool }); await engine.call('runAnalysis', [request]);
 */
export function createEnginePool(options: EnginePoolOptions): Engine {
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  const pool = new Piscina({
    filename: options.filename ?? new URL('./engine-worker.mjs', import.meta.url).href,
    minThreads: options.idleMs ? 0 : threads,
    maxThreads: threads,
    ...(options.idleMs ? { idleTimeout: options.idleMs } : {}),
    // one task per thread at a time: an operation is CPU-bound, a second would only wait inside the worker
    concurrentTasksPerWorker: 1,
    workerData: { databaseUrl: options.databaseUrl },
    // settings read at use time (LIFECIRCLE_MAX_UNPACKED_MB) mean the same in a worker as on this thread
    env: SHARE_ENV,
  });
  // a region loaded by one thread is handed to the others in SharedArrayBuffers: loaded once, held once
  const hub = createModelHub();
  return {
    threads,
    async call(op, args, report = () => undefined) {
      const { port1, port2 } = new MessageChannel();
      const served = serveDatabasePort(port1, options.databaseUrl ? null : options.pool ?? null, report, hub);
      let outcome: EngineOutcome;
      try {
        outcome = await pool.run({ op, args, port: port2 }, { transferList: [port2] });
      } catch (e) {
        // the worker itself failed (out of memory, a crash in a library): this request fails, the pool goes on
        throw new Error(`engine worker stopped during '${op}': ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await served.done();
      }
      if (outcome.ok) return outcome.value as never;
      const err = outcome.error;
      if (err.app) throw new AppError(err.code as ErrorCode, err.message, err.details as ErrorDetails | undefined);
      throw Object.assign(new Error(err.message), { stack: `${err.stack ?? err.message}\n    (in an engine worker)` });
    },
    close: () => pool.destroy(),
  };
}

import { availableParallelism } from 'node:os';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createEnginePool } from '../engine/engine-pool.ts';
import { bossDispatch } from '../features/jobs/boss-dispatch.ts';
import { createJobRunner, type JobEvent, WORKER_NAME } from '../features/jobs/job.service.ts';

export interface WorkerOptions {
  db: string;
  threads?: string;
}

function line(e: JobEvent): string {
  const what = e.state === 'running' ? `started (attempt ${e.attempts})` : e.state === 'succeeded' ? `done ${JSON.stringify(e.result?.links ?? e.result)}` : e.state === 'failed' ? `failed: ${e.error?.message}` : `${e.state}: ${e.step}`;
  return `${new Date().toISOString()} job ${e.id} (${e.kind}) ${what}\n`;
}

/**
 * `lifecircle worker --db postgres://…`: takes the service's background jobs (analyses, compliance) from the
 * PostgreSQL queue and runs them in this machine's worker threads until stopped; any number may run, on
 * any machine that reaches the database. Resolves when the worker has stopped.
 */
export async function workerCommand(o: WorkerOptions, signal: AbortSignal, log: (m: string) => void): Promise<void> {
  if (!/^postgres(ql)?:\/\//.test(o.db)) {
    throw new Error(`--db: a worker needs the service's PostgreSQL URL (postgres://…), found '${o.db}'; the embedded database is worked by the service process itself`);
  }
  const threads = o.threads === undefined ? Math.max(1, availableParallelism() - 1) : Number(o.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new Error(`--threads: expected a whole number from 1 to 256, found '${o.threads}'`);
  const handle = await openDatabase({ url: o.db });
  try {
    await migrateToLatest(handle.db);
    const engine = createEnginePool({ databaseUrl: o.db, pool: handle.pool, threads });
    try {
      const dispatch = await bossDispatch({ url: o.db, concurrency: threads, log });
      const jobs = createJobRunner(handle.db, engine, log, dispatch, {
        onJob: (e) => { if (e.state !== 'running' || e.step === 'starting') process.stderr.write(line(e)); },
      });
      log(`lifecircle worker ${WORKER_NAME}: taking jobs from ${handle.location} with ${threads} engine thread(s); Ctrl-C stops after the running jobs (up to 30 s)`);
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      log('lifecircle worker: stopping');
      await jobs.close(30_000);
    } finally {
      await engine.close();
    }
  } finally {
    await handle.close();
  }
}

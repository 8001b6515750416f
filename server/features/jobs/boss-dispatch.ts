import type pg from 'pg';
import { PgBoss, type Db as BossDb, type JobWithMetadata } from 'pg-boss';
import type { JobDispatch } from './job.service.ts';

export interface BossDispatchOptions {
  /** a PostgreSQL URL: pg-boss keeps its own pool and a LISTEN connection, so workers elsewhere wake at once */
  url?: string;
  /** without a URL: the embedded database's one-connection pool (pg-boss's PGlite backend) */
  pool?: pg.Pool;
  /** jobs this process runs at a time (the engine's worker threads) */
  concurrency: number;
  log: (m: string) => void;
  /** seconds without a heartbeat before a worker's job goes to another (pg-boss minimum 10) */
  heartbeatSeconds?: number;
  /** how often the queue checks for dead workers' jobs, seconds */
  superviseSeconds?: number;
}

export const ENGINE_QUEUE = 'lifecircle-engine';
const RETRY_LIMIT = 2;

/** pg-boss over node-postgres: a multi-statement text without parameters answers one result per statement. */
function overPool(pool: pg.Pool): BossDb {
  return {
    async executeSql(text, values) {
      const r = (await pool.query(text, values)) as pg.QueryResult | pg.QueryResult[];
      return Array.isArray(r) ? { rows: r.flatMap((x) => x.rows ?? []) } : r;
    },
  };
}

/**
 * Jobs on a durable PostgreSQL queue (pg-boss): any process working the queue — the service, or
 * `lifecircle worker` on another machine — takes the next job; a worker that dies stops its heartbeat and
 * the job is handed out again (two retries). On the embedded PGlite the same queue runs in its one process.
 *
 * @example const jobs = createJobRunner(db, engine, log, await bossDispatch({ url, concurrency: 2, log }));
 */
export async function bossDispatch(o: BossDispatchOptions): Promise<JobDispatch> {
  if (!o.url && !o.pool) throw new Error('bossDispatch: give a PostgreSQL url or the embedded pool');
  const common = {
    schedule: false, supervise: true,
    superviseIntervalSeconds: o.superviseSeconds ?? 10, monitorIntervalSeconds: o.superviseSeconds ?? 10,
    instanceName: 'lifecircle',
  };
  const boss = o.url
    ? new PgBoss({ connectionString: o.url, max: 4, useListenNotify: true, ...common })
    : new PgBoss({ db: overPool(o.pool!), backend: 'pglite', ...common });
  boss.on('error', (e: Error) => o.log(`jobs queue: ${e.message}`));
  boss.on('warning', (w: { message?: string }) => o.log(`jobs queue: ${w.message ?? String(w)}`));
  await boss.start();
  await boss.createQueue(ENGINE_QUEUE, {
    retryLimit: RETRY_LIMIT, heartbeatSeconds: Math.max(10, o.heartbeatSeconds ?? 10),
    // a province run may take long; a dead worker is found by its heartbeat, not by this
    expireInSeconds: 6 * 3600, notify: true,
  }).catch((e: Error) => { if (!/exists/.test(e.message)) throw e; });
  const workers: string[] = [];
  let stopped = false;
  return {
    durable: true,
    async send(jobId) {
      const id = await boss.send(ENGINE_QUEUE, { jobId });
      // without LISTEN (PGlite) the workers here would wait for their next poll
      if (!o.url) for (const w of workers) boss.notifyWorker(w);
      return id;
    },
    async work(run) {
      for (let i = 0; i < Math.max(1, o.concurrency); i++) {
        let worker: string | undefined;
        // with LISTEN on, pg-boss polls only every 30 s by default: a dead worker's retried job would wait that long
        worker = await boss.work<{ jobId: number }>(ENGINE_QUEUE, { pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2, includeMetadata: true }, async ([delivered]) => {
          const job = delivered as unknown as JobWithMetadata<{ jobId: number }>;
          try {
            await run(job.data.jobId, { retry: job.retryCount, final: job.retryCount >= job.retryLimit });
          } finally {
            // look for the next job at once, not a poll later: a run's tiles queued together go one after another
            if (worker !== undefined) boss.notifyWorker(worker);
          }
        });
        workers.push(worker);
      }
    },
    async gaveUp(queueJob) {
      const job = await boss.getJobById(ENGINE_QUEUE, queueJob);
      return job === null || job.state === 'failed' || job.state === 'cancelled';
    },
    async close(graceMs = 5_000) {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, timeout: graceMs, close: true });
    },
  };
}

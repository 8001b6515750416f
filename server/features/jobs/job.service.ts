import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import { toJson } from '../../db/column-types.ts';
import type { Engine } from '../../engine/engine.ts';
import type { OpName } from '../../engine/engine-ops.ts';
import { isJobKind, JOB_KINDS, type JobKind, type JobKindArgs } from './job-kinds.ts';
import { claimJob, findJob, insertJob, updateJob } from './job.repository.ts';
import type { JobRow, JobState } from './job.table.ts';

/** What subscribers hear: the job's state after every step or progress report. */
export interface JobEvent {
  id: number;
  kind: string;
  state: JobState;
  step: string;
  progress: number | null;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  /** times a worker started it; above 1 when a worker died and another took it over */
  attempts: number;
}

/** One delivery of a job to this process: `final` when the queue will not hand it out again. */
export interface JobAttempt {
  retry: number;
  final: boolean;
}

/**
 * How a stored job reaches a worker: in this process at once (`localDispatch`), or through a durable
 * PostgreSQL queue any service or `lifecircle worker` process takes from (`bossDispatch`).
 */
export interface JobDispatch {
  readonly durable: boolean;
  /** hands the stored job on; returns the queue's id for it, if it has one */
  send(jobId: number): Promise<string | null>;
  /** starts taking jobs; `run` resolves when the job is settled and rejects to have it retried */
  work(run: (jobId: number, attempt: JobAttempt) => Promise<void>): Promise<void>;
  /** true when the queue has given up on the job (its retries spent, or its last worker died) */
  gaveUp(queueJob: string): Promise<boolean>;
  /** stops taking jobs, lets running ones finish for up to `graceMs` */
  close(graceMs?: number): Promise<void>;
}

/**
 * Runs the engine's long questions as jobs: a row in `jobs` holding the op, its JSON arguments, state, step
 * and progress, handed to a worker by the dispatch; progress reaches subscribers at once in the process
 * that runs the job, and from the row (polled) anywhere else. Progress is written at most every half second.
 *
 * @example
 * const job = await jobs.start('analysis', [request]);
 * jobs.subscribe(job.id, (e) => console.log(e.step, e.progress));
 */
export interface JobRunner {
  /** stores and queues the job, returns at once with its state */
  start<K extends JobKind>(kind: K, args: JobKindArgs<K>): Promise<JobEvent>;
  /** the latest event of a job running here, else its row */
  current(id: number): Promise<JobEvent>;
  subscribe(id: number, listener: (e: JobEvent) => void): () => void;
  /** resolves when no job runs in this process (shutdown, tests) */
  idle(): Promise<void>;
  close(graceMs?: number): Promise<void>;
  readonly durable: boolean;
}

export interface JobRunnerOptions {
  /** take jobs in this process; false for a process that only queues them (default true) */
  work?: boolean;
  /** how often a subscriber re-reads the row of a job running elsewhere, ms (default 500) */
  pollMs?: number;
  /** hears each job this process starts and settles (the worker's log) */
  onJob?: (e: JobEvent) => void;
}

const FLUSH_MS = 500;
/** a job whose row has not moved for this long is checked against the queue (did its worker die for good?) */
const QUIET_MS = 15_000;
const TERMINAL = new Set<JobState>(['succeeded', 'failed']);

function eventOf(row: JobRow): JobEvent {
  return { id: row.id, kind: row.kind, state: row.state, step: row.step, progress: row.progress, result: row.result, error: row.error, attempts: row.attempts };
}

export const WORKER_NAME = `${hostname()}:${process.pid}`;

/** Jobs in this process, one after another as they are sent: for tests, the CLI and single-process use. */
export function localDispatch(): JobDispatch {
  let runner: ((jobId: number, attempt: JobAttempt) => Promise<void>) | null = null;
  return {
    durable: false,
    async send(jobId) {
      // let the caller answer 202 before the job takes the CPU
      setImmediate(() => void runner?.(jobId, { retry: 0, final: true }).catch(() => undefined));
      return null;
    },
    async work(run) { runner = run; },
    gaveUp: async () => false,
    close: async () => { runner = null; },
  };
}

export function createJobRunner(db: Db, engine: Engine, log: (m: string) => void, dispatch: JobDispatch = localDispatch(), options: JobRunnerOptions = {}): JobRunner {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const live = new Map<number, JobEvent>();
  const running = new Set<Promise<unknown>>();
  const pollMs = options.pollMs ?? 500;

  async function execute(jobId: number, attempt: JobAttempt): Promise<void> {
    const row = await claimJob(db, jobId, WORKER_NAME);
    // settled already (a retry after the result was written), or deleted: nothing to do
    if (!row) return;
    const ev: JobEvent = eventOf(row);
    live.set(row.id, ev);
    let lastFlush = 0;
    let writes = Promise.resolve();
    const publish = (flush: boolean) => {
      emitter.emit(`job:${row.id}`, { ...ev });
      const now = Date.now();
      if (flush || now - lastFlush >= FLUSH_MS) {
        lastFlush = now;
        const snapshot = { state: ev.state, step: ev.step, progress: ev.progress };
        // writes are chained so a late progress write never lands after the final state
        writes = writes.then(() => updateJob(db, row.id, snapshot)).catch((e: Error) => log(`job ${row.id}: could not record progress (${e.message})`));
      }
    };
    const settle = async (patch: Partial<JobEvent>) => {
      Object.assign(ev, patch);
      await writes;
      await updateJob(db, row.id, { state: ev.state, step: ev.step, progress: ev.progress, ...(patch.result ? { result: patch.result } : {}), ...(patch.error ? { error: patch.error } : {}) });
      emitter.emit(`job:${row.id}`, { ...ev });
      options.onJob?.({ ...ev });
    };
    emitter.emit(`job:${row.id}`, { ...ev });
    options.onJob?.({ ...ev });
    const report = (step: string, fraction?: number) => {
      const changed = step !== ev.step;
      ev.step = step;
      ev.progress = fraction === undefined ? null : Math.max(0, Math.min(1, fraction));
      publish(changed);
    };
    try {
      if (!isJobKind(row.kind) || row.op !== JOB_KINDS[row.kind].op || !Array.isArray(row.args)) {
        throw new AppError('validation_failed', `job ${row.id}: '${row.kind}' with op '${row.op}' is not a job this version runs`);
      }
      const kind = JOB_KINDS[row.kind];
      const value = await engine.call(kind.op as OpName, row.args as never, report);
      await settle({ state: 'succeeded', step: 'done', progress: 1, result: (kind.result as (v: unknown) => Record<string, unknown>)(value) });
    } catch (e) {
      if (e instanceof AppError || attempt.final) {
        const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'internal_error', message: e instanceof Error ? e.message : String(e) };
        if (!(e instanceof AppError)) log(`job ${row.id} (${row.kind}) failed: ${e instanceof Error ? e.stack : String(e)}`);
        await settle({ state: 'failed', error }).catch(() => undefined);
        return;
      }
      // the queue hands it out again (another worker, or this one)
      log(`job ${row.id} (${row.kind}) failed on attempt ${row.attempts}, retrying: ${e instanceof Error ? e.message : String(e)}`);
      await settle({ state: 'queued', step: `retrying after: ${e instanceof Error ? e.message : String(e)}`, progress: null }).catch(() => undefined);
      throw e;
    } finally {
      // late subscribers read the row instead
      setTimeout(() => live.delete(row.id), 60_000).unref();
    }
  }

  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    p.then(() => running.delete(p), () => running.delete(p));
    return p;
  };

  const ready = options.work === false ? Promise.resolve() : dispatch.work((jobId, attempt) => track(execute(jobId, attempt)));
  ready.catch((e: Error) => log(`jobs: could not start taking jobs (${e.message})`));

  async function current(id: number): Promise<JobEvent> {
    const ev = live.get(id);
    if (ev) return { ...ev };
    const row = await findJob(db, id);
    if (!row) throw AppError.notFound('job', id);
    if (!TERMINAL.has(row.state) && row.queue_job && dispatch.durable && Date.now() - row.updated_at.getTime() > QUIET_MS
      && await dispatch.gaveUp(row.queue_job)) {
      const error = { code: 'internal_error', message: `the worker running this job stopped ${row.attempts} time(s) before it finished; run it again` };
      await updateJob(db, id, { state: 'failed', error });
      return { ...eventOf(row), state: 'failed', error };
    }
    return eventOf(row);
  }

  return {
    durable: dispatch.durable,
    async start(kind, args) {
      const row = await insertJob(db, kind, JOB_KINDS[kind].op, toJson(args));
      await ready;
      const queueJob = await dispatch.send(row.id);
      if (queueJob) await updateJob(db, row.id, { queueJob });
      return eventOf(row);
    },
    current,
    subscribe(id, listener) {
      let last = '';
      const hear = (e: JobEvent) => {
        const key = JSON.stringify(e);
        if (key === last) return;
        last = key;
        listener(e);
      };
      emitter.on(`job:${id}`, hear);
      // a job run by another process moves only in its row
      const poll = setInterval(() => {
        if (live.has(id)) return;
        current(id).then(hear, () => undefined);
      }, pollMs);
      poll.unref();
      return () => {
        clearInterval(poll);
        emitter.off(`job:${id}`, hear);
      };
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async close(graceMs = 5_000) {
      await dispatch.close(graceMs);
      await Promise.race([this.idle(), new Promise((r) => setTimeout(r, graceMs).unref())]);
    },
  };
}

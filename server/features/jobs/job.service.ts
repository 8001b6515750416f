import { EventEmitter } from 'node:events';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import { findJob, insertJob, updateJob } from './job.repository.ts';
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
}

export type JobReport = (step: string, fraction?: number) => void;
export type JobTask = (report: JobReport) => Promise<Record<string, unknown>>;

/**
 * Runs long tasks as jobs: a row in `jobs` that records state, step and progress, and an in-process event
 * stream for Server-Sent Events. Progress reaches the database at most every half second.
 *
 * @example
 * const job = await jobs.start('analysis', async (report) => { report('travel times', 0.5); return { analysisId: 7 }; });
 * jobs.subscribe(job.id, (e) => console.log(e.step, e.progress));
 */
export interface JobRunner {
  /** queues the task and returns at once with the job's state */
  start(kind: string, task: JobTask): Promise<JobEvent>;
  /** runs the task as a job and waits for it; throws what the task throws */
  run(kind: string, task: JobTask): Promise<{ job: JobEvent; result: Record<string, unknown> }>;
  /** the latest event of a job still in memory, else its row */
  current(id: number): Promise<JobEvent>;
  subscribe(id: number, listener: (e: JobEvent) => void): () => void;
  /** resolves when no job is running (shutdown, tests) */
  idle(): Promise<void>;
}

const FLUSH_MS = 500;

function eventOf(row: JobRow): JobEvent {
  return { id: row.id, kind: row.kind, state: row.state, step: row.step, progress: row.progress, result: row.result, error: row.error };
}

export function createJobRunner(db: Db, log: (m: string) => void): JobRunner {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const live = new Map<number, JobEvent>();
  const running = new Set<Promise<unknown>>();

  async function execute(row: JobRow, task: JobTask): Promise<{ job: JobEvent; result: Record<string, unknown> }> {
    const ev: JobEvent = { ...eventOf(row), state: 'running', step: 'starting' };
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
    publish(true);
    const report: JobReport = (step, fraction) => {
      const changed = step !== ev.step;
      ev.step = step;
      ev.progress = fraction === undefined ? null : Math.max(0, Math.min(1, fraction));
      publish(changed);
    };
    try {
      const result = await task(report);
      Object.assign(ev, { state: 'succeeded', step: 'done', progress: 1, result });
      await writes;
      await updateJob(db, row.id, { state: 'succeeded', step: 'done', progress: 1, result });
      emitter.emit(`job:${row.id}`, { ...ev });
      return { job: { ...ev }, result };
    } catch (e) {
      const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'internal_error', message: e instanceof Error ? e.message : String(e) };
      if (!(e instanceof AppError)) log(`job ${row.id} (${row.kind}) failed: ${e instanceof Error ? e.stack : String(e)}`);
      Object.assign(ev, { state: 'failed', error });
      await writes;
      await updateJob(db, row.id, { state: 'failed', error }).catch(() => undefined);
      emitter.emit(`job:${row.id}`, { ...ev });
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

  return {
    async start(kind, task) {
      const row = await insertJob(db, kind);
      live.set(row.id, eventOf(row));
      // let the caller answer 202 before the task takes the CPU
      track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => execute(row, task)).catch(() => undefined));
      return eventOf(row);
    },
    async run(kind, task) {
      const row = await insertJob(db, kind);
      return track(execute(row, task));
    },
    async current(id) {
      const ev = live.get(id);
      if (ev) return { ...ev };
      const row = await findJob(db, id);
      if (!row) throw AppError.notFound('job', id);
      return eventOf(row);
    },
    subscribe(id, listener) {
      emitter.on(`job:${id}`, listener);
      return () => emitter.off(`job:${id}`, listener);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

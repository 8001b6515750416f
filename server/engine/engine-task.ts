import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import { AppError } from '../app/app-error.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { createRegionModelCache } from '../features/regions/region-model-cache.ts';
import { databaseOverPort, reportOverPort } from './database-port.ts';
import { engineOps, type OpName } from './engine-ops.ts';
import { modelStoreOverPort, type SharedModelStore } from './shared-models.ts';

/** One operation sent to a worker thread: its name, arguments, and the port for its queries and progress. */
export interface EngineTask {
  op: OpName;
  args: unknown[];
  port: MessagePort;
}

/** A task's outcome; an AppError crosses as its parts, since a thrown error loses its code between threads. */
export type EngineOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { app: boolean; code: string; message: string; details?: unknown; stack?: string } };

// the task running now (one at a time per thread): its port reaches the hub that shares region models
let current: MessagePort | null = null;
const stores = new WeakMap<MessagePort, SharedModelStore>();
const store = (): SharedModelStore | null => {
  if (!current) return null;
  let s = stores.get(current);
  if (!s) { s = modelStoreOverPort(current); stores.set(current, s); }
  return s;
};
// each worker keeps its region models warm between tasks; one another thread loaded arrives shared, not reloaded
const cache = createRegionModelCache({ shared: store });
const databaseUrl = (workerData as { databaseUrl?: string } | undefined)?.databaseUrl;
// with a PostgreSQL URL the worker has its own pool; the embedded database is reached through the task's port
const direct: Promise<Db> | null = databaseUrl ? openDatabase({ url: databaseUrl }).then((h) => h.db) : null;

/** Runs one task in a worker thread (piscina's handler). */
export default async function runEngineTask(task: EngineTask): Promise<EngineOutcome> {
  const db = direct ? await direct : databaseOverPort(task.port);
  current = task.port;
  try {
    const run = engineOps[task.op] as (c: unknown, ...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await run({ db, cache, report: reportOverPort(task.port) }, ...task.args) };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: { app: true, code: e.code, message: e.message, details: e.details } };
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, error: { app: false, code: 'internal_error', message: err.message, stack: err.stack } };
  } finally {
    current = null;
    if (!direct) await db.destroy();
    task.port.close();
  }
}

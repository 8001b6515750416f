import { setImmediate as nextTurn } from 'node:timers/promises';
import type { MessagePort } from 'node:worker_threads';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Database, Db } from '../db/database.ts';
import type { ModelAnswer, ModelAsk, ModelHub } from './shared-models.ts';

/** Messages on a task's port: the worker asks, the owner of the database answers by id. */
type Ask =
  | { t: 'connect'; id: number }
  | { t: 'query'; id: number; client: number; sql: string; params: unknown[] }
  | { t: 'release'; client: number }
  | { t: 'progress'; step: string; fraction?: number };
type Answer = { t: 'answer'; id: number; value?: unknown; error?: { message: string; [k: string]: unknown } };

// the fields of a pg DatabaseError callers switch on (unique violations, constraint names)
const PG_ERROR_FIELDS = ['code', 'detail', 'constraint', 'table', 'column', 'schema', 'severity'] as const;

/**
 * A Kysely database whose queries go over a MessagePort to the thread that owns the connection (PGlite is
 * one in-process connection, so a worker cannot open its own): `pg.Pool`'s connect/query/release, forwarded.
 *
 * @example const db = databaseOverPort(port); await db.selectFrom('regions').selectAll().execute();
 */
export function databaseOverPort(port: MessagePort): Db {
  let next = 0;
  const waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  port.on('message', (m: Answer) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.fail(Object.assign(new Error(m.error.message), m.error));
    else w.ok(m.value);
  });
  const ask = (m: Omit<Extract<Ask, { id: number }>, 'id'>): Promise<unknown> => new Promise((ok, fail) => {
    const id = ++next;
    waiting.set(id, { ok, fail });
    port.postMessage({ ...m, id });
  });
  const pool = {
    async connect() {
      const client = (await ask({ t: 'connect' })) as number;
      return {
        query: async (sql: string, params: unknown[]) => asBuffers((await ask({ t: 'query', client, sql, params } as never)) as pg.QueryResult),
        release: () => port.postMessage({ t: 'release', client } satisfies Ask),
      };
    },
    end: async () => undefined,
  };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
}

/** Progress from a worker's operation, on the same port as its queries. */
export function reportOverPort(port: MessagePort): (step: string, fraction?: number) => void {
  return (step, fraction) => port.postMessage({ t: 'progress', step, fraction } satisfies Ask);
}

/**
 * The owner's side: answers one task's port from a pool, hands progress on, and passes region models between
 * engine threads through `hub`. `done()` rolls back and releases whatever the task still holds (a worker that
 * died mid-transaction, or mid-load of a region others wait for), so neither the pool nor a waiter is left hanging.
 */
export function serveDatabasePort(port: MessagePort, pool: pg.Pool | null, onProgress: (step: string, fraction?: number) => void, hub?: ModelHub): { done(): Promise<void> } {
  const owner = {};
  const clients = new Map<number, pg.PoolClient>();
  let nextClient = 0;
  const answer = (id: number, value: unknown) => port.postMessage({ t: 'answer', id, value } satisfies Answer);
  const failed = (id: number, e: unknown) => {
    const err = e as Record<string, unknown> & Error;
    const extra = Object.fromEntries(PG_ERROR_FIELDS.filter((k) => err?.[k] !== undefined).map((k) => [k, String(err[k])]));
    port.postMessage({ t: 'answer', id, error: { message: err instanceof Error ? err.message : String(e), ...extra } } satisfies Answer);
  };
  port.on('message', (m: Ask | ModelAsk) => {
    if (m.t === 'progress') return onProgress(m.step, m.fraction);
    if (m.t === 'model-get' || m.t === 'model-put' || m.t === 'model-drop') {
      if (hub) hub.handle(owner, m, (a) => port.postMessage(a));
      else if (m.t === 'model-get') port.postMessage({ t: 'model', id: m.id, parts: null } satisfies ModelAnswer);
      return;
    }
    if (m.t === 'release') {
      clients.get(m.client)?.release();
      clients.delete(m.client);
      return;
    }
    if (m.t === 'connect') {
      if (!pool) return failed(m.id, new Error('database port: this worker has its own database connection'));
      pool.connect().then((c) => { const id = ++nextClient; clients.set(id, c); answer(m.id, id); }, (e) => failed(m.id, e));
      return;
    }
    const c = clients.get(m.client);
    if (!c) return failed(m.id, new Error(`database port: connection ${m.client} is not held`));
    // a turn of the event loop first: the embedded database runs queries on this thread (see database.ts)
    nextTurn().then(() => c.query(m.sql, m.params)).then(
      (r) => answer(m.id, { command: r.command, rowCount: r.rowCount, rows: r.rows }),
      (e) => failed(m.id, e),
    );
  });
  return {
    async done() {
      port.close();
      hub?.release(owner);
      for (const c of clients.values()) {
        await c.query('rollback').catch(() => undefined);
        c.release();
      }
      clients.clear();
    },
  };
}

// a bytea arrives as a Uint8Array after the copy between threads; the readers expect Buffers
function asBuffers(r: pg.QueryResult): pg.QueryResult {
  for (const row of r.rows ?? []) {
    for (const k of Object.keys(row)) {
      const v = row[k];
      if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }
  }
  return r;
}

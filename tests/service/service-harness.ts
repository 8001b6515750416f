import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { bossDispatch } from '../../server/features/jobs/boss-dispatch.ts';
import { createJobRunner } from '../../server/features/jobs/job.service.ts';
import { appDeps, type AppDeps } from '../../server/app/app-deps.ts';
import { createApp } from '../../server/app/create-app.ts';
import { openDatabase, type DatabaseHandle } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { fixtureRegion } from '../../server/features/regions/fixture-region.ts';
import { seedRegion } from '../../server/features/regions/region-seed.ts';
import { withClient } from '../support/postgres.ts';
import { createEnginePool } from '../../server/engine/engine-pool.ts';

export const TOKEN = 'test-token-0123456789';

/** A running service over a real database: the app on a free port, the database handle for row counts. */
export interface Harness {
  backend: 'pglite' | 'postgres';
  url: string;
  deps: AppDeps;
  regionId: number;
  /** fetch under /api with JSON in and the token unless `token: null` */
  api(path: string, init?: { method?: string; body?: unknown; token?: string | null; form?: FormData; headers?: Record<string, string> }): Promise<Response>;
  /** another app on the same database with other settings (read-only, low rate limit) */
  variant(overrides: Partial<AppDeps>): Promise<{ url: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

async function listen(deps: AppDeps): Promise<{ url: string; server: Server }> {
  const server = await new Promise<Server>((ok) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => ok(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((ok) => server.close(() => ok()));
}

/** PGlite in a fresh temp folder. */
export async function pgliteDatabase(): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-it-'));
  const handle = await openDatabase({ dataDir: dir });
  return { handle, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh database lifecircle_it_<random> on the test PostgreSQL server, dropped afterwards. */
export async function postgresDatabase(serverUrl: string): Promise<{ handle: DatabaseHandle; url: string; drop(): Promise<void> }> {
  const name = `lifecircle_it_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  await withClient(admin.toString(), (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  return { handle, url: url.toString(), drop: () => withClient(admin.toString(), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/**
 * Migrates the database, seeds the fixture region, and serves the real app on a free port, its engine in a
 * worker thread as `npm start` runs it (queries forwarded to PGlite; its own pool on PostgreSQL).
 *
 * @example const h = await startHarness(await pgliteDatabase());
 */
export async function startHarness(database: { handle: DatabaseHandle; url?: string; drop(): Promise<void> }): Promise<Harness> {
  const { handle } = database;
  await migrateToLatest(handle.db);
  const regionId = await seedRegion(handle.db, fixtureRegion());
  const engine = createEnginePool({ databaseUrl: database.url, pool: handle.pool, threads: 1 });
  const log = process.env.LIFECIRCLE_TEST_LOG ? (...a: unknown[]) => console.error(...a) : () => undefined;
  // background jobs through the durable queue, as `npm start` runs them (pg-boss on PGlite or PostgreSQL)
  const jobs = createJobRunner(handle.db, engine, log, await bossDispatch({ url: database.url, pool: handle.pool, concurrency: 1, log }));
  const deps = appDeps({
    db: handle.db, databaseKind: handle.kind, token: TOKEN, log, engine, jobs,
    limits: { jsonBytes: 256 * 1024, uploadBytes: 4 * 1024 * 1024, heavyPerMinute: 10_000 },
  });
  const main = await listen(deps);
  const others: Server[] = [];
  return {
    backend: handle.kind, url: main.url, deps, regionId,
    api(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const token = init.token === undefined ? TOKEN : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: BodyInit | undefined;
      if (init.form) body = init.form;
      else if (init.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      }
      return fetch(`${main.url}/api${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
    },
    async variant(overrides) {
      const v = await listen({ ...deps, ...overrides, limits: { ...deps.limits, ...overrides.limits } });
      others.push(v.server);
      return { url: v.url, close: () => closeServer(v.server) };
    },
    async close() {
      await Promise.all([main.server, ...others].map((s) => (s.listening ? closeServer(s) : undefined)));
      await deps.jobs.close();
      await deps.engine.close();
      await handle.close();
      await database.drop();
    },
  };
}

/** Rows per table, to show a rejected import wrote nothing. */
export async function rowCounts(h: Harness): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['regions', 'admin_units', 'population_grids', 'road_networks', 'facilities', 'imports'] as const) {
    const r = await h.deps.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** A multipart form with one file and string fields. */
export function uploadForm(file: Uint8Array | string, fileName: string, fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof file === 'string' ? Buffer.from(file, 'utf8') : Uint8Array.from(file)]), fileName);
  return form;
}

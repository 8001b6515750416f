import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appDeps, DEFAULT_LIMITS, DEFAULT_TILE_HOSTS } from './app/app-deps.ts';
import { createApp } from './app/create-app.ts';
import { openService } from './app/open-service.ts';
import { createEnginePool } from './engine/engine-pool.ts';
import { createRegionModelCache } from './features/regions/region-model-cache.ts';
import { inlineEngine } from './engine/engine.ts';
import { bossDispatch } from './features/jobs/boss-dispatch.ts';
import { createJobRunner } from './features/jobs/job.service.ts';

// the project folder, wherever `npm start` was run from
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const log = (m: string) => process.stdout.write(`${m}\n`);

/** A whole number from the environment, or the fallback when unset; anything else stops the start. */
function count(name: string, fallback: number | undefined): number | undefined {
  const v = process.env[name]?.trim();
  if (!v) return fallback;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number, found '${v}'`);
  return Number(v);
}

function flag(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

/** The write token: LIFECIRCLE_TOKEN, else one generated and kept beside the embedded database. */
async function writeToken(dataDir: string, embedded: boolean): Promise<{ token: string; generated: boolean }> {
  const fromEnv = process.env.LIFECIRCLE_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, generated: false };
  const file = join(dataDir, 'token');
  if (embedded) {
    const kept = (await readFile(file, 'utf8').catch(() => '')).trim();
    if (kept) return { token: kept, generated: true };
  }
  const token = randomBytes(24).toString('base64url');
  if (embedded) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  }
  return { token, generated: true };
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, found '${process.env.PORT}'`);
  const host = process.env.HOST ?? '127.0.0.1';
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(ROOT, process.env.LIFECIRCLE_DATA_DIR ?? '.lifecircle');
  const readOnly = flag(process.env.LIFECIRCLE_READ_ONLY);
  const webDist = join(ROOT, 'web', 'dist');

  log('lifecircle 生活圈 starting');
  const { handle, seed } = await openService({ databaseUrl, dataDir: join(dataDir, 'db'), log });
  if (seed.seeded) log(`  seeded region ${seed.regionId} (${seed.seeded === 'yuechi' ? 'Yuechi demo' : 'small fixture region'})`);
  const { token, generated } = await writeToken(dataDir, handle.kind === 'pglite');
  const extraHosts = (process.env.LIFECIRCLE_TILE_HOSTS ?? '').split(/[\s,]+/).filter(Boolean);
  // the engine runs in worker threads (one fewer than the cores) unless LIFECIRCLE_ENGINE_THREADS=0
  const threads = count('LIFECIRCLE_ENGINE_THREADS', undefined);
  const cache = createRegionModelCache();
  const engine = threads === 0 ? inlineEngine(handle.db, cache)
    : createEnginePool({ databaseUrl, pool: handle.pool, threads, idleMs: count('LIFECIRCLE_ENGINE_IDLE_MS', 0) });
  const heavyPerMinute = count('LIFECIRCLE_HEAVY_PER_MINUTE', undefined);
  // background jobs go through the durable queue; LIFECIRCLE_WORK_JOBS=0 leaves them to `lifecircle worker` processes
  const workJobs = process.env.LIFECIRCLE_WORK_JOBS === undefined || flag(process.env.LIFECIRCLE_WORK_JOBS);
  if (!workJobs && !databaseUrl) throw new Error('LIFECIRCLE_WORK_JOBS=0 needs DATABASE_URL: workers in other processes cannot reach the embedded database');
  const dispatch = await bossDispatch({ url: databaseUrl, pool: handle.pool, concurrency: Math.max(1, engine.threads), log });
  const jobs = createJobRunner(handle.db, engine, log, dispatch, { work: workJobs });
  const deps = appDeps({
    cache, engine, jobs, ...(heavyPerMinute ? { limits: { ...DEFAULT_LIMITS, heavyPerMinute } } : {}),
    db: handle.db, databaseKind: handle.kind, token, readOnly, webDist: existsSync(join(webDist, 'index.html')) ? webDist : null, log,
    tileHosts: [...DEFAULT_TILE_HOSTS, ...extraHosts],
  });
  const app = createApp(deps);
  let server: Server;
  try {
    server = await new Promise((ok, fail) => {
      const s = createServer(app);
      s.once('error', fail);
      s.listen(port, host, () => ok(s));
    });
  } catch (e) {
    await jobs.close(0);
    await engine.close();
    await handle.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'EADDRINUSE' ? `port ${port} on ${host} is in use (another lifecircle?); set PORT to another port`
      : code === 'EACCES' ? `port ${port} on ${host} needs privileges; set PORT above 1024` : `cannot listen on ${host}:${port} (${(e as Error).message})`);
  }
  const address = server.address();
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${shown}:${typeof address === 'object' && address ? address.port : port}/`;
  // the token rides in the fragment, which never reaches a server or its logs; the page keeps it and strips it
  log(`\n  lifecircle is serving ${url}${readOnly ? '' : `#token=${token}`}`);
  log(`  engine:   ${engine.threads === 0 ? 'on the HTTP thread (LIFECIRCLE_ENGINE_THREADS=0)' : `${engine.threads} worker thread(s)`}`);
  log(`  database: ${handle.kind === 'pglite' ? `embedded PGlite in ${handle.location}` : `PostgreSQL ${handle.location}`}`);
  log(`  jobs:     ${!workJobs ? 'queued for `lifecircle worker` processes (LIFECIRCLE_WORK_JOBS=0)' : databaseUrl ? 'durable queue in PostgreSQL, worked here and by any `lifecircle worker` on it' : 'durable queue in the embedded database, worked in this process'}`);
  log(`  web app:  ${deps.webDist ? deps.webDist : 'not built (web/dist missing): a placeholder page links the API docs'}`);
  log(`  API docs: ${url}api/docs`);
  if (readOnly) log('  read-only: writes are refused (LIFECIRCLE_READ_ONLY)');
  else log(`  write token: ${token}${generated ? `  (generated${handle.kind === 'pglite' ? `, kept in ${join(dataDir, 'token')}` : ''}; set LIFECIRCLE_TOKEN to choose one)` : ''}`);
  log(`  try: curl -X POST -H 'Authorization: Bearer ${readOnly ? 'TOKEN' : token}' -H 'Content-Type: application/json' -d '{"preset":"elderly-care-15min"}' ${url}api/analyses\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log(`lifecircle: ${signal}, closing`);
    server.close();
    server.closeAllConnections();
    await jobs.close(5000);
    await engine.close();
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: Error) => {
  process.stderr.write(`lifecircle: ${e.message}\n`);
  process.exit(1);
});

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian's postgresql-15 puts its server binaries. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';
const EXTENSION_DIR = '/usr/share/postgresql/15/extension';
const DATABASE = 'lifecircle_test';

/** A running throwaway cluster; `stop` is synchronous so it can run from a process 'exit' handler. */
export interface EphemeralPostgres {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  stop(): void;
}

/**
 * Says why a database test did not run and how to make it run.
 *
 * @example
 * console.warn(skipMessage('pgRouting reference for Porto Alegre'));
 */
export function skipMessage(what: string): string {
  return (
    'skipped: PostgreSQL with PostGIS/pgRouting not available ' +
    '(set LIFECIRCLE_TEST_PG_URL or install postgresql-15-postgis-3 postgresql-15-pgrouting); ' +
    what
  );
}

/** True when this machine can run an ephemeral PostgreSQL 15 with PostGIS and pgRouting. */
export function canStartEphemeralPostgres(): boolean {
  return (
    existsSync(join(PG_BIN, 'initdb')) &&
    existsSync(join(EXTENSION_DIR, 'postgis.control')) &&
    existsSync(join(EXTENSION_DIR, 'pgrouting.control'))
  );
}

// one cluster per process even when vitest re-evaluates this module for each test file
const CLUSTER_KEY = Symbol.for('lifecircle.tests.ephemeralPostgres');
type GlobalWithCluster = typeof globalThis & { [CLUSTER_KEY]?: Promise<EphemeralPostgres> };

/**
 * The URL of a PostGIS + pgRouting database for tests: LIFECIRCLE_TEST_PG_URL when set, else a cluster
 * started for this process (stopped when it exits), else undefined.
 *
 * @example
 * const url = await testDatabaseUrl();
 * describe.skipIf(!url)('routing', () => { ... });
 */
export async function testDatabaseUrl(): Promise<string | undefined> {
  const fromEnv = process.env.LIFECIRCLE_TEST_PG_URL;
  if (fromEnv) return fromEnv;
  if (!canStartEphemeralPostgres()) return undefined;
  const g = globalThis as GlobalWithCluster;
  g[CLUSTER_KEY] ??= startEphemeralPostgres();
  return (await g[CLUSTER_KEY]).url;
}

/**
 * Opens a client, hands it to `fn`, and always closes it.
 *
 * @example
 * const n = await withClient(url, async (c) => (await c.query('SELECT 1 AS n')).rows[0].n);
 */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Initialises and starts a PostgreSQL 15 cluster in a temp dir (trust auth, localhost, a free port,
 * durability off), creates database `lifecircle_test` with postgis and pgrouting, and arranges for the
 * cluster to be stopped and deleted when this process exits, even if it is killed.
 *
 * @example
 * const pg = await startEphemeralPostgres();
 * try { ... pg.url ... } finally { pg.stop(); }
 */
export async function startEphemeralPostgres(): Promise<EphemeralPostgres> {
  if (!canStartEphemeralPostgres()) {
    throw new Error(`expected PostgreSQL 15 with PostGIS and pgRouting under ${PG_BIN} and ${EXTENSION_DIR}, found none`);
  }
  const root = mkdtempSync(join(tmpdir(), 'lifecircle-pg-'));
  const dataDir = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  // postgres refuses to run as root, so the cluster belongs to the postgres OS user
  if (asRoot) chownSync(root, uidOf('postgres'), gidOf('postgres'));
  const run = (bin: string, args: string[]): void => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]] : [join(PG_BIN, bin), args];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: root });
    if (r.status !== 0) {
      throw new Error(`${bin} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
    }
  };

  const port = await freePort();
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    const ctl = [join(PG_BIN, 'pg_ctl'), '-D', dataDir, 'stop', '-m', 'immediate', '-w'];
    spawnSync(asRoot ? 'runuser' : ctl[0], asRoot ? ['-u', 'postgres', '--', ...ctl] : ctl.slice(1), { stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
    process.off('exit', stop);
  };
  process.on('exit', stop);

  const serverOptions = [
    `-p ${port}`,
    `-k ${root}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=40',
  ].join(' ');
  try {
    run('pg_ctl', ['-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '60', '-o', serverOptions, 'start']);
  } catch (err) {
    stop();
    throw err;
  }
  spawnWatchdog(process.pid, dataDir, root, asRoot);

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const url = `postgres://postgres@127.0.0.1:${port}/${DATABASE}`;
  try {
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${DATABASE}`));
    await withClient(url, (c) => c.query('CREATE EXTENSION postgis; CREATE EXTENSION pgrouting;'));
  } catch (err) {
    stop();
    throw err;
  }
  return { url, port, dataDir, stop };
}

// vitest may end a worker with a signal, which skips 'exit' handlers; a detached shell outlives it and cleans up
function spawnWatchdog(pid: number, dataDir: string, root: string, asRoot: boolean): void {
  const ctl = `${join(PG_BIN, 'pg_ctl')} -D '${dataDir}' stop -m immediate`;
  const script = [
    `while kill -0 ${pid} 2>/dev/null; do sleep 1; done`,
    `if [ -d '${dataDir}' ]; then ${asRoot ? `runuser -u postgres -- ${ctl}` : ctl} >/dev/null 2>&1; fi`,
    `rm -rf '${root}'`,
  ].join('\n');
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not find a free TCP port'))));
    });
  });
}

import { mkdir } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { BuildableLandTable } from '../features/buildable/buildable.table.ts';
import type { AnalysisRunTable } from '../features/analyses/analysis.table.ts';
import type { ComplianceReportTable } from '../features/compliance/compliance.table.ts';
import type { FacilityTable } from '../features/facilities/facility.table.ts';
import type { ImportTable } from '../features/imports/import.table.ts';
import type { JobTable } from '../features/jobs/job.table.ts';
import type { AdminUnitTable, PopulationGridTable, RegionTable, RoadNetworkTable, VillageZoneTable } from '../features/regions/region.table.ts';
import type { ScenarioTable } from '../features/scenarios/scenario.table.ts';
import type { TileResultTable, TileRunTable } from '../features/tiles/tile-run.table.ts';

/** Every table, as Kysely sees it. */
export interface Database {
  regions: RegionTable;
  admin_units: AdminUnitTable;
  village_zones: VillageZoneTable;
  population_grids: PopulationGridTable;
  road_networks: RoadNetworkTable;
  facilities: FacilityTable;
  imports: ImportTable;
  scenarios: ScenarioTable;
  analysis_runs: AnalysisRunTable;
  jobs: JobTable;
  compliance_reports: ComplianceReportTable;
  buildable_land: BuildableLandTable;
  tile_runs: TileRunTable;
  tile_results: TileResultTable;
}

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  /** 'pglite' for the embedded default, 'postgres' for DATABASE_URL */
  kind: 'pglite' | 'postgres';
  /** where the data lives: the folder or the URL without its password */
  location: string;
  /** the pg pool under `db`: engine workers send the embedded database's queries to it */
  pool: pg.Pool;
  close(): Promise<void>;
}

export type DatabaseOptions = { url: string } | { dataDir: string };

// the pool under a PostgreSQL-backed Kysely: what a query Kysely cannot express (binary results) goes through
const postgresPools = new WeakMap<object, pg.Pool>();

/** The pg pool under `db` when it is a real PostgreSQL opened by `openDatabase`; null for PGlite or a transaction. */
export function postgresPoolOf(db: object): pg.Pool | null {
  return postgresPools.get(db) ?? null;
}

/**
 * Kysely over `pg` for both backends: a real PostgreSQL from a URL, or PGlite (embedded PostgreSQL in
 * WebAssembly) in a folder, created on first use, through its node-postgres adapter.
 *
 * @example
 * const { db, close } = await openDatabase({ dataDir: '.lifecircle/db' });
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if ('url' in options) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // an idle connection the server ends (a restart, an administrator, a dropped database) is an 'error' on the
    // pool; unheard, it would end the process. The pool opens a new connection when next asked
    pool.on('error', (e) => console.warn(`database: an idle connection was closed (${e.message}); a new one opens when needed`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    postgresPools.set(db, pool);
    return { db, kind: 'postgres', location: redactUrl(options.url), pool, close: () => db.destroy() };
  }
  await mkdir(options.dataDir, { recursive: true });
  const pglite = new PGlite(options.dataDir);
  await pglite.waitReady;
  // PGlite is one connection: a pool of one that never drops it, so transactions queue instead of failing
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0 } as pg.PoolConfig);
  // PGlite runs each query on this thread and settles at once: without a turn of the event loop between
  // queued queries, a queue of them (and their handlers) would hold the loop for seconds
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, onReserveConnection: () => nextTurn() }) });
  return {
    db, kind: 'pglite', location: options.dataDir, pool,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** A connection URL safe to print: the password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

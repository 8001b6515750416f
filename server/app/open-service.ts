import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { removeStaleUploads } from '../features/imports/upload-file.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { seedDemoIfEmpty, type SeedOutcome } from '../features/regions/demo-seed.ts';

export interface ServiceOptions {
  /** a PostgreSQL URL (DATABASE_URL); without it, PGlite in `dataDir` */
  databaseUrl?: string;
  /** folder for the embedded database, created on first use */
  dataDir: string;
  /** store the Yuechi demo when the database has no region yet; default true */
  seed?: boolean;
  log: (message: string) => void;
}

export interface OpenedService {
  handle: DatabaseHandle;
  migrations: string[];
  seed: SeedOutcome;
}

/**
 * Opens the database (PostgreSQL from a URL, else PGlite in a folder), applies pending migrations and seeds
 * the demo on first start (jobs a previous process left are the queue's: it hands them out again). Shared by `npm start` and the CLI.
 *
 * @example const { handle } = await openService({ dataDir: '.lifecircle/db', log: console.log });
 */
export async function openService(o: ServiceOptions): Promise<OpenedService> {
  // one process per embedded folder: a second PGlite on it would fail the first one's jobs and corrupt it
  const lock = o.databaseUrl ? null : await lockDataDir(o.dataDir);
  let opened: DatabaseHandle;
  try {
    opened = await openDatabase(o.databaseUrl ? { url: o.databaseUrl } : { dataDir: o.dataDir });
  } catch (e) {
    await lock?.release();
    throw e;
  }
  const handle: DatabaseHandle = lock === null ? opened : { ...opened, close: async () => { try { await opened.close(); } finally { await lock.release(); } } };
  try {
    const migrations = await migrateToLatest(handle.db);
    if (migrations.length > 0) o.log(`  database: applied ${migrations.join(', ')}`);
    const leftovers = await removeStaleUploads();
    if (leftovers > 0) o.log(`  uploads: removed ${leftovers} temp folder(s) left by a stopped process`);
    const seed = o.seed === false ? { seeded: null, regionId: null } : await seedDemoIfEmpty(handle.db, o.log);
    return { handle, migrations, seed };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.ts';
import * as initial from './migrations/2026-11-29-initial.ts';
import * as complianceReports from './migrations/2026-11-30-compliance-reports.ts';
import * as durableJobs from './migrations/2026-12-03-durable-jobs.ts';
import * as buildableLand from './migrations/2026-12-04-buildable-land.ts';
import * as villageZones from './migrations/2026-12-04-village-zones.ts';
import * as regionRevisions from './migrations/2026-12-04-region-revisions.ts';
import * as gapsGzip from './migrations/2026-12-04-gaps-gzip.ts';
import * as tileRuns from './migrations/2026-12-05-tile-runs.ts';

// listed in code, not read from a folder, so the same list works under tsx, vitest and a bundle
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-29-initial': initial,
  '2026-11-30-compliance-reports': complianceReports,
  '2026-12-03-durable-jobs': durableJobs,
  '2026-12-04-buildable-land': buildableLand,
  '2026-12-04-village-zones': villageZones,
  '2026-12-04-region-revisions': regionRevisions,
  '2026-12-04-gaps-gzip': gapsGzip,
  '2026-12-05-tile-runs': tileRuns,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Applies every pending migration, in name (date) order; throws naming the one that failed.
 *
 * @example await migrateToLatest(db);
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

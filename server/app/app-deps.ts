import type { Db } from '../db/database.ts';
import type { JobRunner } from '../features/jobs/job.service.ts';
import { createJobRunner } from '../features/jobs/job.service.ts';
import { createRegionModelCache, type RegionModelCache } from '../features/regions/region-model-cache.ts';
import { inlineEngine, type Engine } from '../engine/engine.ts';

/** Size and rate limits; the defaults suit a county-sized upload on a laptop. */
export interface AppLimits {
  /** largest JSON body, bytes */
  jsonBytes: number;
  /** largest uploaded file, bytes */
  uploadBytes: number;
  /** heavy requests (analyses, imports, what-if, exports) per client per minute */
  heavyPerMinute: number;
}

/** What the app needs from outside: the database, the write token, and the in-memory services. */
export interface AppDeps {
  db: Db;
  databaseKind: 'pglite' | 'postgres';
  token: string;
  readOnly: boolean;
  limits: AppLimits;
  cache: RegionModelCache;
  /** where analyses, what-if, sites, compliance and isochrones run: worker threads in the service */
  engine: Engine;
  jobs: JobRunner;
  /** folder with the built web app (index.html), or null to serve the placeholder page */
  webDist: string | null;
  /** origins the map may fetch optional basemap tiles from (Content-Security-Policy) */
  tileHosts: string[];
  log: (message: string) => void;
}

/** Tianditu, the official basemap, is the one online source allowed by default; LIFECIRCLE_TILE_HOSTS adds others. */
export const DEFAULT_TILE_HOSTS = ['https://*.tianditu.gov.cn'];

export const DEFAULT_LIMITS: AppLimits = { jsonBytes: 2 * 1024 * 1024, uploadBytes: 200 * 1024 * 1024, heavyPerMinute: 60 };

/**
 * Fills in the in-memory parts and defaults around a database and a token.
 *
 * @example const app = createApp(appDeps({ db, databaseKind: 'pglite', token }));
 */
export function appDeps(d: Pick<AppDeps, 'db' | 'databaseKind' | 'token'> & Partial<AppDeps>): AppDeps {
  const log = d.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const cache = d.cache ?? createRegionModelCache();
  const engine = d.engine ?? inlineEngine(d.db, cache);
  return {
    readOnly: false,
    webDist: null,
    tileHosts: DEFAULT_TILE_HOSTS,
    cache,
    engine,
    jobs: d.jobs ?? createJobRunner(d.db, engine, log),
    ...d,
    log,
    limits: { ...DEFAULT_LIMITS, ...d.limits },
  };
}

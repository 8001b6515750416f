import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../server/app/app-error.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createEnginePool } from '../server/engine/engine-pool.ts';
import { inlineEngine, type Engine } from '../server/engine/engine.ts';
import { parseAnalysisRequest } from '../server/features/analyses/analysis-request.ts';
import { fixtureRegion } from '../server/features/regions/fixture-region.ts';
import { createRegionModelCache } from '../server/features/regions/region-model-cache.ts';
import { seedRegion } from '../server/features/regions/region-seed.ts';
import { parseEdits } from '../server/features/scenarios/scenario-edits.ts';
import { pgliteDatabase } from './service/service-harness.ts';

// the worker pool against the same operations run on this thread (the oracle: the plain service functions)
describe('engine pool (worker threads)', () => {
  let database: Awaited<ReturnType<typeof pgliteDatabase>>;
  let regionId: number;
  let pool: Engine;
  let inline: Engine;
  beforeAll(async () => {
    database = await pgliteDatabase();
    await migrateToLatest(database.handle.db);
    regionId = await seedRegion(database.handle.db, fixtureRegion());
    pool = createEnginePool({ pool: database.handle.pool, threads: 1, filename: new URL('./support/crashing-engine-worker.mjs', import.meta.url).href });
    inline = inlineEngine(database.handle.db, createRegionModelCache());
  });
  afterAll(async () => {
    await pool?.close();
    await database?.handle.close();
    await database?.drop();
  });

  const timeless = <T>(v: T): T => JSON.parse(JSON.stringify(v, (k, x) => (k === 'ms' || k === 'engineMs' || k === 'id' || k.endsWith('At') || k === 'self' || k === 'gaps' || k === 'reportCsv' || k === 'reportHtml' ? undefined : x)));

  test('an analysis, a what-if and an indicator report answer in a worker exactly as on this thread', async () => {
    const request = parseAnalysisRequest({ regionId, preset: 'elderly-care-15min' });
    const steps: string[] = [];
    const [a, b] = [await pool.call('runAnalysis', [request], (s) => steps.push(s)), await inline.call('runAnalysis', [request])];
    expect(a.id).not.toBe(b.id);
    expect(timeless(a)).toEqual(timeless(b));
    expect(a.summary.population.total).toBeGreaterThan(0);
    // progress crosses the thread on the task's port
    expect(steps).toContain('filing the run');
    const edits = parseEdits([{ op: 'add', id: 'new-1', lon: 106.5, lat: 30.5, category: 'elderly_station' }]);
    const options = { gaps: 'changed' as const };
    expect(timeless(await pool.call('whatIf', [request, edits, null, options]))).toEqual(timeless(await inline.call('whatIf', [request, edits, null, options])));
    expect(timeless(await pool.call('indicatorReport', [regionId, null]))).toEqual(timeless(await inline.call('indicatorReport', [regionId, null])));
  });

  test('an AppError thrown in a worker reaches the caller with its code and status', async () => {
    const err = await pool.call('runAnalysis', [parseAnalysisRequest({ regionId: 999, preset: 'elderly-care-15min' })]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('not_found');
    expect((err as AppError).status).toBe(404);
  });

  test('a worker that dies mid-transaction fails its call only: the write is rolled back, the database and the pool go on', async () => {
    const before = await database.handle.db.selectFrom('regions').select('name').execute();
    const err = await pool.call('crash' as never, [] as never).catch((e: unknown) => e as Error);
    expect(String(err)).toMatch(/engine worker stopped during 'crash'/);
    // PGlite is a pool of one: a transaction left open would hang this read
    const after = await database.handle.db.selectFrom('regions').select('name').execute();
    expect(after).toEqual(before);
    const again = await pool.call('runAnalysis', [parseAnalysisRequest({ regionId, preset: 'elderly-care-15min' })]);
    expect(again.summary.population.total).toBeGreaterThan(0);
  });
});

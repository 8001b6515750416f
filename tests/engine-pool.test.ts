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
import { MessageChannel } from 'node:worker_threads';
import { gridFromPoints } from '../analysis/grid/population-grid.ts';
import { serveDatabasePort } from '../server/engine/database-port.ts';
import { createModelHub, modelStoreOverPort, toSharedParts, type SharedModelParts } from '../server/engine/shared-models.ts';
import { generatedNetwork } from './support/generated-network.ts';
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

// two engine threads asked at once about one region: it is loaded from the database once and shared
describe('engine pool shares region models between threads', () => {
  let database: Awaited<ReturnType<typeof pgliteDatabase>>;
  let regionId: number;
  let pool: Engine;
  beforeAll(async () => {
    database = await pgliteDatabase();
    await migrateToLatest(database.handle.db);
    regionId = await seedRegion(database.handle.db, fixtureRegion());
    pool = createEnginePool({ pool: database.handle.pool, threads: 2 });
  });
  afterAll(async () => {
    await pool?.close();
    await database?.handle.close();
    await database?.drop();
  });

  test('two analyses at once on two threads: one loads the region, the other gets it shared, and both answer as on this thread', async () => {
    const steps: string[][] = [[], []];
    const requests = [parseAnalysisRequest({ regionId, preset: 'elderly-care-15min' }), parseAnalysisRequest({ regionId, preset: 'basic-public-service' })];
    const answers = await Promise.all(requests.map((r, k) => pool.call('runAnalysis', [r], (s) => steps[k].push(s))));
    const all = steps.flat();
    expect(all.filter((s) => s === 'loading the region')).toHaveLength(1);
    expect(all.filter((s) => s === 'region shared by another engine thread')).toHaveLength(1);
    const inline = inlineEngine(database.handle.db, createRegionModelCache());
    const noMs = <T>(v: T): T => JSON.parse(JSON.stringify(v, (key, x) => (key === 'ms' || key === 'engineMs' ? undefined : x)));
    for (let k = 0; k < 2; k++) expect(noMs(answers[k].summary)).toEqual(noMs((await inline.call('runAnalysis', [requests[k]])).summary));
  });
});

describe('model hub', () => {
  const parts = { grid: {}, units: {}, network: null, urbanRule: 'input', synthetic: true } as unknown as SharedModelParts;
  test('one asker loads, the others wait for its put; a loader that ends without putting hands the load to the next', () => {
    const hub = createModelHub();
    const a = {}, b = {}, c = {};
    const got: Array<[string, unknown]> = [];
    const ask = (who: object, name: string) => hub.handle(who, { t: 'model-get', id: 1, key: 'r1' }, (m) => got.push([name, m.parts]));
    ask(a, 'a');
    ask(b, 'b');
    ask(c, 'c');
    // a was told to load; b and c wait
    expect(got).toEqual([['a', null]]);
    hub.release(a);
    // a ended without a put: b loads now, c still waits, on b
    expect(got).toEqual([['a', null], ['b', null]]);
    hub.handle(b, { t: 'model-put', key: 'r1', parts }, () => undefined);
    expect(got).toEqual([['a', null], ['b', null], ['c', parts]]);
    // held now: the next asker gets it at once
    ask({}, 'd');
    expect(got.at(-1)).toEqual(['d', parts]);
  });
});

describe('shared model parts crossing threads', () => {
  test('a put through one task port comes back from another whole: way ids, projection, and arrays in SharedArrayBuffers', async () => {
    const network = generatedNetwork(41, 12);
    const grid = gridFromPoints({ lon: Float64Array.of(106.401, 106.405), lat: Float64Array.of(30.501, 30.505), population: Float64Array.of(3, 4) });
    const parts = toSharedParts({ grid, units: { names: [], codes: [], features: [] }, network, urbanRule: 'input', synthetic: true });
    const hub = createModelHub();
    const a = new MessageChannel(), b = new MessageChannel();
    const servedA = serveDatabasePort(a.port1, null, () => undefined, hub), servedB = serveDatabasePort(b.port1, null, () => undefined, hub);
    try {
      const storeA = modelStoreOverPort(a.port2), storeB = modelStoreOverPort(b.port2);
      expect(await storeA.get('r|1')).toBeNull();
      storeA.put('r|1', parts);
      const got = (await storeB.get('r|1'))!;
      expect(got.network!.wayIds).toEqual(network.wayIds);
      expect(Array.isArray(got.network!.wayIds)).toBe(true);
      expect(got.network!.proj.forward(106.41, 30.51)).toEqual(network.proj.forward(106.41, 30.51));
      expect(got.network!.segLength.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(got.grid.population.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(got.network!.segLength)).toEqual(Array.from(network.segLength));
    } finally {
      await servedA.done(); await servedB.done();
      a.port2.close(); b.port2.close();
    }
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBatch, type Batch } from '../../server/app/batch.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { fixtureRegion } from '../../server/features/regions/fixture-region.ts';
import { seedRegion } from '../../server/features/regions/region-seed.ts';

// the CLI's way in (`lifecircle --db URL ...`): the same service functions on the same database
describe('batch entry point for the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-batch-'));
  let batch: Batch;
  let regionId = 0;

  beforeAll(async () => {
    const first = await openDatabase({ dataDir: join(dir, 'db') });
    await migrateToLatest(first.db);
    regionId = await seedRegion(first.db, fixtureRegion());
    await first.close();
    batch = await openBatch(join(dir, 'db'), { log: () => undefined });
  }, 120_000);

  afterAll(async () => {
    await batch?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs and files an analysis, and writes its report', async () => {
    expect(batch.kind).toBe('pglite');
    expect((await batch.regions()).map((r) => r.id)).toEqual([regionId]);
    const steps: string[] = [];
    const run = await batch.analyze({ preset: 'elderly-care-15min' }, (s) => steps.push(s));
    expect(run.units).toHaveLength(2);
    expect(steps).toContain('coverage per township');
    const csv = await batch.report(run.id, 'csv');
    expect(String(csv.body)).toContain('测试街道');
  });

  it('runs the region as county tiles on the queue and waits for the merge (lifecircle db tiled-run)', async () => {
    const steps: string[] = [];
    const run = await batch.tiledRun({ regionId, mode: 'walk', minutes: 10, categories: ['elderly_station'] }, { work: true }, (s) => steps.push(s));
    expect(run.state).toBe('merged');
    expect(run.tiles).toBe(2);
    // the fixture's residents, from its own rule: 20 + ((7i + 13j) mod 30) at i = 1..39, j = 1..19
    let residents = 0;
    for (let i = 1; i < 40; i++) for (let j = 1; j < 20; j++) residents += 20 + ((i * 7 + j * 13) % 30);
    expect(run.summary!.rollup.reduce((a, u) => a + u.population, 0)).toBeCloseTo(residents, 6);
    // the same question untiled, filed as an analysis of an explicit circle
    const untiled = await batch.analyze({ categories: ['elderly_station'], mode: 'walk', minutes: 10, population: 'all' });
    expect(run.summary!.coverage.population.covered).toBeCloseTo((untiled.summary as { population: { covered: number } }).population.covered, 6);
  }, 60_000);

  it('imports a local file all or nothing, as an upload would be', async () => {
    const good = join(dir, 'stations.csv');
    writeFileSync(good, 'name,category,lon,lat\n站,elderly_station,106.433,30.537\n');
    expect((await batch.importFile(regionId, good, { kind: 'facilities' })).written).toEqual({ facilities: 1 });
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'name,category,lon\n站,elderly_station,106.433\n');
    await expect(batch.importFile(regionId, bad, { kind: 'facilities' })).rejects.toMatchObject({ code: 'missing_field', status: 422 });
  });
});

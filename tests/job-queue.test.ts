// The durable job queue on a real PostgreSQL: jobs queued by a process that does not work them (a web tier)
// are taken by `lifecircle worker` processes (bin/lifecircle.js: the compiled CLI when fresh, as installed);
// a worker killed mid-job has the job redone by another, once, with progress still heard by the queuing
// process; a job that fails on its input is not retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDeps } from '../server/app/app-deps.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { parseAnalysisRequest } from '../server/features/analyses/analysis-request.ts';
import { bossDispatch } from '../server/features/jobs/boss-dispatch.ts';
import { createJobRunner, type JobEvent, type JobRunner } from '../server/features/jobs/job.service.ts';
import { fixtureRegion } from '../server/features/regions/fixture-region.ts';
import { seedRegion } from '../server/features/regions/region-seed.ts';
import { skipMessage, testDatabaseUrl } from './support/postgres.ts';
import { startWorker, waitFor, type Worker } from './support/queue-worker.ts';
import { postgresDatabase } from './service/service-harness.ts';

const serverUrl = await testDatabaseUrl();


describe.skipIf(!serverUrl)('durable job queue on PostgreSQL (pg-boss)', () => {
  let database: { handle: DatabaseHandle; url: string; drop(): Promise<void> };
  let jobs: JobRunner;
  let regionId: number;
  const workers: Worker[] = [];

  beforeAll(async () => {
    database = await postgresDatabase(serverUrl!);
    await migrateToLatest(database.handle.db);
    regionId = await seedRegion(database.handle.db, fixtureRegion());
    // this process only queues, as a service started with LIFECIRCLE_WORK_JOBS=0 does
    const log = () => undefined;
    const deps = appDeps({ db: database.handle.db, databaseKind: 'postgres', token: 't', log });
    jobs = createJobRunner(deps.db, deps.engine, log, await bossDispatch({ url: database.url, concurrency: 1, log }), { work: false });
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await jobs?.close(0);
    await database?.handle.close();
    await database?.drop();
  });

  it('redoes the job of a worker killed mid-run on another worker, once, and the queuing process hears it finish', async () => {
    const first = await startWorker(database.url);
    workers.push(first);
    const job = await jobs.start('analysis', [parseAnalysisRequest({ regionId, preset: 'elderly-care-15min' })]);
    const heard: JobEvent[] = [];
    const stop = jobs.subscribe(job.id, (e) => heard.push(e));
    // kill the first worker as soon as it holds the job (it has claimed the row; the engine has not answered)
    const running = await waitFor('the first worker to take the job', async () => {
      const e = await jobs.current(job.id);
      return e.state === 'running' ? e : undefined;
    }, 60_000);
    first.child.kill('SIGKILL');
    expect(running.attempts).toBe(1);
    const row1 = await database.handle.db.selectFrom('jobs').select(['worker', 'state']).where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(row1.worker).toBe(first.name);
    expect(row1.state).toBe('running');

    const second = await startWorker(database.url);
    workers.push(second);
    // pg-boss hands the job out again once the dead worker's heartbeat (10 s) is missed
    const done = await waitFor('the job to succeed on the second worker', async () => {
      const e = await jobs.current(job.id);
      if (e.state === 'failed') throw new Error(`job failed: ${e.error?.message}\n${second.output()}`);
      return e.state === 'succeeded' ? e : undefined;
    }, 120_000);
    // the subscription re-reads the row every half second
    await waitFor('the subscriber to hear the end', async () => (heard.at(-1)?.state === 'succeeded' ? true : undefined), 5_000);
    stop();
    expect(done.attempts).toBe(2);
    const row2 = await database.handle.db.selectFrom('jobs').select(['worker']).where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(row2.worker).toBe(second.name);
    expect(second.name).not.toBe(first.name);
    // the killed attempt stored nothing: one analysis, the one the job links to
    const analyses = await database.handle.db.selectFrom('analysis_runs').select('id').where('region_id', '=', regionId).execute();
    expect(analyses.map((a) => a.id)).toEqual([done.result?.analysisId]);
    // the queuing process works no job itself, so what it heard came from the row the workers wrote
    expect(heard.some((e) => e.state === 'running')).toBe(true);
    expect(heard.at(-1)?.state).toBe('succeeded');
  }, 240_000);

  it('fails a job on its input at once, without retrying it', async () => {
    const job = await jobs.start('analysis', [parseAnalysisRequest({ regionId: 999_999, preset: 'elderly-care-15min' })]);
    const failed = await waitFor('the job to fail', async () => {
      const e = await jobs.current(job.id);
      return e.state === 'failed' ? e : undefined;
    }, 60_000);
    expect(failed.error?.code).toBe('not_found');
    expect(failed.error?.message).toMatch(/999999/);
    expect(failed.attempts).toBe(1);
  }, 90_000);
});

if (!serverUrl) describe('durable job queue on PostgreSQL', () => it.skip(skipMessage('durable job queue (pg-boss) against PostgreSQL 15'), () => undefined));

// GET /api/health during a province run through the service: the seeded 8 × 8-county province (9.4 M cells,
// 6.4 M nodes) stored in a throwaway PostgreSQL database, the service started on it as `npm start` runs with
// DATABASE_URL (server/main.ts, the engine in a worker thread, jobs on the queue), a tiled walk 15 min run
// posted to it and followed to its merge while health is polled every 20 ms. Goal: health under 100 ms.
// Run: LIFECIRCLE_BENCH_PG_URL=postgres://… npx tsx bench/province-health-bench.ts (or npm run bench -- province-health)
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrateToLatest } from '../server/db/migrate.ts';
import { seedRegion } from '../server/features/regions/region-seed.ts';
import { postgresDatabase } from '../tests/service/service-harness.ts';
import { province } from './tiles-bench.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'bench-token-0123456789abcdef';
const s = (t: number) => `${(t / 1000).toFixed(1)} s`;
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Starts server/main.ts on `url` and resolves with its base URL once it listens. */
function startService(url: string, port: number, threads: number): Promise<{ child: ChildProcess; base: string; log: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), LIFECIRCLE_TOKEN: TOKEN, LIFECIRCLE_ENGINE_THREADS: String(threads), LIFECIRCLE_HEAVY_PER_MINUTE: '1000000' },
  });
  let text = '';
  return new Promise((resolve, reject) => {
    const seen = (d: Buffer) => {
      text += d.toString();
      if (/lifecircle is serving/.test(text)) resolve({ child, base: `http://127.0.0.1:${port}/api`, log: () => text });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`service exited with ${code} before listening:\n${text}`)));
  });
}

/**
 * Prints the tiled run's wall time through the service and health's latencies meanwhile.
 *
 * @example await benchProvinceHealth(); // LIFECIRCLE_BENCH_PG_URL=… npx tsx bench/province-health-bench.ts
 */
export async function benchProvinceHealth(k = 8, threadCounts: number[] = [1, 2]): Promise<void> {
  console.log(`\n## GET /api/health during a province run through the service (PostgreSQL, server/main.ts, ${threadCounts.join(' then ')} engine thread(s)); goal < 100 ms`);
  const url = process.env.LIFECIRCLE_BENCH_PG_URL ?? process.env.LIFECIRCLE_TEST_PG_URL;
  if (!url) { console.log('skipped: set LIFECIRCLE_BENCH_PG_URL or LIFECIRCLE_TEST_PG_URL'); return; }
  let t = performance.now();
  const p = province(k);
  const database = await postgresDatabase(url);
  let service: { child: ChildProcess; base: string; log: () => string } | null = null;
  try {
    await migrateToLatest(database.handle.db);
    const regionId = await seedRegion(database.handle.db, {
      name: 'bench province (generated)', code: null, metadata: { synthetic: true }, outline: null, units: p.units, grid: p.grid, roads: p.roads,
      facilities: p.facilities, source: 'bench:province', urbanRule: 'input',
    });
    console.log(`  generated and stored the province (${p.grid.count} cells, ${p.network.nodeCount} nodes, ${k * k} counties) in a throwaway database: ${s(performance.now() - t)} (not timed)`);
    for (const threads of threadCounts) {
      service = await startService(database.url, 18_000 + Math.floor(Math.random() * 10_000), threads);
      const { base } = service;
      const lat: number[] = [];
      let done = false;
      const poll = (async () => {
        while (!done) {
          const t0 = performance.now();
          await (await fetch(`${base}/health`)).arrayBuffer();
          lat.push(performance.now() - t0);
          await new Promise((ok) => setTimeout(ok, 20));
        }
      })();
      t = performance.now();
      let state = '', covered = NaN, firstStored = 0, allStored = 0, planned = 0, tileMs = NaN;
      try {
        const res = await fetch(`${base}/regions/${regionId}/tiled-runs`, {
          method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'walk', minutes: 15 }),
        });
        const started = await res.json() as { runId: number };
      planned = performance.now() - t;
        if (res.status !== 202) throw new Error(`POST tiled-runs: ${res.status} ${JSON.stringify(started).slice(0, 300)}`);
        for (;;) {
          const run = await (await fetch(`${base}/tiled-runs/${started.runId}`)).json() as { state: string; tiles: number; tilesStored: number; summary?: { coverage: { population: { coveredShare: number } }; tiles: Array<{ ms: number }> } };
          state = run.state;
          if (run.tilesStored > 0 && firstStored === 0) firstStored = performance.now() - t;
          if (run.tilesStored === run.tiles && allStored === 0) allStored = performance.now() - t;
          if (state === 'merged') { covered = run.summary?.coverage.population.coveredShare ?? NaN; tileMs = run.summary?.tiles.reduce((a, x) => a + x.ms, 0) ?? NaN; break; }
          if (state === 'failed') throw new Error(`tiled run failed: ${JSON.stringify(run).slice(0, 300)}`);
          await new Promise((ok) => setTimeout(ok, 250));
        }
      } finally {
        done = true;
        await poll;
      }
      lat.sort((a, b) => a - b);
      console.log(`  ${threads} engine thread(s): tiled walk 15 min, ${k * k} tiles on the service's queue: ${s(performance.now() - t)} from POST to merged (region loaded from the database in the engine thread included): planned and queued after ${s(planned)}, first tile stored ${s(firstStored)}, all ${s(allStored)} (the tiles' own runs add up to ${s(tileMs)}: the rest is cutting, storing and the queue); covered ${(covered * 100).toFixed(1)} %`);
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${service.child.pid}/status`, 'utf8'));
      console.log(`  peak RSS of the service process ${hwm ? Math.round(Number(hwm[1]) / 1024) : NaN} MB (the region is loaded once and shared by its engine threads)`);
      console.log(`  health answered ${lat.length}× meanwhile: median ${pct(lat, 0.5).toFixed(1)} ms, p99 ${pct(lat, 0.99).toFixed(1)} ms, max ${lat.at(-1)!.toFixed(1)} ms (goal < 100 ms)`);
      await new Promise((r) => { service!.child.once('exit', r); service!.child.kill('SIGTERM'); });
      service = null;
    }
  } catch (e) {
    if (service) console.log(`  the service's log, last lines:\n${service.log().slice(-3000)}`);
    throw e;
  } finally {
    if (service) await new Promise((r) => { service!.child.once('exit', r); service!.child.kill('SIGTERM'); });
    await database.handle.close();
    await database.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchProvinceHealth(Number(process.argv[2] ?? 8), process.argv[3] ? process.argv[3].split(',').map(Number) : undefined);

// GET /api/health while the service does its heaviest work on the Yuechi demo (PGlite, the engine in a
// worker thread as `npm start` runs it): the HTTP loop must answer in well under 100 ms whatever runs.
// bench/run.ts calls benchServiceHealth().
import { openBenchService } from './bench-service.ts';

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Polls /api/health every 10 ms while `work` runs; the latencies of every answer. */
async function healthDuring(base: string, work: () => Promise<unknown>): Promise<{ workMs: number; lat: number[] }> {
  const lat: number[] = [];
  let done = false;
  const poll = (async () => {
    while (!done) {
      const t = performance.now();
      const r = await fetch(`${base}/health`);
      await r.arrayBuffer();
      lat.push(performance.now() - t);
      await new Promise((ok) => setTimeout(ok, 10));
    }
  })();
  const t = performance.now();
  try {
    await work();
  } finally {
    done = true;
  }
  const workMs = performance.now() - t;
  await poll;
  return { workMs, lat: lat.sort((a, b) => a - b) };
}

export async function benchServiceHealth(): Promise<void> {
  console.log('\n## GET /api/health during heavy work through the service (PGlite, Yuechi demo, engine in a worker thread); goal < 100 ms');
  const { base, post, close } = await openBenchService();
  try {
    const work: Array<[string, () => Promise<unknown>]> = [
      ['first analysis, basic-public-service (region model, graphs, circle)', () => post('/analyses', { preset: 'basic-public-service' })],
      ['suggested sites k = 10 solved exactly (HiGHS)', () => post('/regions/1/suggested-sites', { preset: 'elderly-care-15min', k: 10, exact: true })],
      ['suggested sites k = 10 on buildable land', () => post('/regions/1/suggested-sites', { preset: 'elderly-care-15min', k: 10, candidates: 'buildable' })],
      ['elderly-care run and its A3 map sheet with 10 sites (PDF)', async () => {
        const run = await post('/analyses', { preset: 'elderly-care-15min' });
        const r = await fetch(`${base}/analyses/${run.id}/sheet.pdf?paper=A3&sites=10`);
        if (!r.ok) throw new Error(`sheet.pdf: ${r.status} ${(await r.text()).slice(0, 200)}`);
        return r.arrayBuffer();
      }],
    ];
    for (const [name, run] of work) {
      const { workMs, lat } = await healthDuring(base, run);
      console.log(`  ${name}: ${workMs.toFixed(0)} ms of work; health answered ${lat.length}×, median ${pct(lat, 0.5).toFixed(1)} ms, p99 ${pct(lat, 0.99).toFixed(1)} ms, max ${lat.at(-1)!.toFixed(1)} ms`);
    }
  } finally {
    await close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchServiceHealth();

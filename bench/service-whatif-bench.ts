// What-if through the service (request to response, PGlite, the Yuechi demo) beside a warm full rerun of the
// same circle in the engine with the prepared network kept; bench/run.ts calls benchServiceWhatIf().
import { circleOfPreset } from '../analysis/circles/circle.ts';
import { networkPreparer } from '../analysis/circles/network-preparer.ts';
import { runCircle } from '../analysis/circles/run-circle.ts';
import { applyEdits } from '../analysis/scenario/apply-edits.ts';
import type { ScenarioEdit } from '../analysis/scenario/scenario-engine.ts';
import { buildRoadNetwork } from '../analysis/network/road-network.ts';
import { defaultStandards } from '../analysis/standards/presets.ts';
import { loadYuechiDemo } from '../server/io/load-demo.ts';
import { seededRandom } from '../tests/support/seeded-random.ts';
import { openBenchService } from './bench-service.ts';
const ms = (t: number) => `${t.toFixed(t < 10 ? 1 : 0)} ms`;

function stats(times: number[]): { median: number; min: number; max: number; text: string } {
  const s = [...times].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)];
  return { median, min: s[0], max: s[s.length - 1], text: `median ${ms(median)} (min ${ms(s[0])}, max ${ms(s[s.length - 1])}, n ${s.length})` };
}

/**
 * For each circle (default: the dual-reach basic-public-service and the elderly-care circle): the service's
 * what-if round trip for one added facility (a different seeded site each time), with and without the
 * changed gaps, and a warm full rerun on the same edits with the graphs kept; the ratio is the point.
 */
export async function benchServiceWhatIf(presets = ['basic-public-service', 'elderly-care-15min'], repeats = 15): Promise<void> {
  console.log('\n## What-if through the service (PGlite, Yuechi demo, engine in a worker thread) vs a warm full rerun with the prepared network kept');
  let t = performance.now();
  const { base, post, close } = await openBenchService();
  try {
    const regions = await (await fetch(`${base}/regions`)).json() as { regions?: { id: number }[] } | { id: number }[];
    const regionId = (Array.isArray(regions) ? regions : regions.regions!)[0].id;
    console.log(`service opened with the demo seeded: ${ms(performance.now() - t)}`);
    t = performance.now();
    const demo = await loadYuechiDemo();
    const inputs = { grid: demo.grid, facilities: demo.facilities, network: networkPreparer(buildRoadNetwork(demo.roadSource), demo.grid) };
    console.log(`engine inputs loaded (the same demo files): ${ms(performance.now() - t)}`);
    const standards = defaultStandards();
    for (const preset of presets) {
      const circle = circleOfPreset(standards.circles.find((c) => c.id === preset)!, standards);
      const category = circle.services[0].categories[0];
      const rand = seededRandom(11);
      // sites near populated cells, the same list for both sides
      const sites: ScenarioEdit[][] = Array.from({ length: repeats + 1 }, (_, i) => {
        const c = Math.floor(rand() * demo.grid.count);
        return [{ op: 'add', id: `bench-${i}`, lon: demo.grid.originLon[c] + 0.001, lat: demo.grid.originLat[c], category, name: `bench ${i}` }];
      });
      t = performance.now();
      await post('/analyses', { regionId, preset });
      const first = performance.now() - t;
      // warm the session: the first what-if of a circle builds its incremental engines
      t = performance.now();
      await post(`/regions/${regionId}/what-if`, { preset, edits: sites[0] });
      const setup = performance.now() - t;
      const plain: number[] = [], changed: number[] = [], engine: number[] = [], handler: number[] = [];
      for (let i = 1; i <= repeats; i++) {
        t = performance.now();
        const r = await post(`/regions/${regionId}/what-if`, { preset, edits: sites[i] });
        plain.push(performance.now() - t);
        engine.push(r.summary.engineMs); handler.push(r.ms);
        t = performance.now();
        await post(`/regions/${regionId}/what-if`, { preset, edits: sites[i], withGaps: 'changed' });
        changed.push(performance.now() - t);
      }
      runCircle(inputs, circle); // graphs built and kept, as the service keeps them
      const full: number[] = [];
      for (let i = 1; i <= repeats; i++) {
        t = performance.now();
        runCircle({ ...inputs, facilities: applyEdits(demo.facilities, sites[i]) }, circle);
        full.push(performance.now() - t);
      }
      // a filed analysis of the same scenario through the service (summary, township rows and gaps written)
      const filed: number[] = [];
      for (let i = 1; i <= repeats; i++) {
        t = performance.now();
        await post('/analyses', { regionId, preset, edits: sites[i] });
        filed.push(performance.now() - t);
      }
      const p = stats(plain), c = stats(changed), f = stats(full), a = stats(filed);
      console.log(`${preset}: first run through the service ${ms(first)}, what-if session set-up ${ms(setup)}`);
      console.log(`  what-if round trip, totals and township table: ${p.text}`);
      console.log(`    of which in the handler ${stats(handler).text}, in the engine (session.apply) ${stats(engine).text}`);
      console.log(`  what-if round trip with the changed gaps:      ${c.text}`);
      console.log(`  warm full rerun in the engine (graphs kept):   ${f.text}`);
      console.log(`  ratio what-if / full rerun: ${(p.median / f.median).toFixed(3)} (with gaps ${(c.median / f.median).toFixed(3)}); goal < 0.1`);
      console.log(`  filed analysis of the scenario through the service (POST /api/analyses): ${a.text}; ratio to the engine's full rerun ${(a.median / f.median).toFixed(2)}; goal < 2`);
    }
  } finally {
    await close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchServiceWhatIf();

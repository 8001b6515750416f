// The province-sized case of issue 12: the seeded synthetic province at 8 × 8 counties (≥ 9 M populated cells,
// ≥ 6 M road nodes). Each run in a process of its own, from its inputs loaded, so wall time and peak memory are
// the run's: untiled (walk 15 min, the rural circle's car 90 min), then walk 15 min tiled by county on 1 and on
// 2 worker processes. Run: npx tsx bench/province-bench.ts (or npm run bench -- province)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessRequest } from '../analysis/accessibility/analyze-access.ts';
import { writeRequest } from './access-child.ts';
import { inChild, poolFanOut, province, sameCells, type ChildRun } from './tiles-bench.ts';

const s = (t: number) => `${(t / 1000).toFixed(1)} s`;
const phases = (r: ChildRun) => Object.entries(r.phases ?? {}).map(([k, v]) => `${k} ${s(v)} (peak ${r.peaks?.[k]} MB by its end)`).join(', ');

/**
 * Prints each untiled run's wall time, phases and peak memory (targets: under 30 s, under 2 GB), and the tiled
 * fan-out on 1 and 2 worker processes (target: 2 at least 1.7× faster than 1).
 *
 * @example
 * await benchProvince(); // npx tsx bench/province-bench.ts
 */
export async function benchProvince(k = 8): Promise<void> {
  const t = performance.now();
  const p = province(k);
  const { grid, network, facilities } = p;
  console.log(`\n## Province: seeded synthetic province, ${k} × ${k} counties: generate ${s(performance.now() - t)}; ` +
    `${grid.count} populated 100 m cells, ${network.nodeCount} nodes, ${network.segmentCount} segments, ${facilities.count} facilities`);
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-province-'));
  try {
    const bare = await inChild(dir, 'bare', null);
    console.log(`child process alone (node + tsx, nothing run): peak ${bare.stats.peakMB} MB; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const walk: AccessRequest = { grid, facilities, network, mode: 'walk', minutes: 15 };
    const cases: Array<[string, AccessRequest]> = [['walk 15 min', walk], ['car 90 min', { grid, facilities, network, mode: 'car', minutes: 90 }]];
    let whole = null;
    for (const [label, request] of cases) {
      const { stats, result } = await inChild(dir, label.replace(/ /g, '-'), request);
      if (request === walk) whole = result;
      console.log(`untiled ${label}: ${s(stats.ms)} from loaded inputs (target < 30 s), peak RSS ${stats.peakMB} MB (target < 2048 MB; ${stats.loadedMB} MB with the inputs loaded); ` +
        `${phases(stats)}; covered ${(result!.summary.population.coveredShare! * 100).toFixed(1)} %`);
    }
    const regionFile = join(dir, 'region');
    writeRequest(regionFile, walk);
    const runs = { 1: await poolFanOut(walk, regionFile, 1), 2: await poolFanOut(walk, regionFile, 2) };
    console.log(`tiled walk 15 min, ${k * k} county tiles: 1 worker process ${s(runs[1].ms)}, 2 ${s(runs[2].ms)}; 1 / 2 ${(runs[1].ms / runs[2].ms).toFixed(2)}× (target >= 1.7×), ` +
      `from the workers' start (each loads the region) to the merged run; workers ready (region loaded, islands, plans, road index) after ${s(runs[1].readyMs!)} and ${s(runs[2].readyMs!)}, ` +
      `so from ready to merged ${s(runs[1].ms - runs[1].readyMs!)} and ${s(runs[2].ms - runs[2].readyMs!)}, ${((runs[1].ms - runs[1].readyMs!) / (runs[2].ms - runs[2].readyMs!)).toFixed(2)}×; the tiles' run times added up ${s(runs[1].tileMs)} on 1, ${s(runs[2].tileMs)} on 2 (equal when each has a core of its own); ` +
      `peak RSS per worker ${runs[2].peaksMB.join(', ')} MB; ` +
      `every cell ${sameCells(whole!, runs[1].cells as never) && sameCells(whole!, runs[2].cells as never) ? 'identical' : 'DIFFERS'} to the untiled run`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchProvince(Number(process.argv[2] ?? 8));

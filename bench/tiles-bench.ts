// Tiled vs untiled runs of a seeded synthetic province (k × k counties, each the size of the synthetic county):
// wall time in this process, and peak memory with every run (the untiled one, each tile) in a process of its own.
// Run: npx tsx bench/tiles-bench.ts (or npm run bench -- tiles)
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deserialize } from 'node:v8';
import type { Feature, Polygon } from 'geojson';
import { analyzeAccess, type AccessRequest, type AccessResult } from '../analysis/accessibility/analyze-access.ts';
import { assignUnits } from '../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../analysis/grid/population-grid.ts';
import { runTiled, type TiledAccessResult } from '../analysis/tiles/run-tiled.ts';
import type { TileRequest } from '../analysis/tiles/tile-inputs.ts';
import { requestBytes } from './access-child.ts';
import { syntheticCounty } from './synthetic-county.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./access-child.ts', import.meta.url));
const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;

interface ChildRun { loadedMB: number; peakMB: number; ms: number }

/** The synthetic county's generator at k times its side, cut into k × k square counties. */
function province(k: number, seed = 42): { grid: PopulationGrid; network: AccessRequest['network'] & object; facilities: AccessRequest['facilities'] } {
  const side = 317 * k;
  const { grid, network, facilities } = syntheticCounty(seed, side, 400 * k * k);
  // the generator's frame: lon0 106.2, lat0 30.35, 0.0012° a lattice step
  const lon0 = 106.2, lat0 = 30.35, extent = side * 0.0012, step = extent / k;
  const names: string[] = [], codes: string[] = [], features: Feature<Polygon>[] = [];
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      // outer counties reach past the lattice so no cell is left outside
      const w = c === 0 ? lon0 - 1 : lon0 + c * step, e = c === k - 1 ? lon0 + extent + 1 : lon0 + (c + 1) * step;
      const s = r === 0 ? lat0 - 1 : lat0 + r * step, n = r === k - 1 ? lat0 + extent + 1 : lat0 + (r + 1) * step;
      names.push(`county ${r + 1}-${c + 1}`);
      codes.push(String(r * k + c + 1));
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } });
    }
  }
  return { grid: assignUnits(grid, { names, codes, features }), network, facilities };
}

function sameCells(a: AccessResult, b: AccessResult): boolean {
  for (let c = 0; c < a.cost.length; c++) if (!Object.is(a.cost[c], b.cost[c]) || a.facility[c] !== b.facility[c] || a.unreachable[c] !== b.unreachable[c]) return false;
  return a.cost.length === b.cost.length;
}

async function inChild(dir: string, name: string, request: AccessRequest | null): Promise<{ stats: ChildRun; result: AccessResult | null }> {
  if (request === null) return { stats: JSON.parse((await run(process.execPath, ['--import', 'tsx', CHILD])).stdout) as ChildRun, result: null };
  const input = join(dir, `${name}.in`), output = join(dir, `${name}.out`);
  writeFileSync(input, requestBytes(request));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, input, output], { maxBuffer: 1 << 20 });
  const result = deserialize(readFileSync(output)) as AccessResult;
  rmSync(input); rmSync(output);
  return { stats: JSON.parse(stdout) as ChildRun, result };
}

/**
 * Prints, per mode, the untiled and the tiled run's wall time (same process, tiles one after another), whether
 * every cell came out the same, and peak memory: the untiled run and each tile in a child process of its own.
 *
 * @example
 * await benchTiles(); // npx tsx bench/tiles-bench.ts
 */
export async function benchTiles(k = 3, repeats = 2): Promise<void> {
  let t = performance.now();
  const { grid, network, facilities } = province(k);
  console.log(`\n## Tiles: seeded synthetic province, ${k} × ${k} counties (each the synthetic county's size): generate ${ms(performance.now() - t)}; ` +
    `${grid.count} populated 100 m cells, ${network.nodeCount} nodes, ${network.segmentCount} segments, ${facilities.count} facilities`);
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-tiles-'));
  try {
    const bare = await inChild(dir, 'bare', null);
    console.log(`child process alone (node + tsx, nothing run): peak ${bare.stats.peakMB} MB`);
    const cases: Array<[string, AccessRequest]> = [
      ['walk 15 min', { grid, facilities, network, mode: 'walk', minutes: 15 }],
      ['car 15 min', { grid, facilities, network, mode: 'car', minutes: 15 }],
    ];
    for (const [label, request] of cases) {
      // wall time here, in-process; alternate which goes first so shared-machine load hits both
      const untiledMs: number[] = [], tiledMs: number[] = [];
      let whole: AccessResult | null = null, tiled: TiledAccessResult | null = null;
      for (let i = 0; i < repeats; i++) {
        for (const which of i % 2 === 0 ? [0, 1] : [1, 0]) {
          const t0 = performance.now();
          if (which === 0) whole = analyzeAccess(request); else tiled = await runTiled(request);
          (which === 0 ? untiledMs : tiledMs).push(performance.now() - t0);
        }
      }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const tiles = tiled!.tiles;
      const biggest = tiles.reduce((a, b) => (b.segments + b.cells > a.segments + a.cells ? b : a));
      console.log(`${label}: halo ${(tiled!.haloMeters / 1000).toFixed(2)} km; untiled ${ms(med(untiledMs))}, tiled ${ms(med(tiledMs))} (${tiles.length} tiles in turn), tiled / untiled ${(med(tiledMs) / med(untiledMs)).toFixed(2)}× (medians of ${repeats}); ` +
        `every cell ${sameCells(whole!, tiled!) ? 'identical' : 'DIFFERS'}; covered ${(tiled!.summary.population.coveredShare! * 100).toFixed(1)} %`);
      console.log(`  biggest tile ${biggest.name}: ${biggest.cells} own cells, ${biggest.segments} segments (${(100 * biggest.segments / network.segmentCount).toFixed(0)} % of the region's), ${biggest.facilities} facilities`);
      // peak memory: each run alone in a child process, the tiles through runTile (the worker's seat)
      const untiled = await inChild(dir, 'untiled', request);
      const peaks: Array<{ name: string; peakMB: number; ms: number }> = [];
      const viaChildren = await runTiled(request, {
        runTile: async (tile: TileRequest) => {
          const { stats, result } = await inChild(dir, `tile-${tile.unit}`, tile.request);
          peaks.push({ name: tile.name, peakMB: stats.peakMB, ms: stats.ms });
          return result!;
        },
      });
      const top = peaks.reduce((a, b) => (b.peakMB > a.peakMB ? b : a));
      const sorted = peaks.map((p) => p.peakMB).sort((a, b) => a - b);
      console.log(`  peak RSS, one process per run: untiled ${untiled.stats.peakMB} MB (${untiled.stats.loadedMB} MB with the inputs loaded); ` +
        `tiles median ${sorted[Math.floor(sorted.length / 2)]} MB, biggest ${top.peakMB} MB (${top.name}); biggest tile / untiled ${(top.peakMB / untiled.stats.peakMB).toFixed(2)}×, ` +
        `above the bare process ${((top.peakMB - bare.stats.peakMB) / (untiled.stats.peakMB - bare.stats.peakMB)).toFixed(2)}×; ` +
        `tiles through child processes ${sameCells(whole!, viaChildren) && sameCells(whole!, untiled.result!) ? 'identical' : 'DIFFER'} to the untiled run`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchTiles();

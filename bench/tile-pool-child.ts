// One worker process of the bench's tile pool: loads the region from the directory bench/access-child.ts's
// writeRequest filled, plans its tiles, judges its islands and indexes its roads once, then runs the
// tiles it is sent by county, cutting each from the region itself; answers them in region terms (as a queue worker
// stores them), and its peak memory when asked.
// Started by bench/tiles-bench.ts: fork('bench/tile-pool-child.ts', [regionDir], { execArgv: ['--import', 'tsx'], serialization: 'advanced' })
import { analyzeAccess } from '../analysis/accessibility/analyze-access.ts';
import { networkIslands } from '../analysis/network/mode-graph.ts';
import { defaultSpeedTable } from '../analysis/network/speed-table.ts';
import { haloMeters } from '../analysis/tiles/halo-meters.ts';
import { planTiles } from '../analysis/tiles/plan-tiles.ts';
import { roadIndex } from '../analysis/tiles/road-index.ts';
import { storedTile, type StoredTile } from '../analysis/tiles/run-tiled.ts';
import { tileInputs } from '../analysis/tiles/tile-inputs.ts';
import { peakMB, readRequest } from './access-child.ts';

/** What the pool sends a worker process: the county of a tile to run, or a request for its peak memory. */
export type PoolMessage = { id: number; unit: number } | { id: number; peak: true };

/** What it answers: a tile's columns and run time, or its peak resident memory in MB (id -1: loaded, ready). */
export type PoolAnswer =
  | ({ id: number } & StoredTile)
  | { id: number; peakMB: number };

if (import.meta.url === `file://${process.argv[1]}`) {
  const request = readRequest(process.argv[2]);
  const islands = request.mode === 'straight' ? undefined : networkIslands(request.network!, request.mode, request.speeds ?? defaultSpeedTable());
  const plans = planTiles(request.grid, { haloMeters: haloMeters(request) });
  const roads = request.mode === 'straight' ? undefined : roadIndex(request.network!);
  process.on('message', (m: PoolMessage) => {
    if ('peak' in m) return void process.send!({ id: m.id, peakMB: peakMB() } satisfies PoolAnswer);
    const t = performance.now();
    const tile = tileInputs(request, plans.find((p) => p.unit === m.unit)!, { islands, roads });
    const r = analyzeAccess(tile.request);
    // in region terms, as a queue worker stores it, so the pool's merge cuts nothing
    process.send!({ id: m.id, ...storedTile(tile, r, performance.now() - t) } satisfies PoolAnswer);
  });
  process.send!({ id: -1, peakMB: peakMB() } satisfies PoolAnswer);
}

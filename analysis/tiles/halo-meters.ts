import { thresholdOf, type AccessRequest } from '../accessibility/analyze-access.ts';
import { classSpeed, defaultSpeedTable, walkCostPerMeter } from '../network/speed-table.ts';

/**
 * How far beyond its own cells a tile must see so that nothing within the search cut-off of a cell is left
 * out: the cut-off travelled at the fastest speed any road of the network allows the mode (distance kinds: the
 * cut-off itself), plus the snapping limit of the cell's walk to its road. Straight lines: the cut-off in metres.
 *
 * @example haloMeters({ grid, facilities, network, mode: 'car', minutes: 90 }) // 90 × 60 × 100 / 3.6 + 500
 */
export function haloMeters(request: AccessRequest): number {
  const { costKind, threshold } = thresholdOf(request);
  const cutoff = request.searchCutoff ?? threshold;
  const speeds = request.speeds ?? defaultSpeedTable();
  if (request.mode === 'straight') return cutoff / walkCostPerMeter(speeds, 'straight', costKind);
  const network = request.network ?? request.prepared?.graph.network;
  if (network === undefined) throw new Error(`haloMeters: mode ${request.mode} needs the region's road network`);
  let fastestKmh = 0;
  for (const c of network.classNames) fastestKmh = Math.max(fastestKmh, classSpeed(speeds, request.mode, c));
  const reach = costKind === 'time' ? cutoff * (fastestKmh / 3.6) : cutoff;
  return reach + (request.maxSnapMeters ?? request.prepared?.maxSnapMeters ?? 500);
}

import type { AccessRequest } from '../accessibility/analyze-access.ts';
import { filterFacilities } from '../facilities/facility-set.ts';
import { networkIslands, type SnapMask } from '../network/mode-graph.ts';
import { defaultSpeedTable } from '../network/speed-table.ts';
import { subsetGrid } from '../standards/grid-subset.ts';
import { growBox, inBox, type LonLatBox } from './lon-lat-box.ts';
import type { TilePlan } from './plan-tiles.ts';
import { segmentsInBox, type RoadIndex } from './road-index.ts';
import { subNetwork } from './sub-network.ts';

/** One tile's question, self-contained (plain arrays, no functions) so a worker or a queue can run it. */
export interface TileRequest {
  readonly unit: number;
  readonly name: string;
  /** the region's question over the tile's cells, facilities and roads; run it with `analyzeAccess` */
  readonly request: AccessRequest;
  /** region cell of each tile cell */
  readonly cells: Int32Array;
  /** region facility of each tile facility */
  readonly facilities: Int32Array;
  /** region segment of each tile segment; empty for straight lines */
  readonly segments: Int32Array;
}

/**
 * Cuts a region's inputs to a tile: its own cells; the facilities within the halo and one snapping limit more
 * (a facility joins a road up to that far away); the roads one limit further still (so a facility's and a
 * cell's nearest road is the one it has in the region). Roads keep the region's order and projection, and
 * which of them take points is judged on the whole region (`islands`, computed here when not given), so
 * every tile cell costs exactly what it costs in the untiled run. A region cut into many tiles passes its
 * `roadIndex` too, so each cut costs the tile's size rather than a pass over the region's roads.
 *
 * @example
 * const islands = networkIslands(network, 'walk', speeds), roads = roadIndex(network);
 * const t = tileInputs(request, tiles[0], { islands, roads }); analyzeAccess(t.request);
 */
export function tileInputs(request: AccessRequest, tile: TilePlan, options: { islands?: SnapMask; roads?: RoadIndex } = {}): TileRequest {
  const grid = subsetGrid(request.grid, tile.cells);
  const pick = (box: LonLatBox) => {
    const f = request.facilities, index: number[] = [];
    for (let i = 0; i < f.count; i++) if (inBox(box, f.lon[i], f.lat[i])) index.push(i);
    const keep = new Uint8Array(f.count);
    for (const i of index) keep[i] = 1;
    return { facilities: filterFacilities(f, (i) => keep[i] === 1), index: Int32Array.from(index) };
  };
  const base = { unit: tile.unit, name: tile.name, cells: tile.cells };
  // a tile's graph is its own: a region's prepared graph and progress callback stay behind
  const question: AccessRequest = { ...request, grid, prepared: undefined, onProgress: undefined };
  if (request.mode === 'straight') {
    const { facilities, index } = pick(tile.haloBox);
    return { ...base, request: { ...question, facilities, network: undefined }, facilities: index, segments: new Int32Array(0) };
  }
  const network = request.network ?? request.prepared?.graph.network;
  if (network === undefined) throw new Error(`tileInputs: mode ${request.mode} needs the region's road network`);
  const snap = request.maxSnapMeters ?? request.prepared?.maxSnapMeters ?? 500;
  const lat0 = network.proj.lat0;
  const { facilities, index } = pick(growBox(tile.box, tile.haloMeters + snap, lat0));
  const roadBox = growBox(tile.box, tile.haloMeters + 2 * snap, lat0);
  if (options.roads && options.roads.network !== network) throw new Error('tileInputs: the road index is of another network than the request\'s');
  const segments = segmentsInBox(options.roads ?? network, roadBox);
  const islands = options.islands ?? networkIslands(network, request.mode, request.speeds ?? defaultSpeedTable(), request.minIslandNodes);
  if (islands.snappable.length !== network.segmentCount) {
    throw new Error(`tileInputs: islands are for ${islands.snappable.length} segments, the region's network has ${network.segmentCount}`);
  }
  const sub = subNetwork(network, segments, options.roads?.scratch);
  const snappable = new Uint8Array(sub.segments.length);
  for (let k = 0; k < sub.segments.length; k++) snappable[k] = islands.snappable[sub.segments[k]];
  return {
    ...base,
    request: { ...question, facilities, network: sub.network, snapMask: { snappable, islands: islands.islands } },
    facilities: index,
    segments: sub.segments,
  };
}

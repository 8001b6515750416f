import { analyzeAccess, thresholdOf, type AccessRequest, type AccessResult } from '../accessibility/analyze-access.ts';
import { summarizeCoverage } from '../coverage/coverage-summary.ts';
import Flatbush from 'flatbush';
import type { FacilitySet } from '../facilities/facility-set.ts';
import { buildModeGraph, networkIslands, type NetworkIslands } from '../network/mode-graph.ts';
import type { RoadNetwork } from '../network/road-network.ts';
import { snapPoints } from '../network/snap-points.ts';
import { defaultSpeedTable, type Mode } from '../network/speed-table.ts';
import { growBox } from './lon-lat-box.ts';
import { haloMeters as haloOf } from './halo-meters.ts';
import { planTiles, type TilePlan } from './plan-tiles.ts';
import { roadIndex, type RoadIndex } from './road-index.ts';
import { subNetwork } from './sub-network.ts';
import { tileInputs, type TileRequest } from './tile-inputs.ts';
import { unitRollup, type UnitRollup } from './unit-rollup.ts';

/** What one tile was and how long it ran, for reports and benchmarks. */
export interface TileReport {
  readonly unit: number;
  readonly name: string;
  readonly cells: number;
  readonly facilities: number;
  readonly nodes: number;
  readonly segments: number;
  readonly ms: number;
}

/** An untiled run's result, cell for cell, with the per-county rollup and what each tile was. */
export interface TiledAccessResult extends AccessResult {
  readonly rollup: UnitRollup[];
  readonly haloMeters: number;
  readonly tiles: TileReport[];
}

/** What the merge reads of a tile's run: per tile cell its cost, tile facility and reachability (a stored tile has no more). */
export type TileCells = Pick<AccessResult, 'cost' | 'facility' | 'unreachable' | 'unsnappedFacilities'>;

/** A tile computed elsewhere (a queue job), kept in region terms so merging it needs no second cut. */
export interface StoredTile extends TileCells {
  /** region cell of each tile cell: must be the cells the plan gives the tile */
  readonly cells: Int32Array;
  /** region facility of each tile facility (what `facility` indexes) */
  readonly facilities: Int32Array;
  readonly nodes: number;
  readonly segments: number;
  readonly ms: number;
}

/**
 * A tile's run in region terms (its cells, its facilities, its size), as a queue job stores it and a worker
 * process answers it: what the merge places without cutting again.
 *
 * @example const stored = storedTile(tile, analyzeAccess(tile.request), ms);
 */
export function storedTile(tile: TileRequest, r: TileCells, ms: number): StoredTile {
  const net = tile.request.network;
  return {
    cells: tile.cells, facilities: tile.facilities, nodes: net?.nodeCount ?? 0, segments: net?.segmentCount ?? 0, ms,
    cost: r.cost, facility: r.facility, unreachable: r.unreachable, unsnappedFacilities: r.unsnappedFacilities,
  };
}

/** The region's per-cell columns tiles are placed into; `owned` keeps each cell to one tile. */
export interface RegionColumns {
  readonly cost: Float64Array;
  readonly facility: Int32Array;
  readonly unreachable: Uint8Array;
  readonly owned: Uint8Array;
}

export function regionColumns(count: number): RegionColumns {
  return { cost: new Float64Array(count).fill(Infinity), facility: new Int32Array(count).fill(-1), unreachable: new Uint8Array(count), owned: new Uint8Array(count) };
}

/**
 * Places one tile's cells into the region's columns (its facility indices made the region's): the merge of
 * `runTiled`, and of a stored run read back. A cell a second tile claims is an error.
 *
 * @example placeTile(cols, 'NE', tile.cells, tile.facilities, result);
 */
export function placeTile(into: RegionColumns, name: string, cells: Int32Array, tileFacilities: Int32Array, r: Pick<TileCells, 'cost' | 'facility' | 'unreachable'>): void {
  if (r.cost.length !== cells.length) throw new Error(`tile ${name}: ${r.cost.length} costs for ${cells.length} cells`);
  const { cost, facility, unreachable, owned } = into;
  for (let j = 0; j < cells.length; j++) {
    const c = cells[j];
    if (owned[c]) throw new Error(`tile ${name}: cell ${c} is already owned by another tile`);
    owned[c] = 1;
    cost[c] = r.cost[j];
    facility[c] = r.facility[j] >= 0 ? tileFacilities[r.facility[j]] : -1;
    unreachable[c] = r.unreachable[j];
  }
}

export interface RunTiledOptions {
  /** tiles already computed, by unit: merged as they are instead of cut and run */
  stored?: ReadonlyMap<number, StoredTile>;
  /** the region's islands when the caller has them (`networkIslands`), saving the region-wide pass */
  islands?: NetworkIslands;
  /** runs one tile; default `analyzeAccess(tile.request)` on this thread. A worker pool or a queue goes here */
  runTile?: (tile: TileRequest) => TileCells | Promise<TileCells>;
  /**
   * runs a tile where the region is already loaded (a worker process, another machine): it gets the plan
   * alone and answers in region terms, so nothing is cut here; `runTile` is then not used
   */
  runElsewhere?: (plan: TilePlan) => Promise<StoredTile>;
  /** the region's road index when the caller has it (`roadIndex`); built here when the run cuts many tiles */
  roads?: RoadIndex;
  /** tiles in flight at once; default 1, so only one tile's graph is held at a time */
  concurrency?: number;
  /** override the halo (`haloMeters(request)`); narrower than that, costs near county lines may differ */
  haloMeters?: number;
}

/**
 * Runs a region county by county: one tile per unit of `request.grid` (its cells, with a halo as wide as
 * the longest reach), each cell costed and reported by exactly one tile, merged into the untiled run's
 * result (same costs, facilities, summary) plus a rollup per county.
 *
 * @example
 * const r = await runTiled({ grid: assignUnits(grid, counties), facilities, network, mode: 'car', minutes: 90 });
 * r.rollup[0].share;
 */
export async function runTiled(request: AccessRequest, options: RunTiledOptions = {}): Promise<TiledAccessResult> {
  const { costKind, threshold } = thresholdOf(request);
  const { grid, facilities } = request;
  const runTile = options.runTile ?? ((t: TileRequest) => analyzeAccess(t.request));
  const concurrency = options.concurrency ?? 1;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new Error(`runTiled: concurrency must be a whole number >= 1, found ${concurrency}`);
  const halo = options.haloMeters ?? haloOf(request);
  const plans = planTiles(grid, { haloMeters: halo });
  const network = request.network ?? request.prepared?.graph.network;
  // islands are judged once on the whole region: a tile alone would see cut-off pieces of big parts as islands
  let islands: NetworkIslands | undefined;
  if (request.mode !== 'straight') {
    if (network === undefined) throw new Error(`mode ${request.mode} needs a road network (--roads), or use mode straight`);
    islands = options.islands ?? networkIslands(network, request.mode, request.speeds ?? defaultSpeedTable(), request.minIslandNodes);
  }
  // an index of the region's roads costs about what ten passes over them do: worth it for many tiles cut here
  const roads = options.roads ?? (network && request.mode !== 'straight' && !options.runElsewhere && plans.length - (options.stored?.size ?? 0) > 10 ? roadIndex(network) : undefined);
  const cols = regionColumns(grid.count);
  const { cost, facility, unreachable } = cols;
  const unsnapped = new Uint8Array(facilities.count);
  const seen = new Uint8Array(facilities.count);
  const reports: TileReport[] = new Array(plans.length);
  // one tile's cells into the region's columns, each cell owned once
  const take = (name: string, cells: Int32Array, tileFacilities: Int32Array, r: TileCells): void => {
    placeTile(cols, name, cells, tileFacilities, r);
    for (const f of tileFacilities) seen[f] = 1;
    if (r.unsnappedFacilities.length > 0) {
      const local = new Map<string, number>();
      for (let f = 0; f < tileFacilities.length; f++) local.set(facilities.id[tileFacilities[f]], tileFacilities[f]);
      for (const id of r.unsnappedFacilities) unsnapped[local.get(id)!] = 1;
    }
  };
  const runOne = async (k: number): Promise<void> => {
    const plan = plans[k];
    let s = options.stored?.get(plan.unit), from = 'the stored tile';
    if (!s && options.runElsewhere) {
      // timed here, as the round trip the run waited for
      const t0 = Date.now();
      const r = await options.runElsewhere(plan);
      s = { ...r, ms: Date.now() - t0 };
      from = 'the tile run elsewhere';
    }
    if (!s) {
      // inputs are cut just before their tile runs, so at most `concurrency` tiles are held at once
      const tile = tileInputs(request, plan, { islands, roads });
      const t1 = Date.now();
      const r = await runTile(tile);
      s = storedTile(tile, r, Date.now() - t1);
    }
    // the plan is the one the tile was computed on: it must own exactly the cells planned for it
    if (s.cells.length !== plan.cells.length || s.cells.some((c, j) => c !== plan.cells[j])) throw new Error(`tile ${plan.name}: ${from} does not own the cells planned for it`);
    take(plan.name, s.cells, s.facilities, s);
    reports[k] = { unit: plan.unit, name: plan.name, cells: s.cells.length, facilities: s.facilities.length, nodes: s.nodes, segments: s.segments, ms: s.ms };
  };
  let next = 0;
  const lane = async (): Promise<void> => { while (next < plans.length) await runOne(next++); };
  await Promise.all(Array.from({ length: Math.min(concurrency, plans.length) }, lane));
  if (request.mode !== 'straight') {
    const snap = request.maxSnapMeters ?? request.prepared?.maxSnapMeters ?? 500;
    unsnappedBeyondTiles(network!, islands!, request.mode, request, facilities, seen, snap, unsnapped);
  }
  const unsnappedFacilities: string[] = [];
  for (let f = 0; f < facilities.count; f++) if (unsnapped[f]) unsnappedFacilities.push(facilities.id[f]);
  const summary = request.mode === 'straight' ? summarizeCoverage(grid, cost, threshold) : summarizeCoverage(grid, cost, threshold, { unreachable });
  return {
    mode: request.mode, costKind, unit: costKind === 'time' ? 'seconds' : 'meters', threshold, cost, facility, unreachable, unsnappedFacilities,
    islands: islands?.islands ?? null, summary, rollup: unitRollup(summary), haloMeters: halo, tiles: reports,
  };
}

// facilities no tile saw reach no cell, but the untiled run still names those that cannot join a road: snap
// them against the roads within one snapping limit of them, the only ones their snap depends on
function unsnappedBeyondTiles(
  network: RoadNetwork, islands: NetworkIslands, mode: Mode, request: AccessRequest,
  facilities: FacilitySet, seen: Uint8Array, snap: number, unsnapped: Uint8Array,
): void {
  const left: number[] = [];
  for (let f = 0; f < facilities.count; f++) if (!seen[f]) left.push(f);
  if (left.length === 0) return;
  const boxes = new Flatbush(left.length);
  for (const f of left) {
    const [x0, y0, x1, y1] = growBox([facilities.lon[f], facilities.lat[f], facilities.lon[f], facilities.lat[f]], snap, network.proj.lat0);
    boxes.add(x0, y0, x1, y1);
  }
  boxes.finish();
  const kept: number[] = [];
  const { segA, segB, nodeLon, nodeLat } = network;
  const any = () => true;
  for (let s = 0; s < network.segmentCount; s++) {
    if (!islands.snappable[s]) continue;
    const a = segA[s], b = segB[s];
    const hit = boxes.search(Math.min(nodeLon[a], nodeLon[b]), Math.min(nodeLat[a], nodeLat[b]), Math.max(nodeLon[a], nodeLon[b]), Math.max(nodeLat[a], nodeLat[b]), any);
    if (hit.length > 0) kept.push(s);
  }
  const lon = left.map((f) => facilities.lon[f]), lat = left.map((f) => facilities.lat[f]);
  let joined: Int32Array | null = null;
  if (kept.length > 0) {
    const sub = subNetwork(network, Int32Array.from(kept));
    const snappable = new Uint8Array(sub.segments.length).fill(1);
    const graph = buildModeGraph(sub.network, mode, request.speeds ?? defaultSpeedTable(), { minIslandNodes: request.minIslandNodes, snapMask: { snappable, islands: islands.islands } });
    joined = snapPoints(graph, lon, lat, snap).segment;
  }
  for (let k = 0; k < left.length; k++) if (joined === null || joined[k] < 0) unsnapped[left[k]] = 1;
}

import type { FacilitySet } from '../facilities/facility-set.ts';
import type { PopulationGrid } from '../grid/population-grid.ts';
import { buildModeGraph, type CostKind, type IslandReport, type ModeGraph, type SnapMask } from '../network/mode-graph.ts';
import type { RoadNetwork } from '../network/road-network.ts';
import { snapPoints, type SnappedPoints } from '../network/snap-points.ts';
import { defaultSpeedTable, MODES, walkCostPerMeter, type Mode, type SpeedTable } from '../network/speed-table.ts';
import { summarizeCoverage, type CoverageSummary } from '../coverage/coverage-summary.ts';
import { networkAccess } from '../traveltime/network-access.ts';
import { straightLineAccess } from '../traveltime/straight-line-access.ts';

export type AccessMode = Mode | 'straight';
export const ACCESS_MODES: readonly AccessMode[] = [...MODES, 'straight'];

export interface AccessRequest {
  grid: PopulationGrid;
  facilities: FacilitySet;
  mode: AccessMode;
  /** exactly one of minutes or meters */
  minutes?: number;
  meters?: number;
  /** required for every mode but straight */
  network?: RoadNetwork;
  speeds?: SpeedTable;
  /** farthest a point may be from a road and still join it; default 500 m */
  maxSnapMeters?: number;
  minIslandNodes?: number;
  /** which segments of `network` take points, judged on the whole region when `network` is a tile of it */
  snapMask?: SnapMask;
  /** keep costs up to this many seconds/metres, beyond the threshold, to explain gaps; default the threshold */
  searchCutoff?: number;
  /** reuse a graph and origin snaps across runs (what-if, benchmarks) */
  prepared?: PreparedNetwork;
  onProgress?: (step: string, fraction?: number) => void;
}

/** A mode's graph with the grid's origins already snapped: what stays the same between what-if runs. */
export interface PreparedNetwork {
  graph: ModeGraph;
  origins: SnappedPoints;
  maxSnapMeters: number;
}

export interface AccessResult {
  mode: AccessMode;
  costKind: CostKind;
  /** 'seconds' or 'meters' */
  unit: 'seconds' | 'meters';
  threshold: number;
  /** per populated cell: cost to the nearest facility, Infinity beyond the search cut-off (the threshold unless widened) */
  cost: Float64Array;
  /** per populated cell: index into the facility set, -1 where none within the search cut-off */
  facility: Int32Array;
  /** 1 where the cell is too far from any road to join the network */
  unreachable: Uint8Array;
  /** facilities that could not join the network, by id */
  unsnappedFacilities: string[];
  islands: IslandReport | null;
  summary: CoverageSummary;
}

/** The cost kind and threshold (seconds or metres) a request asks for; throws unless exactly one of minutes or meters is a positive number. */
export function thresholdOf(req: AccessRequest): { costKind: CostKind; threshold: number } {
  const hasMin = req.minutes !== undefined, hasM = req.meters !== undefined;
  if (hasMin === hasM) throw new Error('threshold: give exactly one of minutes or meters');
  const v = hasMin ? req.minutes! : req.meters!;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`threshold: expected a positive number of ${hasMin ? 'minutes' : 'meters'}, found ${v}`);
  return hasMin ? { costKind: 'time', threshold: v * 60 } : { costKind: 'distance', threshold: v };
}

/** Builds (or checks) the graph and snaps the grid's origins once for a mode and cost kind. */
export function prepareNetwork(
  network: RoadNetwork, grid: PopulationGrid, mode: Mode, costKind: CostKind,
  options: { speeds?: SpeedTable; maxSnapMeters?: number; minIslandNodes?: number; snapMask?: SnapMask; onProgress?: (step: string, fraction?: number) => void } = {},
): PreparedNetwork {
  const speeds = options.speeds ?? defaultSpeedTable();
  const maxSnapMeters = options.maxSnapMeters ?? 500;
  const graph = buildModeGraph(network, mode, speeds, { costKind, minIslandNodes: options.minIslandNodes, snapMask: options.snapMask });
  const report = options.onProgress;
  const origins = snapPoints(graph, grid.originLon, grid.originLat, maxSnapMeters, report && ((f) => report('snapping cells to roads', f)));
  return { graph, origins, maxSnapMeters };
}

/**
 * Time or distance from every populated cell to its nearest facility, and the coverage it gives.
 *
 * @example
 * const r = analyzeAccess({ grid, facilities, network, mode: 'walk', minutes: 15 });
 * r.summary.population.covered;
 */
export function analyzeAccess(req: AccessRequest): AccessResult {
  const { costKind, threshold } = thresholdOf(req);
  if (req.searchCutoff !== undefined && !(req.searchCutoff >= threshold)) {
    throw new Error(`searchCutoff must be at least the threshold (${threshold}), found ${req.searchCutoff}`);
  }
  const cutoff = req.searchCutoff ?? threshold;
  const { grid, facilities } = req;
  const progress = req.onProgress ?? (() => undefined);
  const speeds = req.speeds ?? defaultSpeedTable();
  if (!(ACCESS_MODES as readonly string[]).includes(req.mode)) {
    throw new Error(`mode: expected one of ${ACCESS_MODES.join(', ')}, found "${req.mode}"`);
  }
  if (req.mode === 'straight') {
    progress('straight-line distances');
    const perMeter = walkCostPerMeter(speeds, 'straight', costKind);
    const r = straightLineAccess(facilities.lon, facilities.lat, grid.originLon, grid.originLat, cutoff / perMeter);
    if (perMeter !== 1) for (let i = 0; i < r.cost.length; i++) r.cost[i] *= perMeter;
    const unreachable = new Uint8Array(grid.count);
    return {
      mode: req.mode, costKind, unit: costKind === 'time' ? 'seconds' : 'meters', threshold, ...r, unreachable,
      unsnappedFacilities: [], islands: null, summary: summarizeCoverage(grid, r.cost, threshold),
    };
  }
  const mode = req.mode;
  let prepared = req.prepared;
  if (prepared === undefined) {
    if (req.network === undefined) throw new Error(`mode ${mode} needs a road network (--roads), or use mode straight`);
    progress('building the graph');
    prepared = prepareNetwork(req.network, grid, mode, costKind, req);
  } else if (prepared.graph.mode !== mode || prepared.graph.costKind !== costKind || prepared.origins.count !== grid.count) {
    throw new Error(`prepared network is for ${prepared.graph.mode}/${prepared.graph.costKind} over ${prepared.origins.count} cells, not ${mode}/${costKind} over ${grid.count}`);
  }
  let { graph } = prepared;
  const { origins } = prepared;
  progress('snapping facilities');
  const fSnaps = snapPoints(graph, facilities.lon, facilities.lat, prepared.maxSnapMeters);
  // a graph built for this run alone lets its snapping index go before the search (a province's peak memory)
  if (req.prepared === undefined) { graph = { ...graph, snapIndex: null }; prepared = undefined; }
  progress('travel times');
  const r = networkAccess(graph, fSnaps, origins, cutoff);
  const unreachable = new Uint8Array(grid.count);
  for (let i = 0; i < grid.count; i++) if (origins.segment[i] < 0) unreachable[i] = 1;
  const unsnappedFacilities: string[] = [];
  for (let f = 0; f < facilities.count; f++) if (fSnaps.segment[f] < 0) unsnappedFacilities.push(facilities.id[f]);
  return {
    mode, costKind, unit: costKind === 'time' ? 'seconds' : 'meters', threshold,
    cost: r.cost, facility: r.facility, unreachable, unsnappedFacilities, islands: graph.islands,
    summary: summarizeCoverage(grid, r.cost, threshold, { unreachable }),
  };
}

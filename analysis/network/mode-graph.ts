import { float32Above, float32Below } from '../geo/float32-bounds.ts';
import Flatbush from 'flatbush';
import { MODE_BIT, type RoadNetwork } from './road-network.ts';
import { classSpeed, walkCostPerMeter, type Mode, type SpeedTable } from './speed-table.ts';

/** What an arc costs: seconds of travel, or metres of network distance. */
export type CostKind = 'time' | 'distance';

export interface IslandReport {
  /** connected parts of the mode's network (undirected) */
  components: number;
  largestNodes: number;
  /** parts smaller than minIslandNodes: not used for snapping */
  smallIslands: number;
  smallIslandNodes: number;
}

/**
 * A mode's routable graph in compressed-sparse-row form: arcs leaving node v are firstArc[v]..firstArc[v+1].
 * Segment costs in both directions come from `forwardCost` / `backwardCost`, so points snapped mid-segment can
 * be costed without two arrays the size of the network (a province's are 193 MB).
 */
export interface ModeGraph {
  readonly network: RoadNetwork;
  readonly mode: Mode;
  readonly costKind: CostKind;
  readonly firstArc: Int32Array;
  readonly arcHead: Int32Array;
  readonly arcCost: Float64Array;
  /** the mode's bit in the network's per-segment direction flags */
  readonly modeBit: number;
  /** cost per metre of each road class, -1 where the class is closed: segment costs come from it (`forwardCost`) */
  readonly classCostPerMeter: Float64Array;
  /** cost per metre of the off-network leg (walking at the mode's pace), 1 for distance */
  readonly offNetworkCostPerMeter: number;
  /** component id per node, -1 where no open segment touches it */
  readonly component: Int32Array;
  /** id of the largest component: points joined to any other part are on an island of the network */
  readonly mainComponent: number;
  readonly islands: IslandReport;
  /** segments points may snap to (open to the mode, not on a small island), and their index */
  readonly snapSegments: Int32Array;
  readonly snapIndex: Flatbush | null;
}

/** Road classes that points never join directly: they are reached through the network only. */
export const NO_SNAP_CLASSES = new Set(['motorway', 'motorway_link']);

export interface ModeGraphOptions {
  costKind?: CostKind;
  /** parts of the network with fewer nodes than this take no snapped points; default 20 */
  minIslandNodes?: number;
  /** which segments take points, judged on a wider network (a tile's region): a cut-off piece of a large part is no island */
  snapMask?: SnapMask;
}

/** Per segment of a network: 1 where points may join it; and the island report of the network that was judged. */
export interface SnapMask {
  readonly snappable: Uint8Array;
  readonly islands: IslandReport;
}

/** A mode's connected parts (undirected, over segments open to it) and which segments may take points. */
export interface NetworkIslands extends SnapMask {
  /** component id per node, -1 where no open segment touches it */
  readonly component: Int32Array;
  readonly mainComponent: number;
}

/**
 * The island rule of `buildModeGraph` alone, without costs or arcs: cheap enough to run on a whole region
 * whose graph is only ever built tile by tile.
 *
 * @example
 * const mask = networkIslands(regionNetwork, 'car', defaultSpeedTable(), 20);
 */
export function networkIslands(network: RoadNetwork, mode: Mode, speeds: SpeedTable, minIslandNodes = 20): NetworkIslands {
  const bit = MODE_BIT[mode];
  const open = network.classNames.map((c) => classSpeed(speeds, mode, c) > 0);
  const m = network.segmentCount;
  const isOpen = new Uint8Array(m);
  for (let s = 0; s < m; s++) {
    if (open[network.segClass[s]] && (network.segForward[s] & bit || network.segBackward[s] & bit)) isOpen[s] = 1;
  }
  const { component, sizes } = components(network, isOpen);
  let largest = 0, small = 0, smallNodes = 0, mainComponent = -1;
  for (let k = 0; k < sizes.length; k++) {
    const size = sizes[k];
    if (size > largest) { largest = size; mainComponent = k; }
    if (size < minIslandNodes) { small++; smallNodes += size; }
  }
  // the largest part always takes points, even in a tiny test network; nobody boards a motorway from a field
  const noSnap = network.classNames.map((c) => NO_SNAP_CLASSES.has(c));
  const snappable = new Uint8Array(m);
  for (let s = 0; s < m; s++) {
    if (!isOpen[s] || noSnap[network.segClass[s]]) continue;
    const size = sizes[component[network.segA[s]]];
    if (size >= minIslandNodes || size === largest) snappable[s] = 1;
  }
  return {
    snappable, component, mainComponent,
    islands: { components: sizes.length, largestNodes: largest, smallIslands: small, smallIslandNodes: smallNodes },
  };
}

/**
 * Applies a mode's speeds to the network and lays out the CSR arrays, the islands and the snapping index.
 *
 * @example
 * const walk = buildModeGraph(network, 'walk', defaultSpeedTable());
 */
export function buildModeGraph(network: RoadNetwork, mode: Mode, speeds: SpeedTable, options: ModeGraphOptions = {}): ModeGraph {
  const costKind = options.costKind ?? 'time';
  const minIsland = options.minIslandNodes ?? 20;
  const bit = MODE_BIT[mode];
  const n = network.nodeCount, m = network.segmentCount;
  // cost per metre by class, -1 = closed; the same product as before the arrays went: length × (1 / m/s)
  const classCostPerMeter = Float64Array.from(network.classNames, (c) => {
    const mps = classSpeed(speeds, mode, c) / 3.6;
    return mps > 0 ? (costKind === 'time' ? 1 / mps : 1) : -1;
  });
  const costs = { network, modeBit: bit, classCostPerMeter };
  const degree = new Int32Array(n + 1);
  let arcs = 0;
  for (let s = 0; s < m; s++) {
    if (forwardCost(costs, s) < Infinity) { degree[network.segA[s]]++; arcs++; }
    if (backwardCost(costs, s) < Infinity) { degree[network.segB[s]]++; arcs++; }
  }
  const firstArc = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) firstArc[v + 1] = firstArc[v] + degree[v];
  const fill = firstArc.slice(0, n);
  const arcHead = new Int32Array(arcs), arcCost = new Float64Array(arcs);
  for (let s = 0; s < m; s++) {
    const a = network.segA[s], b = network.segB[s];
    const f = forwardCost(costs, s), r = backwardCost(costs, s);
    if (f < Infinity) { const k = fill[a]++; arcHead[k] = b; arcCost[k] = f; }
    if (r < Infinity) { const k = fill[b]++; arcHead[k] = a; arcCost[k] = r; }
  }
  const own = networkIslands(network, mode, speeds, minIsland);
  const mask = options.snapMask ?? own;
  if (mask.snappable.length !== m) throw new Error(`snapMask: expected one flag per segment (${m}), found ${mask.snappable.length}`);
  const { component, mainComponent } = own;
  let snapCount = 0;
  for (let s = 0; s < m; s++) if (mask.snappable[s] === 1) snapCount++;
  const snapSegments = new Int32Array(snapCount);
  for (let s = 0, k = 0; s < m; s++) if (mask.snappable[s] === 1) snapSegments[k++] = s;
  let snapIndex: Flatbush | null = null;
  if (snapSegments.length > 0) {
    // single-precision boxes, each rounded outward: half the index's memory, and a box still holds its segment
    snapIndex = new Flatbush(snapSegments.length, 16, Float32Array);
    const { nodeX, nodeY, segA, segB } = network;
    for (const s of snapSegments) {
      const ax = nodeX[segA[s]], ay = nodeY[segA[s]], bx = nodeX[segB[s]], by = nodeY[segB[s]];
      snapIndex.add(float32Below(Math.min(ax, bx)), float32Below(Math.min(ay, by)), float32Above(Math.max(ax, bx)), float32Above(Math.max(ay, by)));
    }
    snapIndex.finish();
  }
  return {
    network, mode, costKind, firstArc, arcHead, arcCost, modeBit: bit, classCostPerMeter,
    offNetworkCostPerMeter: walkCostPerMeter(speeds, mode, costKind),
    component, mainComponent, islands: mask.islands,
    snapSegments, snapIndex,
  };
}

type SegmentCosts = Pick<ModeGraph, 'network' | 'modeBit' | 'classCostPerMeter'>;

/** Cost of the whole segment s from its first node to its second; Infinity where closed to the mode. */
export function forwardCost(g: SegmentCosts, s: number): number {
  const per = g.classCostPerMeter[g.network.segClass[s]];
  return per >= 0 && (g.network.segForward[s] & g.modeBit) !== 0 ? g.network.segLength[s] * per : Infinity;
}

/** Cost of the whole segment s from its second node to its first; Infinity where closed to the mode. */
export function backwardCost(g: SegmentCosts, s: number): number {
  const per = g.classCostPerMeter[g.network.segClass[s]];
  return per >= 0 && (g.network.segBackward[s] & g.modeBit) !== 0 ? g.network.segLength[s] * per : Infinity;
}

/**
 * Every segment's two costs as arrays, for exports and checks (pgRouting's edge table); the engine itself
 * asks `forwardCost` / `backwardCost` per segment.
 *
 * @example const { forward, backward } = segmentCosts(graph);
 */
export function segmentCosts(g: SegmentCosts): { forward: Float64Array; backward: Float64Array } {
  const m = g.network.segmentCount;
  const forward = new Float64Array(m), backward = new Float64Array(m);
  for (let s = 0; s < m; s++) { forward[s] = forwardCost(g, s); backward[s] = backwardCost(g, s); }
  return { forward, backward };
}

// union-find over open segments, ignoring direction: a one-way street still joins its ends
function components(network: RoadNetwork, isOpen: Uint8Array): { component: Int32Array; sizes: number[] } {
  const n = network.nodeCount;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const touched = new Uint8Array(n);
  const find = (x: number): number => {
    while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; }
    return x;
  };
  for (let s = 0; s < network.segmentCount; s++) {
    if (!isOpen[s]) continue;
    const a = network.segA[s], b = network.segB[s];
    touched[a] = 1;
    touched[b] = 1;
    const ra = find(a), rb = find(b);
    if (ra !== rb) parent[ra] = rb;
  }
  const component = new Int32Array(n).fill(-1);
  const idOfRoot = new Int32Array(n).fill(-1);
  const sizes: number[] = [];
  for (let v = 0; v < n; v++) {
    if (!touched[v]) continue;
    const r = find(v);
    if (idOfRoot[r] < 0) { idOfRoot[r] = sizes.length; sizes.push(0); }
    component[v] = idOfRoot[r];
    sizes[idOfRoot[r]]++;
  }
  return { component, sizes };
}

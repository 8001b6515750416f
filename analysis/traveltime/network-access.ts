import { backwardCost, forwardCost, type ModeGraph } from '../network/mode-graph.ts';
import type { SnappedPoints } from '../network/snap-points.ts';
import { multiSourceDijkstra, type NodeCosts, type Seeds } from './multi-source-dijkstra.ts';
import { alongSegmentCost, pointSeeds } from './snapped-point-costs.ts';

/** Per origin: cost to the nearest facility and which one; Infinity / -1 where none within the cut-off. */
export interface OriginCosts {
  readonly cost: Float64Array;
  readonly facility: Int32Array;
}

/**
 * Seeds for facilities snapped mid-segment: each reaches the segment's ends it may travel to, after its
 * off-network leg. Unsnapped facilities give no seed.
 */
export function facilitySeeds(graph: ModeGraph, snaps: SnappedPoints): Seeds {
  const node = new Int32Array(snaps.count * 2), cost = new Float64Array(snaps.count * 2), source = new Int32Array(snaps.count * 2);
  let n = 0;
  for (let i = 0; i < snaps.count; i++) n = pointSeeds(graph, snaps.segment[i], snaps.fraction[i], snaps.offMeters[i], i, node, cost, source, n);
  return { node: node.slice(0, n), cost: cost.slice(0, n), source: source.slice(0, n) };
}

/**
 * Cost from the nearest facility to each snapped origin: through either end of the origin's segment, or
 * straight along it when a facility sits on the same segment; both off-network legs included.
 *
 * @example
 * const nodes = multiSourceDijkstra(graph, facilitySeeds(graph, fSnaps), 900);
 * const cells = originCosts(graph, nodes, cSnaps, fSnaps, 900);
 */
export function originCosts(graph: ModeGraph, nodes: NodeCosts, origins: SnappedPoints, facilities: SnappedPoints, cutoff: number): OriginCosts {
  const cost = new Float64Array(origins.count).fill(Infinity);
  const facility = new Int32Array(origins.count).fill(-1);
  const { segA, segB } = graph.network;
  const perMeter = graph.offNetworkCostPerMeter;
  // facilities by segment, for origins sharing a segment with one
  const onSegment = new Map<number, number[]>();
  for (let f = 0; f < facilities.count; f++) {
    const s = facilities.segment[f];
    if (s < 0) continue;
    const list = onSegment.get(s);
    if (list) list.push(f); else onSegment.set(s, [f]);
  }
  for (let i = 0; i < origins.count; i++) {
    const s = origins.segment[i];
    if (s < 0) continue;
    const t = origins.fraction[i];
    let best = Infinity, bestF = -1;
    const a = segA[s], b = segB[s];
    const fwd = forwardCost(graph, s), bwd = backwardCost(graph, s);
    if (fwd < Infinity && nodes.cost[a] < Infinity) {
      const c = nodes.cost[a] + t * fwd;
      if (c < best || (c === best && nodes.source[a] < bestF)) { best = c; bestF = nodes.source[a]; }
    }
    if (bwd < Infinity && nodes.cost[b] < Infinity) {
      const c = nodes.cost[b] + (1 - t) * bwd;
      if (c < best || (c === best && nodes.source[b] < bestF)) { best = c; bestF = nodes.source[b]; }
    }
    const same = onSegment.get(s);
    if (same) {
      for (const f of same) {
        const c = alongSegmentCost(graph, s, t, facilities.fraction[f], facilities.offMeters[f]);
        if (c < best || (c === best && f < bestF)) { best = c; bestF = f; }
      }
    }
    best += origins.offMeters[i] * perMeter;
    if (best <= cutoff) {
      cost[i] = best;
      facility[i] = bestF;
    }
  }
  return { cost, facility };
}

/** Snapped facilities to snapped origins in one call: seeds, one Dijkstra, then the origins. */
export function networkAccess(graph: ModeGraph, facilities: SnappedPoints, origins: SnappedPoints, cutoff: number): OriginCosts & { nodes: NodeCosts } {
  const nodes = multiSourceDijkstra(graph, facilitySeeds(graph, facilities), cutoff);
  return { ...originCosts(graph, nodes, origins, facilities, cutoff), nodes };
}

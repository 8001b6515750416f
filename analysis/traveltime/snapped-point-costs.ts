import { backwardCost, forwardCost, type ModeGraph } from '../network/mode-graph.ts';

// one place for how a point snapped mid-segment is costed, so full runs and what-if edits agree bit for bit

/**
 * Writes the seeds of one snapped point (at most two: the segment ends it may travel to, after its
 * off-network leg) into `node/cost/source` from position `at`; returns the new end position.
 *
 * @example
 * const end = pointSeeds(graph, snaps.segment[j], snaps.fraction[j], snaps.offMeters[j], j, node, cost, source, 0);
 */
export function pointSeeds(
  graph: ModeGraph, segment: number, fraction: number, offMeters: number, source: number,
  node: Int32Array, cost: Float64Array, sources: Int32Array, at: number,
): number {
  if (segment < 0) return at;
  const { segA, segB } = graph.network;
  const t = fraction;
  const leg = offMeters * graph.offNetworkCostPerMeter;
  const fwd = forwardCost(graph, segment), bwd = backwardCost(graph, segment);
  if (fwd < Infinity) { node[at] = segB[segment]; cost[at] = leg + (1 - t) * fwd; sources[at++] = source; }
  if (bwd < Infinity) { node[at] = segA[segment]; cost[at] = leg + t * bwd; sources[at++] = source; }
  return at;
}

/**
 * Cost from a facility at fraction `tf` of segment s (off-network leg included) straight along the segment
 * to an origin at fraction t of it, before the origin's own leg; Infinity against a one-way segment.
 *
 * @example
 * const c = alongSegmentCost(graph, s, origins.fraction[i], snaps.fraction[f], snaps.offMeters[f]);
 */
export function alongSegmentCost(graph: ModeGraph, s: number, t: number, tf: number, facilityOffMeters: number): number {
  const fwd = forwardCost(graph, s), bwd = backwardCost(graph, s);
  const along = t >= tf ? (fwd < Infinity ? (t - tf) * fwd : Infinity) : (bwd < Infinity ? (tf - t) * bwd : Infinity);
  return facilityOffMeters * graph.offNetworkCostPerMeter + along;
}

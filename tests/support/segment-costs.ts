import { segmentCosts, type ModeGraph } from '../../analysis/network/mode-graph.ts';

const cache = new WeakMap<ModeGraph, { forward: Float64Array; backward: Float64Array }>();

/** A graph's per-segment costs as arrays (the engine asks forwardCost / backwardCost per segment), built once per graph. */
export function costsOf(g: ModeGraph): { forward: Float64Array; backward: Float64Array } {
  let c = cache.get(g);
  if (!c) { c = segmentCosts(g); cache.set(g, c); }
  return c;
}

import type { ModeGraph } from '../network/mode-graph.ts';
import { NodeHeap } from './node-heap.ts';

/** Start nodes of a search: node, the cost already spent reaching it, and the facility it stands for. */
export interface Seeds {
  node: Int32Array;
  cost: Float64Array;
  source: Int32Array;
}

export interface NodeCosts {
  /** cost to the nearest source, Infinity beyond the cut-off or unreachable */
  readonly cost: Float64Array;
  /** index of that source, -1 where unreached */
  readonly source: Int32Array;
  readonly settled: number;
}

/**
 * One Dijkstra from all sources at once over the CSR arrays: each node gets the cost of its nearest source
 * (pgRouting's `equicost`), stopping at `cutoff`.
 *
 * @example
 * const { cost, source } = multiSourceDijkstra(graph, seeds, 900);
 */
export function multiSourceDijkstra(graph: ModeGraph, seeds: Seeds, cutoff = Infinity): NodeCosts {
  const n = graph.network.nodeCount;
  const { firstArc, arcHead, arcCost } = graph;
  const cost = new Float64Array(n).fill(Infinity);
  const source = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  const heap = new NodeHeap(Math.max(16, seeds.node.length * 2));
  for (let i = 0; i < seeds.node.length; i++) {
    const v = seeds.node[i], c = seeds.cost[i];
    if (v < 0 || v >= n) throw new Error(`seed ${i}: node ${v} is not in the graph (0..${n - 1})`);
    // equal costs go to the lower source index, so ties are deterministic
    if (c <= cutoff && (c < cost[v] || (c === cost[v] && seeds.source[i] < source[v]))) {
      cost[v] = c;
      source[v] = seeds.source[i];
      heap.push(v, c);
    }
  }
  let settled = 0;
  while (heap.size > 0) {
    const c = heap.peekValue();
    const v = heap.pop();
    if (done[v] || c > cost[v]) continue;
    done[v] = 1;
    settled++;
    const src = source[v];
    for (let k = firstArc[v], end = firstArc[v + 1]; k < end; k++) {
      const w = arcHead[k];
      if (done[w]) continue;
      const nc = c + arcCost[k];
      if (nc > cutoff) continue;
      if (nc < cost[w] || (nc === cost[w] && src < source[w])) {
        cost[w] = nc;
        source[w] = src;
        heap.push(w, nc);
      }
    }
  }
  return { cost, source, settled };
}

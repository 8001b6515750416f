import type { ModeGraph } from '../network/mode-graph.ts';

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

// binary min-heap of (node, cost) in typed arrays; stale entries are skipped on pop (lazy deletion)
class NodeHeap {
  ids: Int32Array;
  values: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
  }
  push(id: number, value: number): void {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.size * 2), values = new Float64Array(this.size * 2);
      ids.set(this.ids);
      values.set(this.values);
      this.ids = ids;
      this.values = values;
    }
    let pos = this.size++;
    const { ids, values } = this;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (values[parent] <= value) break;
      ids[pos] = ids[parent];
      values[pos] = values[parent];
      pos = parent;
    }
    ids[pos] = id;
    values[pos] = value;
  }
  peekValue(): number {
    return this.values[0];
  }
  pop(): number {
    const { ids, values } = this;
    const top = ids[0];
    const last = --this.size;
    if (last > 0) {
      const id = ids[last], value = values[last];
      let pos = 0;
      const half = last >> 1;
      while (pos < half) {
        let child = 2 * pos + 1;
        if (child + 1 < last && values[child + 1] < values[child]) child++;
        if (values[child] >= value) break;
        ids[pos] = ids[child];
        values[pos] = values[child];
        pos = child;
      }
      ids[pos] = id;
      values[pos] = value;
    }
    return top;
  }
}

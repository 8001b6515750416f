import type { ModeGraph } from '../network/mode-graph.ts';
import { NodeHeap } from '../traveltime/node-heap.ts';

/** Labels a search must beat: an overlay (valid where `stamp[v] === run`) over a base. */
export interface CurrentLabels {
  stamp: Uint32Array;
  run: number;
  overCost: Float64Array;
  overSource: Int32Array;
  baseCost: Float64Array;
  baseSource: Int32Array;
}

function beats(l: CurrentLabels, v: number, c: number, src: number): boolean {
  const over = l.stamp[v] === l.run;
  const cur = over ? l.overCost[v] : l.baseCost[v];
  return c < cur || (c === cur && src < (over ? l.overSource[v] : l.baseSource[v]));
}

/**
 * A reusable Dijkstra over a mode graph for many small searches (one new site, one repaired region): the
 * labels live in node-sized arrays stamped with a run number, so a search costs what it reaches, not the
 * size of the network. Same tie rules as `multiSourceDijkstra`: equal costs go to the lower source.
 *
 * @example
 * const search = new BoundedSearch(graph);
 * search.run(Int32Array.of(node), Float64Array.of(0), Int32Array.of(7), 1, 900);
 * for (let k = 0; k < search.settledCount; k++) search.cost(search.settled[k]);
 */
export class BoundedSearch {
  readonly graph: ModeGraph;
  /** nodes reached by the last run, in the order they were settled */
  readonly settled: Int32Array;
  settledCount = 0;
  private readonly costs: Float64Array;
  private readonly sources: Int32Array;
  // label valid when stamp[v] === run; settled when done[v] === run
  private readonly stamp: Uint32Array;
  private readonly done: Uint32Array;
  private runId = 0;
  private readonly heap = new NodeHeap(64);

  constructor(graph: ModeGraph) {
    const n = graph.network.nodeCount;
    this.graph = graph;
    this.settled = new Int32Array(n);
    this.costs = new Float64Array(n);
    this.sources = new Int32Array(n);
    this.stamp = new Uint32Array(n);
    this.done = new Uint32Array(n);
  }

  /** Cost of node v in the last run; Infinity where it was not reached within the cut-off. */
  cost(v: number): number {
    return this.stamp[v] === this.runId ? this.costs[v] : Infinity;
  }

  /** Source of node v in the last run; -1 where it was not reached. */
  source(v: number): number {
    return this.stamp[v] === this.runId ? this.sources[v] : -1;
  }

  /**
   * Runs from `count` seeds up to `cutoff`. With `allowed`, only nodes v with `allowed[v] === allowedValue`
   * are entered (seeds included): the search then stays inside a region whose outside is already final.
   * With `prune`, a node is entered only where it beats the node's current label (cost, then lower source):
   * a new site then costs what it improves, not everything within the cut-off.
   */
  run(
    seedNode: ArrayLike<number>, seedCost: ArrayLike<number>, seedSource: ArrayLike<number>, count: number,
    cutoff: number, allowed: Uint32Array | null = null, allowedValue = 0, prune: CurrentLabels | null = null,
  ): number {
    const { firstArc, arcHead, arcCost } = this.graph;
    const { costs, sources, stamp, done, settled, heap } = this;
    // a fresh run number invalidates every label at once; wrap-around after 4e9 runs clears the stamps
    if (this.runId === 0xffffffff) { stamp.fill(0); done.fill(0); this.runId = 0; }
    const run = ++this.runId;
    heap.size = 0;
    for (let i = 0; i < count; i++) {
      const v = seedNode[i], c = seedCost[i], src = seedSource[i];
      if (allowed !== null && allowed[v] !== allowedValue) continue;
      if (prune !== null && !beats(prune, v, c, src)) continue;
      if (c <= cutoff && (stamp[v] !== run || c < costs[v] || (c === costs[v] && src < sources[v]))) {
        stamp[v] = run;
        costs[v] = c;
        sources[v] = src;
        heap.push(v, c);
      }
    }
    let n = 0;
    while (heap.size > 0) {
      const c = heap.peekValue();
      const v = heap.pop();
      if (done[v] === run || c > costs[v]) continue;
      done[v] = run;
      settled[n++] = v;
      const src = sources[v];
      for (let k = firstArc[v], end = firstArc[v + 1]; k < end; k++) {
        const w = arcHead[k];
        if (done[w] === run) continue;
        if (allowed !== null && allowed[w] !== allowedValue) continue;
        const nc = c + arcCost[k];
        if (nc > cutoff) continue;
        if (prune !== null && !beats(prune, w, nc, src)) continue;
        if (stamp[w] !== run || nc < costs[w] || (nc === costs[w] && src < sources[w])) {
          stamp[w] = run;
          costs[w] = nc;
          sources[w] = src;
          heap.push(w, nc);
        }
      }
    }
    this.settledCount = n;
    return n;
  }
}

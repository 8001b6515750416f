import type { SnappedPoints } from '../network/snap-points.ts';

/**
 * Snapped cells listed under both end nodes of the segment they joined (CSR): the cells of node v are
 * `cell[first[v]] .. cell[first[v + 1] - 1]`. A search that reached a set of nodes finds every cell whose
 * cost it can change by reading these lists; a cell's own segment s is listed in full under `segA[s]`.
 */
export interface CellsByNode {
  readonly first: Int32Array;
  readonly cell: Int32Array;
}

/**
 * Indexes snapped cells by the nodes of their segments; `keep(i)` leaves out cells nobody needs (e.g.
 * cells already covered, when choosing sites).
 *
 * @example
 * const index = cellsByNode(graph.network.nodeCount, graph.network.segA, graph.network.segB, prepared.origins);
 * for (let k = index.first[v]; k < index.first[v + 1]; k++) visit(index.cell[k]);
 */
export function cellsByNode(
  nodeCount: number, segA: Int32Array, segB: Int32Array, origins: SnappedPoints, keep?: (cell: number) => boolean,
): CellsByNode {
  const first = new Int32Array(nodeCount + 1);
  const use = new Uint8Array(origins.count);
  for (let i = 0; i < origins.count; i++) {
    const s = origins.segment[i];
    if (s < 0 || (keep !== undefined && !keep(i))) continue;
    use[i] = 1;
    first[segA[s] + 1]++;
    first[segB[s] + 1]++;
  }
  for (let v = 0; v < nodeCount; v++) first[v + 1] += first[v];
  const fill = first.slice(0, nodeCount);
  const cell = new Int32Array(first[nodeCount]);
  // cells go in ascending order under each node, so visits are deterministic
  for (let i = 0; i < origins.count; i++) {
    if (!use[i]) continue;
    const s = origins.segment[i];
    cell[fill[segA[s]]++] = i;
    cell[fill[segB[s]]++] = i;
  }
  return { first, cell };
}

import type { RoadNetwork } from '../network/road-network.ts';

/**
 * The given segments (ascending region ids) and the nodes they touch, both in their region order (so every
 * tie the engine breaks by the lower segment, node or arc comes out the same), with the region's projection
 * and projected coordinates as they are: a point snaps to the same place on the same road in a tile as in its
 * region. Work follows the tile's size; `scratch` (zeros, one per region node, see `RoadIndex`) saves an
 * allocation the region's size.
 *
 * @example
 * const { network: tile, nodes } = subNetwork(region, segmentsInBox(roads, box)); // nodes[k]: region node of tile node k
 */
export function subNetwork(network: RoadNetwork, segments: Int32Array, scratch?: Int32Array): { network: RoadNetwork; segments: Int32Array; nodes: Int32Array } {
  const m = network.segmentCount, segCount = segments.length;
  for (let k = 0; k < segCount; k++) {
    const s = segments[k];
    if (!(s >= 0 && s < m) || (k > 0 && s <= segments[k - 1])) throw new Error(`subNetwork: segments must be ascending ids below ${m}, found ${s} at ${k}`);
  }
  // tile node + 1 by region node, 0 where untouched: a region's cuts share one array, handed back all zeros,
  // so a cut neither passes over the region nor allocates its size (each such allocation costs a collection)
  const nodeOfPlusOne = scratch ?? new Int32Array(network.nodeCount);
  if (nodeOfPlusOne.length !== network.nodeCount) throw new Error(`subNetwork: scratch must have one slot per node (${network.nodeCount}), found ${nodeOfPlusOne.length}`);
  const ends = new Int32Array(2 * segCount);
  let nodeCount = 0;
  for (let k = 0; k < segCount; k++) {
    const a = network.segA[segments[k]], b = network.segB[segments[k]];
    if (nodeOfPlusOne[a] === 0) { nodeOfPlusOne[a] = 1; ends[nodeCount++] = a; }
    if (nodeOfPlusOne[b] === 0) { nodeOfPlusOne[b] = 1; ends[nodeCount++] = b; }
  }
  const nodes = ends.slice(0, nodeCount).sort();
  for (let k = 0; k < nodeCount; k++) nodeOfPlusOne[nodes[k]] = k + 1;
  const nodeOf = (v: number) => nodeOfPlusOne[v] - 1;
  const nodeLon = new Float64Array(nodeCount), nodeLat = new Float64Array(nodeCount);
  const nodeX = new Float64Array(nodeCount), nodeY = new Float64Array(nodeCount);
  for (let k = 0; k < nodeCount; k++) {
    const v = nodes[k];
    nodeLon[k] = network.nodeLon[v]; nodeLat[k] = network.nodeLat[v];
    nodeX[k] = network.nodeX[v]; nodeY[k] = network.nodeY[v];
  }
  const segA = new Int32Array(segCount), segB = new Int32Array(segCount), segLength = new Float64Array(segCount);
  const segClass = new Uint16Array(segCount), segWay = new Int32Array(segCount);
  const segForward = new Uint8Array(segCount), segBackward = new Uint8Array(segCount);
  for (let k = 0; k < segCount; k++) {
    const s = segments[k];
    segA[k] = nodeOf(network.segA[s]); segB[k] = nodeOf(network.segB[s]);
    segLength[k] = network.segLength[s]; segClass[k] = network.segClass[s]; segWay[k] = network.segWay[s];
    segForward[k] = network.segForward[s]; segBackward[k] = network.segBackward[s];
  }
  if (scratch) for (let k = 0; k < nodeCount; k++) scratch[nodes[k]] = 0;
  return {
    network: {
      nodeCount, nodeLon, nodeLat, segmentCount: segCount, segA, segB, segLength, segClass, segWay, segForward, segBackward,
      classNames: network.classNames, wayIds: network.wayIds, proj: network.proj, nodeX, nodeY, skipped: network.skipped,
    },
    segments,
    nodes,
  };
}

import type { RoadNetwork } from '../network/road-network.ts';

/**
 * The segments `keep` marks and the nodes they touch, both in their region order (so every tie the engine
 * breaks by the lower segment, node or arc comes out the same), with the region's projection and projected
 * coordinates as they are: a point snaps to the same place on the same road in a tile as in its region.
 *
 * @example
 * const { network: tile, segments } = subNetwork(region, keep); // segments[k]: region segment of tile segment k
 */
export function subNetwork(network: RoadNetwork, keep: Uint8Array): { network: RoadNetwork; segments: Int32Array; nodes: Int32Array } {
  const m = network.segmentCount;
  if (keep.length !== m) throw new Error(`subNetwork: expected one flag per segment (${m}), found ${keep.length}`);
  const touched = new Uint8Array(network.nodeCount);
  let segCount = 0;
  for (let s = 0; s < m; s++) {
    if (keep[s] !== 1) continue;
    segCount++;
    touched[network.segA[s]] = 1;
    touched[network.segB[s]] = 1;
  }
  const nodeOf = new Int32Array(network.nodeCount).fill(-1);
  let nodeCount = 0;
  for (let v = 0; v < network.nodeCount; v++) if (touched[v] === 1) nodeOf[v] = nodeCount++;
  const nodes = new Int32Array(nodeCount);
  const nodeLon = new Float64Array(nodeCount), nodeLat = new Float64Array(nodeCount);
  const nodeX = new Float64Array(nodeCount), nodeY = new Float64Array(nodeCount);
  for (let v = 0; v < network.nodeCount; v++) {
    const k = nodeOf[v];
    if (k < 0) continue;
    nodes[k] = v;
    nodeLon[k] = network.nodeLon[v]; nodeLat[k] = network.nodeLat[v];
    nodeX[k] = network.nodeX[v]; nodeY[k] = network.nodeY[v];
  }
  const segments = new Int32Array(segCount);
  const segA = new Int32Array(segCount), segB = new Int32Array(segCount), segLength = new Float64Array(segCount);
  const segClass = new Uint16Array(segCount), segWay = new Int32Array(segCount);
  const segForward = new Uint8Array(segCount), segBackward = new Uint8Array(segCount);
  for (let s = 0, k = 0; s < m; s++) {
    if (keep[s] !== 1) continue;
    segments[k] = s;
    segA[k] = nodeOf[network.segA[s]]; segB[k] = nodeOf[network.segB[s]];
    segLength[k] = network.segLength[s]; segClass[k] = network.segClass[s]; segWay[k] = network.segWay[s];
    segForward[k] = network.segForward[s]; segBackward[k] = network.segBackward[s];
    k++;
  }
  return {
    network: {
      nodeCount, nodeLon, nodeLat, segmentCount: segCount, segA, segB, segLength, segClass, segWay, segForward, segBackward,
      classNames: network.classNames, wayIds: network.wayIds, proj: network.proj, nodeX, nodeY, skipped: network.skipped,
    },
    segments,
    nodes,
  };
}

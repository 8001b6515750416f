import Flatbush from 'flatbush';
import { float32Above, float32Below } from '../geo/float32-bounds.ts';
import type { RoadNetwork } from '../network/road-network.ts';
import type { LonLatBox } from './lon-lat-box.ts';

/** A region's segments by their lon/lat boxes, built once and shared by every tile cut from the region. */
export interface RoadIndex {
  readonly network: RoadNetwork;
  readonly index: Flatbush | null;
  /** zeros, one per node: what `subNetwork` borrows for each cut */
  readonly scratch: Int32Array;
}

/**
 * Indexes every segment's lon/lat box (single precision, rounded outward: half the memory, nothing lost), so a
 * tile finds its roads without a pass over the region's.
 *
 * @example
 * const roads = roadIndex(network); segmentsInBox(roads, tile.haloBox);
 */
export function roadIndex(network: RoadNetwork): RoadIndex {
  const m = network.segmentCount;
  const scratch = new Int32Array(network.nodeCount);
  if (m === 0) return { network, index: null, scratch };
  const index = new Flatbush(m, 16, Float32Array);
  const { segA, segB, nodeLon, nodeLat } = network;
  for (let s = 0; s < m; s++) {
    const a = segA[s], b = segB[s];
    index.add(float32Below(Math.min(nodeLon[a], nodeLon[b])), float32Below(Math.min(nodeLat[a], nodeLat[b])),
      float32Above(Math.max(nodeLon[a], nodeLon[b])), float32Above(Math.max(nodeLat[a], nodeLat[b])));
  }
  index.finish();
  return { network, index, scratch };
}

/**
 * The segments whose box meets `box` (edges included), ascending: the index's candidates kept by the exact
 * double-precision test. Without an index, a pass over every segment gives the same list.
 *
 * @example const segments = segmentsInBox(roads, [106.4, 30.4, 106.6, 30.6]);
 */
export function segmentsInBox(roads: RoadIndex | RoadNetwork, box: LonLatBox): Int32Array {
  const network = 'index' in roads ? roads.network : roads;
  const { segA, segB, nodeLon, nodeLat } = network;
  const meets = (s: number) => {
    const a = segA[s], b = segB[s];
    return Math.max(nodeLon[a], nodeLon[b]) >= box[0] && Math.min(nodeLon[a], nodeLon[b]) <= box[2]
      && Math.max(nodeLat[a], nodeLat[b]) >= box[1] && Math.min(nodeLat[a], nodeLat[b]) <= box[3];
  };
  if (!('index' in roads)) {
    let n = 0;
    for (let s = 0; s < network.segmentCount; s++) if (meets(s)) n++;
    const out = new Int32Array(n);
    for (let s = 0, k = 0; s < network.segmentCount; s++) if (meets(s)) out[k++] = s;
    return out;
  }
  if (roads.index === null) return new Int32Array(0);
  let out = new Int32Array(1024), n = 0;
  // returning false keeps flatbush from building a result array of its own
  roads.index.search(box[0], box[1], box[2], box[3], (s) => {
    if (!meets(s)) return false;
    if (n === out.length) { const grown = new Int32Array(2 * n); grown.set(out); out = grown; }
    out[n++] = s;
    return false;
  });
  return out.slice(0, n).sort();
}

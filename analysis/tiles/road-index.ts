import Flatbush from 'flatbush';
import { float32Above, float32Below } from '../geo/float32-bounds.ts';
import type { RoadNetwork } from '../network/road-network.ts';
import type { LonLatBox } from './lon-lat-box.ts';

const RUN = 16;

/** A region's segments by their lon/lat boxes, built once and shared by every tile cut from the region. */
export interface RoadIndex {
  readonly network: RoadNetwork;
  /** one item per run of consecutive segments of one way (`runStart[k]` to `runStart[k + 1]`) */
  readonly index: Flatbush | null;
  readonly runStart: Int32Array;
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
  if (m === 0) return { network, index: null, runStart: new Int32Array(1), scratch };
  const { segA, segB, segWay, nodeLon, nodeLat } = network;
  // runs of up to RUN segments along one way: a way's segments are consecutive and adjacent, so a run's box is
  // small, and the index holds a sixteenth of the items (a province's 12 M segments: seconds of sorting saved)
  const starts: number[] = [0];
  for (let s = 1; s < m; s++) if (s - starts[starts.length - 1] === RUN || segWay[s] !== segWay[s - 1]) starts.push(s);
  starts.push(m);
  const runStart = Int32Array.from(starts);
  const runs = runStart.length - 1;
  const index = new Flatbush(runs, 16, Float32Array);
  for (let k = 0; k < runs; k++) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let s = runStart[k]; s < runStart[k + 1]; s++) {
      const a = segA[s], b = segB[s];
      x0 = Math.min(x0, nodeLon[a], nodeLon[b]); x1 = Math.max(x1, nodeLon[a], nodeLon[b]);
      y0 = Math.min(y0, nodeLat[a], nodeLat[b]); y1 = Math.max(y1, nodeLat[a], nodeLat[b]);
    }
    index.add(float32Below(x0), float32Below(y0), float32Above(x1), float32Above(y1));
  }
  index.finish();
  return { network, index, runStart, scratch };
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
  // the runs whose box meets, in id order; their segments, each tested exactly, come out ascending
  const runs = roads.index.search(box[0], box[1], box[2], box[3]).sort((a, b) => a - b);
  let n = 0;
  for (const k of runs) n += roads.runStart[k + 1] - roads.runStart[k];
  const out = new Int32Array(n);
  let found = 0;
  for (const k of runs) for (let s = roads.runStart[k]; s < roads.runStart[k + 1]; s++) if (meets(s)) out[found++] = s;
  return out.slice(0, found);
}

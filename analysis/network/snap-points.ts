import type { ModeGraph } from './mode-graph.ts';

/**
 * Where points join a mode's network: segment, fraction along it from its first node, and the straight
 * off-network distance. `segment[i] = -1` marks a point farther than the snap limit: unreachable, reported.
 */
export interface SnappedPoints {
  readonly count: number;
  readonly segment: Int32Array;
  readonly fraction: Float64Array;
  readonly offMeters: Float64Array;
  /** how many points could not snap */
  readonly unsnapped: number;
}

const FIRST_RADIUS = 60;
// consecutive points within this many metres share one index search (a grid's cells come row by row);
// wider runs search less but test more candidates per point; 400–1600 m timed alike on the county bench
const RUN_SPAN = 800;
const MAX_RUN = 64;

/**
 * Snaps points to the nearest point of the nearest open segment (not just the nearest node), searching
 * outward until `maxSnapMeters`. Runs of nearby consecutive points share each index search.
 *
 * @example
 * const snaps = snapPoints(graph, facilities.lon, facilities.lat, 500);
 */
export function snapPoints(
  graph: ModeGraph, lon: ArrayLike<number>, lat: ArrayLike<number>, maxSnapMeters: number,
  onProgress?: (fraction: number) => void,
): SnappedPoints {
  if (!(maxSnapMeters >= 0)) throw new Error(`maxSnapMeters must be a number >= 0, found ${maxSnapMeters}`);
  const count = lon.length;
  const segment = new Int32Array(count).fill(-1);
  const fraction = new Float64Array(count);
  const offMeters = new Float64Array(count).fill(Infinity);
  const { network, snapIndex, snapSegments } = graph;
  const { nodeX, nodeY, segA, segB, proj } = network;
  if (snapIndex === null) {
    if (onProgress !== undefined) for (let i = 0; i < count; i += 0x4000) onProgress(i / count);
    return { count, segment, fraction, offMeters, unsnapped: count };
  }
  // projected on the fly: two arrays the size of a province's cells would outweigh the work
  const { lon0, lat0, kx, ky } = proj;
  const pxOf = (k: number) => (lon[k] - lon0) * kx, pyOf = (k: number) => (lat[k] - lat0) * ky;
  // what one index search found: segment, its box and its geometry (a, b - a), in flat arrays kept between searches;
  // returning false keeps flatbush from building a result array
  let found = 0, capacity = 0;
  let candSegment = new Int32Array(0), candBox = new Float64Array(0), candLine = new Float64Array(0);
  const collect = (item: number, x0: number, y0: number, x1: number, y1: number): boolean => {
    if (found === capacity) {
      capacity = Math.max(64, capacity * 2);
      const seg = new Int32Array(capacity), box = new Float64Array(4 * capacity), line = new Float64Array(4 * capacity);
      seg.set(candSegment); box.set(candBox); line.set(candLine);
      candSegment = seg; candBox = box; candLine = line;
    }
    const s = snapSegments[item], o = 4 * found;
    const ax = nodeX[segA[s]], ay = nodeY[segA[s]];
    candSegment[found] = s;
    candBox[o] = x0; candBox[o + 1] = y0; candBox[o + 2] = x1; candBox[o + 3] = y1;
    candLine[o] = ax; candLine[o + 1] = ay; candLine[o + 2] = nodeX[segB[s]] - ax; candLine[o + 3] = nodeY[segB[s]] - ay;
    found++;
    return false;
  };
  const waiting = new Int32Array(MAX_RUN);
  let unsnapped = 0;
  for (let i = 0; i < count;) {
    // a run: the next points while they fit in a square of RUN_SPAN
    let minX = pxOf(i), minY = pyOf(i), maxX = minX, maxY = minY;
    let end = i + 1;
    for (; end < count && end - i < MAX_RUN; end++) {
      const ex = pxOf(end), ey = pyOf(end);
      const x0 = Math.min(minX, ex), y0 = Math.min(minY, ey);
      const x1 = Math.max(maxX, ex), y1 = Math.max(maxY, ey);
      if (!(x1 - x0 <= RUN_SPAN && y1 - y0 <= RUN_SPAN)) break;
      minX = x0; minY = y0; maxX = x1; maxY = y1;
    }
    let left = 0;
    for (let k = i; k < end; k++) {
      if (onProgress !== undefined && (k & 0x3fff) === 0) onProgress(k / count);
      waiting[left++] = k;
    }
    // a hit within radius r is exact: any closer segment would have its box inside the search box;
    // points with none wait for the next, wider search
    for (let r = Math.min(FIRST_RADIUS, maxSnapMeters); left > 0; r = Math.min(r * 4, maxSnapMeters)) {
      minX = Infinity; minY = Infinity; maxX = -Infinity; maxY = -Infinity;
      for (let w = 0; w < left; w++) {
        const k = waiting[w], x = pxOf(k), y = pyOf(k);
        minX = Math.min(minX, x); minY = Math.min(minY, y);
        maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
      }
      // one search around the waiting points; each then keeps what a search of its own box would have found
      found = 0;
      snapIndex.search(minX - r, minY - r, maxX + r, maxY + r, collect);
      const waited = left;
      left = 0;
      for (let w = 0; w < waited; w++) {
        const k = waiting[w];
        const x = pxOf(k), y = pyOf(k);
        const qx0 = x - r, qy0 = y - r, qx1 = x + r, qy1 = y + r;
        let best = -1, bestD2 = Infinity, bestT = 0;
        for (let c = 0; c < found; c++) {
          const o = 4 * c;
          // flatbush's own overlap test, against the box a search for this point alone would use
          if (qx1 < candBox[o] || qy1 < candBox[o + 1] || qx0 > candBox[o + 2] || qy0 > candBox[o + 3]) continue;
          const s = candSegment[c];
          const ax = candLine[o], ay = candLine[o + 1], dx = candLine[o + 2], dy = candLine[o + 3];
          const len2 = dx * dx + dy * dy;
          let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
          if (t < 0) t = 0; else if (t > 1) t = 1;
          const ex = ax + t * dx - x, ey = ay + t * dy - y;
          const d2 = ex * ex + ey * ey;
          // ties go to the lower segment id so results do not depend on index order
          if (d2 < bestD2 || (d2 === bestD2 && s < best)) { bestD2 = d2; best = s; bestT = t; }
        }
        if (!((best >= 0 && bestD2 <= r * r) || r >= maxSnapMeters)) {
          waiting[left++] = k;
        } else if (best >= 0 && bestD2 <= maxSnapMeters * maxSnapMeters) {
          segment[k] = best;
          fraction[k] = bestT;
          offMeters[k] = Math.sqrt(bestD2);
        } else {
          unsnapped++;
        }
      }
    }
    i = end;
  }
  return { count, segment, fraction, offMeters, unsnapped };
}

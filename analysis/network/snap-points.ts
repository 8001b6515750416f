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

/**
 * Snaps points to the nearest point of the nearest open segment (not just the nearest node), searching
 * outward until `maxSnapMeters`.
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
  let unsnapped = 0;
  let best = -1, bestD2 = Infinity, bestT = 0;
  let px = 0, py = 0;
  // called by flatbush for every candidate in the box; keeps the exact nearest, returns false to collect nothing
  const visit = (item: number): boolean => {
    const s = snapSegments[item];
    const ax = nodeX[segA[s]], ay = nodeY[segA[s]];
    const dx = nodeX[segB[s]] - ax, dy = nodeY[segB[s]] - ay;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
    if (t < 0) t = 0; else if (t > 1) t = 1;
    const ex = ax + t * dx - px, ey = ay + t * dy - py;
    const d2 = ex * ex + ey * ey;
    // ties go to the lower segment id so results do not depend on index order
    if (d2 < bestD2 || (d2 === bestD2 && s < best)) { bestD2 = d2; best = s; bestT = t; }
    return false;
  };
  for (let i = 0; i < count; i++) {
    if (onProgress !== undefined && (i & 0x3fff) === 0) onProgress(i / count);
    best = -1; bestD2 = Infinity; bestT = 0;
    if (snapIndex !== null) {
      px = (lon[i] - proj.lon0) * proj.kx;
      py = (lat[i] - proj.lat0) * proj.ky;
      // a hit within radius r is exact: any closer segment would have its box inside the search box
      for (let r = Math.min(FIRST_RADIUS, maxSnapMeters); ; r = Math.min(r * 4, maxSnapMeters)) {
        snapIndex.search(px - r, py - r, px + r, py + r, visit);
        if ((best >= 0 && bestD2 <= r * r) || r >= maxSnapMeters) break;
      }
    }
    if (best >= 0 && bestD2 <= maxSnapMeters * maxSnapMeters) {
      segment[i] = best;
      fraction[i] = bestT;
      offMeters[i] = Math.sqrt(bestD2);
    } else {
      unsnapped++;
    }
  }
  return { count, segment, fraction, offMeters, unsnapped };
}

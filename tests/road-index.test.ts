// A region's road index (analysis/tiles/road-index.ts) against a brute-force scan of every segment's box
// written here, on boxes whose edges fall exactly on node coordinates (where single-precision rounding bites);
// and subNetwork with the shared scratch against subNetwork without it.
import { describe, expect, it } from 'vitest';
import { roadIndex, segmentsInBox } from '../analysis/tiles/road-index.ts';
import { subNetwork } from '../analysis/tiles/sub-network.ts';
import { generatedNetwork } from './support/generated-network.ts';
import { seededRandom } from './support/seeded-random.ts';

describe('roadIndex / segmentsInBox', () => {
  const network = generatedNetwork(31, 40, 106.4, 30.5);
  const roads = roadIndex(network);
  const { segA, segB, nodeLon, nodeLat } = network;
  const brute = (box: readonly [number, number, number, number]) => {
    const out: number[] = [];
    for (let s = 0; s < network.segmentCount; s++) {
      const a = segA[s], b = segB[s];
      if (Math.max(nodeLon[a], nodeLon[b]) >= box[0] && Math.min(nodeLon[a], nodeLon[b]) <= box[2]
        && Math.max(nodeLat[a], nodeLat[b]) >= box[1] && Math.min(nodeLat[a], nodeLat[b]) <= box[3]) out.push(s);
    }
    return out;
  };

  it('finds exactly the segments a scan of every box finds, ascending, on random boxes and boxes edged on nodes', () => {
    const rand = seededRandom(32);
    let found = 0;
    for (let k = 0; k < 300; k++) {
      const u = Math.floor(rand() * network.nodeCount), v = Math.floor(rand() * network.nodeCount);
      // half the boxes have their edges exactly on two nodes' coordinates: a box touching a segment's end must find it
      const box = k % 2 === 0
        ? [Math.min(nodeLon[u], nodeLon[v]), Math.min(nodeLat[u], nodeLat[v]), Math.max(nodeLon[u], nodeLon[v]), Math.max(nodeLat[u], nodeLat[v])] as const
        : [106.39 + rand() * 0.05, 30.49 + rand() * 0.05, 106.39 + rand() * 0.05 + 0.002, 30.49 + rand() * 0.05 + 0.002] as const;
      const expected = brute(box);
      expect(Array.from(segmentsInBox(roads, box))).toEqual(expected);
      expect(Array.from(segmentsInBox(network, box))).toEqual(expected);
      found += expected.length;
    }
    // a degenerate box on one node finds the segments that end there
    const v = segA[7];
    expect(Array.from(segmentsInBox(roads, [nodeLon[v], nodeLat[v], nodeLon[v], nodeLat[v]]))).toEqual(brute([nodeLon[v], nodeLat[v], nodeLon[v], nodeLat[v]]));
    expect(found).toBeGreaterThan(1000);
  });

  it('subNetwork with the shared scratch equals subNetwork without, hands the scratch back all zeros, and refuses unsorted segments', () => {
    const segments = segmentsInBox(roads, [106.405, 30.505, 106.42, 30.52]);
    const plain = subNetwork(network, segments), shared = subNetwork(network, segments, roads.scratch);
    expect(shared).toEqual(plain);
    expect(roads.scratch.every((x) => x === 0)).toBe(true);
    // the tile's nodes are the ends of its segments, ascending, each once (counted here from the segments)
    const ends = new Set<number>();
    for (const s of segments) { ends.add(segA[s]); ends.add(segB[s]); }
    expect(Array.from(plain.nodes)).toEqual([...ends].sort((a, b) => a - b));
    for (let k = 0; k < segments.length; k++) expect(plain.nodes[plain.network.segA[k]]).toBe(segA[segments[k]]);
    expect(() => subNetwork(network, Int32Array.of(5, 3))).toThrow(/ascending/);
  });
});

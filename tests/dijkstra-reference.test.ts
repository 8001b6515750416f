// The engine's multi-source Dijkstra against a plain O(n²) Dijkstra written here from the segment list
// (no heap, no CSR), on seeded generated graphs with one-way streets and closed classes.
import { describe, expect, it } from 'vitest';
import { buildModeGraph, type ModeGraph } from '../analysis/network/mode-graph.ts';
import { defaultSpeedTable, type Mode } from '../analysis/network/speed-table.ts';
import { multiSourceDijkstra } from '../analysis/traveltime/multi-source-dijkstra.ts';
import { generatedNetwork } from './support/generated-network.ts';
import { seededRandom } from './support/seeded-random.ts';
import { costsOf } from './support/segment-costs.ts';

function referenceDijkstra(g: ModeGraph, sources: number[], cutoff: number): Float64Array {
  const net = g.network;
  const dist = new Float64Array(net.nodeCount).fill(Infinity);
  const done = new Uint8Array(net.nodeCount);
  for (const s of sources) dist[s] = 0;
  for (;;) {
    let v = -1;
    for (let i = 0; i < net.nodeCount; i++) if (!done[i] && dist[i] < Infinity && (v < 0 || dist[i] < dist[v])) v = i;
    if (v < 0) break;
    done[v] = 1;
    for (let s = 0; s < net.segmentCount; s++) {
      // the segment list itself, in both directions, with the graph's per-direction costs
      if (net.segA[s] === v && dist[v] + costsOf(g).forward[s] < dist[net.segB[s]]) dist[net.segB[s]] = dist[v] + costsOf(g).forward[s];
      if (net.segB[s] === v && dist[v] + costsOf(g).backward[s] < dist[net.segA[s]]) dist[net.segA[s]] = dist[v] + costsOf(g).backward[s];
    }
  }
  return dist.map((d) => (d <= cutoff ? d : Infinity));
}

describe.each<[Mode, number]>([['car', 1], ['walk', 2], ['bike', 3], ['car', 4]])('generated graph, %s, seed %i', (mode, seed) => {
  const network = generatedNetwork(seed, 18);
  const graph = buildModeGraph(network, mode, defaultSpeedTable());
  const rand = seededRandom(100 + seed);
  const sources = Array.from({ length: 4 }, () => Math.floor(rand() * network.nodeCount));

  it.each([Infinity, 240])('matches the reference at every node (cut-off %s s)', (cutoff) => {
    const seeds = {
      node: Int32Array.from(sources),
      cost: new Float64Array(sources.length),
      source: Int32Array.from(sources.map((_, i) => i)),
    };
    const ours = multiSourceDijkstra(graph, seeds, cutoff);
    const ref = referenceDijkstra(graph, sources, cutoff);
    let reached = 0;
    for (let v = 0; v < network.nodeCount; v++) {
      if (ref[v] === Infinity) expect(ours.cost[v]).toBe(Infinity);
      else {
        reached++;
        expect(ours.cost[v]).toBeCloseTo(ref[v], 6);
        // the source named must be one at that distance
        expect(ref[v]).toBeCloseTo(referenceDijkstra(graph, [sources[ours.source[v]]], Infinity)[v], 6);
      }
    }
    expect(reached).toBeGreaterThan(cutoff === Infinity ? network.nodeCount / 2 : 4);
  });
});

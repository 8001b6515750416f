// Tiny networks whose answers are worked out by hand in the comments.
// On the equator one thousandth of a degree of longitude is 2πR/360 × 0.001 = 111.19508 m (R = 6371008.8 m),
// and the same for latitude, so the expected lengths below are multiples of D.
import { describe, expect, it } from 'vitest';
import { buildRoadNetwork, type RoadWay } from '../analysis/network/road-network.ts';
import { buildModeGraph } from '../analysis/network/mode-graph.ts';
import { snapPoints } from '../analysis/network/snap-points.ts';
import { defaultSpeedTable } from '../analysis/network/speed-table.ts';
import { networkAccess } from '../analysis/traveltime/network-access.ts';
import { analyzeAccess } from '../analysis/accessibility/analyze-access.ts';
import { gridFromPoints } from '../analysis/grid/population-grid.ts';
import { createFacilitySet } from '../analysis/facilities/facility-set.ts';
import { costsOf } from './support/segment-costs.ts';

const D = 111.19508; // metres per 0.001 degree on the equator
const WALK = 4.5 / 3.6; // m/s
const CAR_RESIDENTIAL = 20 / 3.6; // m/s

function net(points: Array<[number, number]>, ways: RoadWay[]) {
  return buildRoadNetwork({
    lon: Float64Array.from(points.map((p) => p[0] / 1000)),
    lat: Float64Array.from(points.map((p) => p[1] / 1000)),
    ways,
  });
}

describe('snapping onto the middle of an edge', () => {
  // nodes at x = 0, 1, 2 (thousandths of a degree) on the equator, one residential street
  const network = net([[0, 0], [1, 0], [2, 0]], [{ nodes: [0, 1, 2], tags: { highway: 'residential' } }]);
  const graph = buildModeGraph(network, 'walk', defaultSpeedTable());

  it('puts a point beside the middle of a segment at fraction 0.5 with its perpendicular distance', () => {
    const s = snapPoints(graph, [0.0005], [0.0001], 500);
    expect(s.segment[0]).toBe(0);
    expect(s.fraction[0]).toBeCloseTo(0.5, 6);
    expect(s.offMeters[0]).toBeCloseTo(0.1 * D, 2); // 11.12 m
  });

  it('times a facility and a home both mid-segment: legs plus the road between them', () => {
    const fac = snapPoints(graph, [0.0005], [0.0001], 500); // 0.1 D off, at 0.5 of segment 0
    const home = snapPoints(graph, [0.0015], [-0.0002], 500); // 0.2 D off, at 0.5 of segment 1
    const r = networkAccess(graph, fac, home, Infinity);
    // (0.1 D + 0.5 D + 0.5 D + 0.2 D) / 1.25 m/s = 1.3 D / 1.25 = 115.643 s
    expect(r.cost[0]).toBeCloseTo((1.3 * D) / WALK, 1);
    expect(r.facility[0]).toBe(0);
  });

  it('goes straight along a shared segment without visiting its ends', () => {
    const fac = snapPoints(graph, [0.0002], [0], 500);
    const home = snapPoints(graph, [0.0007], [0], 500);
    const r = networkAccess(graph, fac, home, Infinity);
    expect(r.cost[0]).toBeCloseTo((0.5 * D) / WALK, 1); // 44.48 s
  });
});

describe('one-way streets', () => {
  // 0 → 1 is one-way eastward; 1 — 2 two-way; a long detour 0 — 3 — 2 (3 at (1, 1))
  const network = net([[0, 0], [1, 0], [2, 0], [1, 1]], [
    { nodes: [0, 1], tags: { highway: 'residential', oneway: 'yes' } },
    { nodes: [1, 2], tags: { highway: 'residential' } },
    { nodes: [0, 3, 2], tags: { highway: 'residential' } },
  ]);
  const car = buildModeGraph(network, 'car', defaultSpeedTable());
  const walk = buildModeGraph(network, 'walk', defaultSpeedTable());

  it('lets a car leave node 0 eastward but sends it round the detour westward', () => {
    const atNode0 = snapPoints(car, [0], [0], 10);
    const atNode1 = snapPoints(car, [0.001], [0], 10);
    // east: 0 → 1 directly, D metres
    expect(networkAccess(car, atNode0, atNode1, Infinity).cost[0]).toBeCloseTo(D / CAR_RESIDENTIAL, 1);
    // west: 1 → 2 → 3 → 0 = D + 2 × √2·D (the detour legs are diagonals of one D square... each √2 D)
    const detour = D + 2 * Math.SQRT2 * D;
    expect(networkAccess(car, atNode1, atNode0, Infinity).cost[0]).toBeCloseTo(detour / CAR_RESIDENTIAL, 0);
  });

  it('lets a walker go against the one-way', () => {
    const atNode0 = snapPoints(walk, [0], [0], 10);
    const atNode1 = snapPoints(walk, [0.001], [0], 10);
    expect(networkAccess(walk, atNode1, atNode0, Infinity).cost[0]).toBeCloseTo(D / WALK, 1);
  });

  it('keeps cars off footways and walkers off motorways', () => {
    const n2 = net([[0, 0], [1, 0], [0, 1], [1, 1]], [
      { nodes: [0, 1], tags: { highway: 'footway' } },
      { nodes: [2, 3], tags: { highway: 'motorway' } },
    ]);
    const c = buildModeGraph(n2, 'car', defaultSpeedTable());
    const w = buildModeGraph(n2, 'walk', defaultSpeedTable());
    expect(Array.from(costsOf(c).forward)).toEqual([Infinity, D / (100 / 3.6)].map((x) => (x === Infinity ? x : expect.closeTo(x, 3))));
    expect(costsOf(c).backward[1]).toBe(Infinity); // motorway implies one-way
    expect(costsOf(w).forward[1]).toBe(Infinity);
    expect(costsOf(w).forward[0]).toBeCloseTo(D / WALK, 3);
  });

  it('honours foot=no and access=private unless the mode is allowed by name', () => {
    const n3 = net([[0, 0], [1, 0], [2, 0]], [
      { nodes: [0, 1], tags: { highway: 'service', foot: 'no' } },
      { nodes: [1, 2], tags: { highway: 'service', access: 'private', foot: 'yes' } },
    ]);
    const w = buildModeGraph(n3, 'walk', defaultSpeedTable());
    const c = buildModeGraph(n3, 'car', defaultSpeedTable());
    expect(costsOf(w).forward[0]).toBe(Infinity);
    expect(costsOf(w).forward[1]).toBeCloseTo(D / WALK, 3);
    expect(costsOf(c).forward[0]).toBeCloseTo(D / (15 / 3.6), 3);
    expect(costsOf(c).forward[1]).toBe(Infinity);
  });
});

describe('islands', () => {
  // main street of 25 nodes along y=0; a 2-node island at y = 0.3 (33 m north of the street's x = 0..1 part)
  const main: Array<[number, number]> = Array.from({ length: 25 }, (_, i) => [i, 0]);
  const island: Array<[number, number]> = [[0, 0.4], [1, 0.4]];
  const network = net([...main, ...island], [
    { nodes: main.map((_, i) => i), tags: { highway: 'residential' } },
    { nodes: [25, 26], tags: { highway: 'residential' } },
  ]);

  it('reports the island and keeps points off it, so they join the connected network instead', () => {
    const g = buildModeGraph(network, 'walk', defaultSpeedTable(), { minIslandNodes: 20 });
    expect(g.islands).toEqual({ components: 2, largestNodes: 25, smallIslands: 1, smallIslandNodes: 2 });
    const s = snapPoints(g, [0.0005], [0.0003], 500); // 0.1 D from the island, 0.3 D from the main street
    expect(network.segA[s.segment[0]]).toBeLessThan(25);
    expect(s.offMeters[0]).toBeCloseTo(0.3 * D, 2);
  });

  it('with no island limit the same point joins the island and cannot reach a facility on the main street', () => {
    const g = buildModeGraph(network, 'walk', defaultSpeedTable(), { minIslandNodes: 1 });
    const home = snapPoints(g, [0.0005], [0.0003], 500);
    const fac = snapPoints(g, [0.005], [0], 500);
    expect(network.segA[home.segment[0]]).toBe(25);
    expect(networkAccess(g, fac, home, Infinity).cost[0]).toBe(Infinity);
  });
});

describe('a facility that cannot snap', () => {
  it('is reported by id, and cells it alone would serve stay uncovered', () => {
    const network = net([[0, 0], [1, 0]], [{ nodes: [0, 1], tags: { highway: 'residential' } }]);
    // the far facility is 10 D ≈ 1.1 km north of the street, beyond the 500 m snap limit
    const facilities = createFacilitySet([
      { lon: 0.0005, lat: 0.01, id: 'far' },
      { lon: 0.0005, lat: 0.0001, id: 'near' },
    ]);
    const grid = gridFromPoints({
      lon: Float64Array.from([0.0005, 0.0005]),
      lat: Float64Array.from([-0.0001, 0.02]),
      population: Float64Array.from([10, 7]),
    });
    const r = analyzeAccess({ grid, facilities, network, mode: 'walk', minutes: 15 });
    expect(r.unsnappedFacilities).toEqual(['far']);
    // home 1: legs 0.1 D + 0.1 D, no road between (same segment, same fraction): 0.2 D / 1.25 = 17.79 s
    const home = Array.from(grid.population).indexOf(10);
    expect(r.cost[home]).toBeCloseTo((0.2 * D) / WALK, 1);
    expect(r.facility[home]).toBe(1);
    // home 2 is 2.2 km from any road: unreachable, counted uncovered, never dropped
    expect(r.summary.population).toMatchObject({ total: 17, covered: 10, uncovered: 7 });
    expect(r.summary.unreachable).toBe(7);
  });
});

describe('points beside a motorway', () => {
  it('join the side road, not the motorway running past them', () => {
    // motorway along y = 0; a residential road along y = 0.3 (0.3 D north); the point at y = 0.1 is 0.1 D from the
    // motorway and 0.2 D from the residential road
    const network = net([[0, 0], [1, 0], [0, 0.3], [1, 0.3]], [
      { nodes: [0, 1], tags: { highway: 'motorway' } },
      { nodes: [2, 3], tags: { highway: 'residential' } },
    ]);
    const car = buildModeGraph(network, 'car', defaultSpeedTable(), { minIslandNodes: 1 });
    const s = snapPoints(car, [0.0005], [0.0001], 500);
    expect(network.classNames[network.segClass[s.segment[0]]]).toBe('residential');
    expect(s.offMeters[0]).toBeCloseTo(0.2 * D, 2);
  });
});

describe('a search cut-off wider than the threshold', () => {
  it('keeps the real cost of cells beyond the threshold while counting them uncovered', () => {
    const network = net([[0, 0], [10, 0]], [{ nodes: [0, 1], tags: { highway: 'residential' } }]);
    const facilities = createFacilitySet([{ lon: 0, lat: 0, id: 'a' }]);
    // a home at 0.008° = 8 D = 889.6 m along the street: 711.7 s on foot, beyond a 10-minute threshold
    const grid = gridFromPoints({ lon: Float64Array.of(0.008), lat: Float64Array.of(0), population: Float64Array.of(5) });
    const r = analyzeAccess({ grid, facilities, network, mode: 'walk', minutes: 10, searchCutoff: 3600 });
    expect(r.cost[0]).toBeCloseTo((8 * D) / WALK, 1);
    expect(r.summary.population).toMatchObject({ covered: 0, uncovered: 5 });
  });
});

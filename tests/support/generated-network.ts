import { buildRoadNetwork, type RoadNetwork, type RoadSource, type RoadWay } from '../../analysis/network/road-network.ts';
import { seededRandom } from './seeded-random.ts';

const CLASSES = ['primary', 'secondary', 'tertiary', 'residential', 'residential', 'service', 'footway'];

/**
 * A jittered street grid of `side × side` nodes around (lon0, lat0), ~100 m apart, with random classes,
 * random one-way streets and some streets missing: deterministic for a seed.
 */
export function generatedNetwork(seed: number, side: number, lon0 = 106.4, lat0 = 30.5): RoadNetwork {
  return buildRoadNetwork(generatedRoads(seed, side, lon0, lat0));
}

/** The same streets as road data (nodes and ways), as a region stores them. */
export function generatedRoads(seed: number, side: number, lon0 = 106.4, lat0 = 30.5): RoadSource {
  const rand = seededRandom(seed);
  const step = 0.001;
  const lon = new Float64Array(side * side), lat = new Float64Array(side * side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      lon[r * side + c] = lon0 + c * step + (rand() - 0.5) * step * 0.4;
      lat[r * side + c] = lat0 + r * step + (rand() - 0.5) * step * 0.4;
    }
  }
  const ways: RoadWay[] = [];
  const edge = (a: number, b: number) => {
    if (rand() < 0.12) return; // a missing street
    const tags: Record<string, string> = { highway: CLASSES[Math.floor(rand() * CLASSES.length)] };
    const u = rand();
    if (u < 0.15) tags.oneway = 'yes';
    else if (u < 0.2) tags.oneway = '-1';
    ways.push({ nodes: [a, b], tags, id: ways.length });
  };
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const v = r * side + c;
      if (c + 1 < side) edge(v, v + 1);
      if (r + 1 < side) edge(v, v + side);
    }
  }
  return { lon, lat, ways };
}

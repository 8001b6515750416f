import { createFacilitySet, type FacilitySet } from '../analysis/facilities/facility-set.ts';
import { gridFromPoints, type PopulationGrid } from '../analysis/grid/population-grid.ts';
import { buildRoadNetwork, type RoadNetwork, type RoadSource, type RoadWay } from '../analysis/network/road-network.ts';
import { seededRandom } from '../tests/support/seeded-random.ts';

/**
 * A seeded county-sized case for the benchmark: a jittered road lattice of side² nodes (~130 m apart) with a
 * road hierarchy, a population grid of ~150,000 populated 100 m cells, and facilities scattered over it.
 */
export function syntheticCounty(seed = 42, side = 317, facilityCount = 400): { grid: PopulationGrid; network: RoadNetwork; facilities: FacilitySet; roads: RoadSource } {
  const rand = seededRandom(seed);
  const lon0 = 106.2, lat0 = 30.35, step = 0.0012; // ~115 m east, ~133 m north
  const n = side * side;
  const lon = new Float64Array(n), lat = new Float64Array(n);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      lon[r * side + c] = lon0 + c * step + (rand() - 0.5) * step * 0.5;
      lat[r * side + c] = lat0 + r * step + (rand() - 0.5) * step * 0.5;
    }
  }
  const ways: RoadWay[] = [];
  const classOf = (i: number) => (i % 40 === 0 ? 'primary' : i % 10 === 0 ? 'secondary' : i % 5 === 0 ? 'tertiary' : 'unclassified');
  for (let r = 0; r < side; r++) {
    // one way per row and column, as OSM draws long roads: many nodes per way
    ways.push({ nodes: Array.from({ length: side }, (_, c) => r * side + c), tags: { highway: classOf(r) } });
  }
  for (let c = 0; c < side; c++) {
    // some minor columns broken, so the lattice is not uniform
    const nodes: number[] = [];
    for (let r = 0; r < side; r++) {
      if (c % 5 !== 0 && rand() < 0.08) {
        if (nodes.length >= 2) ways.push({ nodes: nodes.splice(0), tags: { highway: classOf(c) } });
        nodes.length = 0;
        continue;
      }
      nodes.push(r * side + c);
    }
    if (nodes.length >= 2) ways.push({ nodes, tags: { highway: classOf(c) } });
  }
  const network = buildRoadNetwork({ lon, lat, ways });
  // population: 100 m cells over the lattice's extent, most populated, denser near a few seats
  const extentLon = side * step, extentLat = side * step;
  const seats = Array.from({ length: 27 }, () => [lon0 + rand() * extentLon, lat0 + rand() * extentLat]);
  const plon: number[] = [], plat: number[] = [], ppop: number[] = [], p60: number[] = [];
  const cols = Math.round(extentLon * 96000 / 100), rows = Math.round(extentLat * 111000 / 100);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (rand() < 0.03) continue;
      const x = lon0 + (c + 0.5) * (extentLon / cols), y = lat0 + (r + 0.5) * (extentLat / rows);
      let dense = 0;
      for (const s of seats) dense = Math.max(dense, Math.exp(-(((x - s[0]) * 96000) ** 2 + ((y - s[1]) * 111000) ** 2) / 2e6));
      const p = 0.5 + rand() * 3 + dense * 25;
      plon.push(x); plat.push(y); ppop.push(p); p60.push(p * (0.2 + rand() * 0.15));
    }
  }
  const grid = gridFromPoints({ lon: Float64Array.from(plon), lat: Float64Array.from(plat), population: Float64Array.from(ppop), aged60: Float64Array.from(p60) }, { cellSize: 100, weightedOrigins: false });
  const facilities = createFacilitySet(Array.from({ length: facilityCount }, (_, i) => ({
    lon: lon0 + rand() * extentLon, lat: lat0 + rand() * extentLat, id: `F${i}`, category: 'clinic',
  })));
  return { grid, network, facilities, roads: { lon, lat, ways } };
}

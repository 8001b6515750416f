import type { Feature, Polygon } from 'geojson';
import { createFacilitySet } from '../../analysis/facilities/facility-set.ts';
import { gridFromPoints } from '../../analysis/grid/population-grid.ts';
import type { RegionSeed } from '../../server/features/regions/region-seed.ts';
import { generatedRoads } from './generated-network.ts';
import { seededRandom } from './seeded-random.ts';

/** Where the quadrant region lies: a square of `side` × 0.001° from (LON0, LAT0), four counties meeting at its middle. */
export const QUADRANT_LON0 = 106.4, QUADRANT_LAT0 = 30.5;

function quadrant(name: string, code: string, w: number, s: number, e: number, n: number): Feature<Polygon> {
  return { type: 'Feature', properties: { name, code }, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } };
}

/** The county (0 SW, 1 SE, 2 NW, 3 NE) of a point in the quadrant region of `side` streets. */
export function quadrantOf(side: number, lon: number, lat: number): number {
  const half = ((side - 1) * 0.001) / 2;
  return (lon < QUADRANT_LON0 + half ? 0 : 1) + (lat < QUADRANT_LAT0 + half ? 0 : 2);
}

/**
 * A seeded region of four square counties (SW, SE, NW, NE) over a jittered street grid of `side × side`
 * nodes ~100 m apart, 100 m cells of random population, `facilities` elderly stations at random: what the
 * tiled-run tests store and run county by county. Every figure is invented.
 *
 * @example const id = await seedRegion(db, quadrantRegion(7, 120, 30));
 */
export function quadrantRegion(seed: number, side: number, facilities: number): RegionSeed {
  const rand = seededRandom(seed);
  const span = (side - 1) * 0.001;
  const roads = generatedRoads(seed, side, QUADRANT_LON0, QUADRANT_LAT0);
  const lon: number[] = [], lat: number[] = [], pop: number[] = [];
  const cols = Math.floor(side * 0.96), rows = Math.floor(side * 1.1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (rand() < 0.05) continue;
      lon.push(QUADRANT_LON0 + (c + 0.5) * (span / cols));
      lat.push(QUADRANT_LAT0 + (r + 0.5) * (span / rows));
      pop.push(1 + Math.floor(rand() * 40));
    }
  }
  const grid = gridFromPoints({ lon: Float64Array.from(lon), lat: Float64Array.from(lat), population: Float64Array.from(pop) }, { cellSize: 100, weightedOrigins: false });
  const midLon = QUADRANT_LON0 + span / 2, midLat = QUADRANT_LAT0 + span / 2;
  const w = QUADRANT_LON0 - 0.01, s = QUADRANT_LAT0 - 0.01, e = QUADRANT_LON0 + span + 0.01, n = QUADRANT_LAT0 + span + 0.01;
  const units = [
    quadrant('SW', '1', w, s, midLon, midLat), quadrant('SE', '2', midLon, s, e, midLat),
    quadrant('NW', '3', w, midLat, midLon, n), quadrant('NE', '4', midLon, midLat, e, n),
  ];
  const stations = createFacilitySet(Array.from({ length: facilities }, (_, i) => ({
    id: `Q${i}`, name: `generated station ${i}`, category: 'elderly_station',
    lon: QUADRANT_LON0 + rand() * span, lat: QUADRANT_LAT0 + rand() * span, properties: { status: 'existing', synthetic: true },
  })), 'quadrant');
  return {
    name: `generated four-county region (seed ${seed})`, code: null,
    metadata: { synthetic: true, notice: 'GENERATED test region: every figure is invented' },
    outline: quadrant('all', '', w, s, e, n).geometry,
    units: { names: units.map((u) => String(u.properties!.name)), codes: units.map((u) => String(u.properties!.code)), features: units },
    grid, roads, facilities: stations, source: 'generated:quadrants', urbanRule: 'input',
  };
}

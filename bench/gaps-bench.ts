// Gap polygons and isochrones on the seeded synthetic county; bench/run.ts calls benchGaps().
import { prepareNetwork } from '../analysis/accessibility/analyze-access.ts';
import { explicitCircle } from '../analysis/circles/circle.ts';
import { circleGaps } from '../analysis/circles/circle-gaps.ts';
import { networkPreparer } from '../analysis/circles/network-preparer.ts';
import { runCircle } from '../analysis/circles/run-circle.ts';
import { isochronesPerFacility, mergedIsochrones } from '../analysis/isochrones/facility-isochrones.ts';
import { snapPoints } from '../analysis/network/snap-points.ts';
import { syntheticCounty } from './synthetic-county.ts';
import { timeRuns as time } from './time-runs.ts';

const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;

/** Prints the time to dissolve the uncovered cells of the county (walk 15 min) into gap polygons, and to contour isochrones. */
export function benchGaps(): void {
  console.log('\n## Gap polygons and isochrones: seeded synthetic county, walk 15 min');
  const { grid, network, facilities } = syntheticCounty();
  const prepared = prepareNetwork(network, grid, 'walk', 'time');
  const run = runCircle({ grid, facilities, network: networkPreparer(network, grid) }, explicitCircle({ mode: 'walk', minutes: 15 }, null));
  let masked = 0;
  for (let i = 0; i < run.status.length; i++) if (run.status[i] > 1) masked++;
  const gaps = time(() => circleGaps(grid, run), 5);
  const inGaps = gaps.value.features.reduce((s, f) => s + f.properties.uncovered_population, 0);
  const uncovered = run.summary.population.uncovered;
  console.log(`gap polygons (split by township and reason, traced, attributes) of ${masked} uncovered cells out of ${grid.count}: best ${ms(gaps.best)}, median ${ms(gaps.median)}; ${gaps.value.features.length} polygons, ${gaps.value.features.reduce((s, f) => s + (f.geometry.type === 'Polygon' ? f.geometry.coordinates.length - 1 : 0), 0)} holes`);
  console.log(`residents in the polygons ${Math.round(inGaps)} vs uncovered in the summary ${Math.round(uncovered)} (difference ${(Math.abs(inGaps - uncovered) / Math.max(uncovered, 1) * 100).toExponential(1)} %); largest gap ${Math.round(gaps.value.features[0]?.properties.uncovered_population ?? 0)} residents`);

  const fSnaps = snapPoints(prepared.graph, facilities.lon, facilities.lat, prepared.maxSnapMeters);
  const req = { graph: prepared.graph, facilities: fSnaps, facilityIds: facilities.id, thresholds: [300, 600, 900], cellMeters: 100 };
  const iso = time(() => mergedIsochrones(req), 2);
  const vertices = iso.value.features.reduce((s, f) => s + f.geometry.coordinates.flat(2).length, 0);
  console.log(`merged isochrones 5/10/15 min over the county at 100 m (snap raster, Dijkstra, contour): best ${ms(iso.best)}, median ${ms(iso.median)}; ${vertices} vertices`);
  const rings = time(() => mergedIsochrones({ ...req, cumulative: false }), 1);
  console.log(`same as ring bands (cumulative minus the previous band, turf.difference): ${ms(rings.best)}`);
  const per = time(() => isochronesPerFacility(req), 1);
  console.log(`isochrones per facility, ${facilities.count} facilities (one Dijkstra each, raster snapped once): ${ms(per.best)}; ${per.value.features.length} features`);
}

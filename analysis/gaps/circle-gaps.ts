import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { FacilitySet } from '../facilities/facility-set.ts';
import type { PopulationGrid } from '../grid/population-grid.ts';
import { NOT_ASSESSED, type CircleCoverage } from '../standards/circle-coverage.ts';
import { reachThreshold } from '../standards/presets.ts';
import { gapPolygons, type GapProperties } from './gap-polygons.ts';

/**
 * The gaps of a planning circle: assessed cells its rule leaves uncovered (urban and rural cells each by their own
 * reach), as gap polygons tagged with the preset. Cells a side does not judge (e.g. rural cells under an urban
 * standard) are never gaps.
 *
 * @example
 * const circle = evaluateCircle(preset, grid, access, standards);
 * const gaps = circleGaps(circle, grid, { minPopulation: 50 });
 */
export function circleGaps(
  circle: CircleCoverage, grid: PopulationGrid,
  options: { facilities?: FacilitySet; facility?: Int32Array; minPopulation?: number; connectivity?: 4 | 8 } = {},
): FeatureCollection<Polygon | MultiPolygon, GapProperties> {
  const mask = new Uint8Array(grid.count);
  for (let c = 0; c < grid.count; c++) if (circle.side[c] !== NOT_ASSESSED && circle.covered[c] === 0) mask[c] = 1;
  const reach = (circle.preset.urban ?? circle.preset.rural)!;
  return gapPolygons(grid, mask, {
    cost: circle.cost, facility: options.facility, facilityIds: options.facilities?.id, facilityNames: options.facilities?.name,
    unit: reachThreshold(reach).costKind === 'time' ? 'seconds' : 'meters',
    preset: circle.preset.id, minPopulation: options.minPopulation, connectivity: options.connectivity,
  });
}

import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { pointInPolygon } from '../geo/point-in-polygon.ts';
import type { PopulationGrid } from './population-grid.ts';
import { polygonIndex } from '../geo/polygon-index.ts';

/** Administrative units (townships, villages): parallel name/code arrays and their polygons. */
export interface AdminUnits {
  names: string[];
  codes: string[];
  features: Feature<Polygon | MultiPolygon>[];
}

/**
 * A copy of the grid whose `unit` holds, per cell, the index of the first unit whose polygon contains
 * the cell's origin point (-1 where none), with `unitNames`/`unitCodes` taken from `units`.
 *
 * @example
 * const withTownships = assignUnits(grid, await readUnits('townships.geojson'));
 */
export function assignUnits(grid: PopulationGrid, units: AdminUnits): PopulationGrid {
  const n = units.features.length;
  if (units.names.length !== n || units.codes.length !== n) {
    throw new Error(`admin units: expected one name and one code per feature (${n}), found ${units.names.length} names and ${units.codes.length} codes`);
  }
  const unit = new Int32Array(grid.count).fill(-1);
  if (n > 0 && grid.count > 0) {
    // bounding boxes first, so each cell tests only the few polygons around it
    units.features.forEach((feature, i) => {
      const g = feature.geometry;
      if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
        throw new Error(`admin units feature ${i}: geometry must be a Polygon or MultiPolygon, found ${g ? (g as { type: string }).type : 'null'}`);
      }
    });
    const index = polygonIndex(units.features.map((f) => f.geometry));
    for (let c = 0; c < grid.count; c++) {
      const lon = grid.originLon[c], lat = grid.originLat[c];
      // overlapping units: the lowest index wins, whatever order the index returns them in
      let found = -1;
      for (const i of index.search(lon, lat, lon, lat)) {
        if ((found === -1 || i < found) && pointInPolygon(lon, lat, units.features[i].geometry)) found = i;
      }
      unit[c] = found;
    }
  }
  return { ...grid, unit, unitNames: [...units.names], unitCodes: [...units.codes] };
}

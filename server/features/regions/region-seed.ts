import type { MultiPolygon, Polygon } from 'geojson';
import type { FacilitySet } from '../../../analysis/facilities/facility-set.ts';
import type { AdminUnits } from '../../../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../../../analysis/grid/population-grid.ts';
import type { RoadSource } from '../../../analysis/network/road-network.ts';
import { categoryById } from '../../../analysis/facilities/categories.ts';
import { toJson } from '../../db/column-types.ts';
import type { Db } from '../../db/database.ts';
import { insertFacilities } from '../facilities/facility.repository.ts';
import { FACILITY_STATUSES, type FacilityStatus } from '../facilities/facility.table.ts';
import { storeBuildable, type BuildableParcel } from '../buildable/buildable.repository.ts';
import { insertRegion } from './region.repository.ts';
import { storeRegionLayers } from './region.service.ts';

/** A whole region to store at once: the demo, or the small test fixture. */
export interface RegionSeed {
  name: string;
  code: string | null;
  metadata: Record<string, unknown>;
  outline: Polygon | MultiPolygon | null;
  units: AdminUnits;
  /** village zones (村/社区), where census tables by village can be spread */
  villages?: AdminUnits | null;
  /** buildable land (parcels), where suggested sites may be drawn with candidates 'buildable' */
  buildable?: BuildableParcel[] | null;
  grid: PopulationGrid;
  roads: RoadSource | null;
  facilities: FacilitySet;
  /** names the layers and the facilities' source, e.g. 'demo:yuechi' */
  source: string;
  /** how the grid's cells were classed urban/rural */
  urbanRule: 'unit-type' | 'urban-area' | 'density' | 'input';
}

// the main capacity field of a category, when the category is known
function capacityUnitOf(category: string): string | null {
  try {
    return categoryById(category).capacityFields[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * Stores a region with all its layers and facilities in one transaction; returns its id.
 *
 * @example const id = await seedRegion(db, fixtureRegion());
 */
export async function seedRegion(db: Db, seed: RegionSeed): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const region = await insertRegion(trx, { name: seed.name, code: seed.code, metadata: seed.metadata });
    await storeRegionLayers(trx, region.id, { units: seed.units, villages: seed.villages ?? undefined, grid: seed.grid, roads: seed.roads ?? undefined, outline: seed.outline, name: seed.source, gridMetadata: { urbanRule: seed.urbanRule } });
    if (seed.buildable && seed.buildable.length > 0) await storeBuildable(trx, region.id, seed.buildable, 'replace');
    const f = seed.facilities;
    const rows = [];
    for (let i = 0; i < f.count; i++) {
      const { status, id: _id, name: _name, category: _category, capacity: _capacity, ...rest } = f.properties[i];
      rows.push({
        region_id: region.id, external_id: f.id[i], category: f.category[i] || 'unknown', name: f.name[i],
        capacity: Number.isNaN(f.capacity[i]) ? null : f.capacity[i], capacity_unit: capacityUnitOf(f.category[i]),
        status: ((FACILITY_STATUSES as readonly unknown[]).includes(status) ? status : 'existing') as FacilityStatus,
        source: seed.source, lon: f.lon[i], lat: f.lat[i], properties: toJson(rest),
      });
    }
    await insertFacilities(trx, rows);
    return region.id;
  });
}

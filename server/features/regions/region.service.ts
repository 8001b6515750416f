import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { AdminUnits } from '../../../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../../../analysis/grid/population-grid.ts';
import type { RoadSource } from '../../../analysis/network/road-network.ts';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import { encodeGrid, gridMetadata } from './grid-codec.ts';
import { bboxOf, unionBBox, type BBox } from './region-bbox.ts';
import * as repo from './region.repository.ts';
import type { RegionRow } from './region.table.ts';
import { encodeRoads } from './road-codec.ts';

/** A region as the API shows it: its row and what layers it holds. */
export interface RegionView {
  id: number;
  name: string;
  code: string | null;
  bbox: BBox | null;
  metadata: Record<string, unknown>;
  layers: {
    units: number;
    /** village zones (村/社区) a census table by village is spread within */
    villages: number;
    grid: { id: number; name: string; cells: number; cellSize: number; metadata: Record<string, unknown> } | null;
    roads: { id: number; name: string; nodes: number; ways: number; metadata: Record<string, unknown> } | null;
  };
  createdAt: Date;
  updatedAt: Date;
}

/** New layers for a region; what is absent stays as it is. */
export interface RegionLayers {
  units?: AdminUnits;
  /** village zones; a feature's township is its `township_code` property, else its code's first 9 digits */
  villages?: AdminUnits;
  grid?: PopulationGrid;
  roads?: RoadSource;
  /** names the stored layers, e.g. the uploaded file */
  name: string;
  outline?: Polygon | MultiPolygon | null;
  /** kept with the grid, e.g. { urbanRule: 'unit-type' } */
  gridMetadata?: Record<string, unknown>;
}

export async function requireRegion(db: Db, id: number): Promise<RegionRow> {
  const row = await repo.findRegion(db, id);
  if (!row) throw AppError.notFound('region', id);
  return row;
}

export async function regionView(db: Db, id: number): Promise<RegionView> {
  const row = await requireRegion(db, id);
  const [units, villages, grid, roads] = await Promise.all([repo.listUnits(db, id), repo.countVillageZones(db, id), repo.latestGridInfo(db, id), repo.latestRoadsInfo(db, id)]);
  return {
    id: row.id, name: row.name, code: row.code, bbox: row.bbox, metadata: row.metadata,
    layers: {
      units: units.length,
      villages,
      grid: grid ? { id: grid.id, name: grid.name, cells: grid.cell_count, cellSize: grid.cell_size, metadata: grid.metadata } : null,
      roads: roads ? { id: roads.id, name: roads.name, nodes: roads.node_count, ways: roads.way_count, metadata: roads.metadata } : null,
    },
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

export async function listRegionViews(db: Db): Promise<RegionView[]> {
  const rows = await repo.listRegions(db);
  return Promise.all(rows.map((r) => regionView(db, r.id)));
}

export function createRegion(db: Db, input: { name: string; code?: string; metadata?: Record<string, unknown> }): Promise<RegionRow> {
  return repo.insertRegion(db, { name: input.name, code: input.code ?? null, metadata: input.metadata ?? {} });
}

export async function deleteRegion(db: Db, id: number): Promise<void> {
  if (!(await repo.deleteRegion(db, id))) throw AppError.notFound('region', id);
}

/** The region's admin units as a GeoJSON FeatureCollection (properties name, code, position). */
export async function unitsGeoJson(db: Db, id: number): Promise<FeatureCollection<Polygon | MultiPolygon>> {
  await requireRegion(db, id);
  const rows = await repo.listUnits(db, id);
  return {
    type: 'FeatureCollection',
    features: rows.map((u) => ({ type: 'Feature', id: u.id, geometry: u.geometry, properties: { ...u.properties, name: u.name, code: u.code, position: u.position } })),
  };
}

/**
 * Writes new layers of a region (units, grid, roads) and widens its bbox; pass a transaction so an import
 * writes all of them or none.
 *
 * @example await db.transaction().execute((trx) => storeRegionLayers(trx, 1, { grid, name: 'pop.csv' }));
 */
export async function storeRegionLayers(db: Db, regionId: number, layers: RegionLayers): Promise<{ units?: number; villages?: number; cells?: number; ways?: number }> {
  const region = await requireRegion(db, regionId);
  const written: { units?: number; villages?: number; cells?: number; ways?: number } = {};
  let bbox = region.bbox;
  if (layers.units) {
    written.units = await repo.replaceUnits(db, regionId, layers.units.features.map((f, i) => ({
      name: layers.units!.names[i], code: layers.units!.codes[i], geometry: f.geometry, properties: f.properties ?? {},
    })));
    bbox = unionBBox(bbox, bboxOf(layers.units.features.map((f) => f.geometry)));
  }
  if (layers.villages) {
    const v = layers.villages;
    written.villages = await repo.replaceVillageZones(db, regionId, v.features.map((f, i) => ({
      name: v.names[i], code: v.codes[i], townshipCode: String(f.properties?.township_code ?? v.codes[i].slice(0, 9)), geometry: f.geometry, properties: f.properties ?? {},
    })));
  }
  if (layers.grid) {
    const g = layers.grid;
    const metadata = { ...gridMetadata(g), ...layers.gridMetadata };
    await repo.insertGrid(db, { regionId, name: layers.name, cellCount: g.count, cellSize: g.cellSize, metadata, data: encodeGrid(g) });
    written.cells = g.count;
    bbox = unionBBox(bbox, (metadata.bbox as BBox | null) ?? null);
  }
  if (layers.roads) {
    const r = layers.roads;
    await repo.insertRoads(db, { regionId, name: layers.name, nodeCount: r.lon.length, wayCount: r.ways.length, metadata: {}, data: encodeRoads(r) });
    written.ways = r.ways.length;
    bbox = unionBBox(bbox, bboxOf([], [r]));
  }
  await repo.pruneLayers(db, regionId);
  await repo.updateRegion(db, regionId, { bbox, ...(layers.outline !== undefined ? { outline: layers.outline } : {}) });
  return written;
}

import type { MultiPolygon, Polygon } from 'geojson';
import { prepareNetwork, type PreparedNetwork } from '../../../analysis/accessibility/analyze-access.ts';
import type { CircleSession } from '../../../analysis/circles/circle-session.ts';
import type { NetworkPreparer } from '../../../analysis/circles/network-preparer.ts';
import { defaultSpeedTable } from '../../../analysis/network/speed-table.ts';
import { assignUnits, type AdminUnits } from '../../../analysis/grid/assign-units.ts';
import { UNKNOWN_CLASS, type PopulationGrid } from '../../../analysis/grid/population-grid.ts';
import { classifyByUnitType, type UrbanRuleName } from '../../../analysis/standards/urban-rural.ts';
import type { CostKind } from '../../../analysis/network/mode-graph.ts';
import { buildRoadNetwork, type RoadNetwork } from '../../../analysis/network/road-network.ts';
import type { Mode } from '../../../analysis/network/speed-table.ts';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import { facilityStamp, listFacilities } from '../facilities/facility.repository.ts';
import type { FacilityRow } from '../facilities/facility.table.ts';
import { decodeGrid } from './grid-codec.ts';
import { findRegion, gridData, latestGridInfo, latestRoadsInfo, layerStamp, listUnits, roadsData } from './region.repository.ts';
import { decodeRoads } from './road-codec.ts';
import { toSharedParts, type SharedModelParts, type SharedModelStore } from '../../engine/shared-models.ts';

export type ProgressFn = (step: string, fraction?: number) => void;

/** A region's inputs, decoded and ready for the engine; shared by every analysis of the region. */
export interface RegionModel {
  readonly regionId: number;
  /** changes when a grid, roads or units are imported */
  readonly stamp: string;
  /** grid with the region's admin units assigned */
  readonly grid: PopulationGrid;
  readonly units: AdminUnits;
  readonly network: RoadNetwork | null;
  /** graphs with origins snapped, per mode and cost kind, built on first use */
  readonly prepared: Map<string, PreparedNetwork>;
  /** circles kept warm for what-if questions, by circle, statuses and facility stamp (the newest few) */
  readonly sessions: Map<string, unknown>;
  /** how cells were classed urban/rural, for reports */
  readonly urbanRule: UrbanRuleName;
  /** the region's data are generated (the demo, the fixture) */
  readonly synthetic: boolean;
}

/**
 * Keeps each region's decoded grid, units and road network in memory after first use, keyed by a stamp of
 * its layers, so repeated analyses skip decoding and graph building; an import changes the stamp.
 *
 * @example
 * const cache = createRegionModelCache();
 * const model = await cache.get(db, 1);
 * const prepared = cache.prepared(model, 'elderly-walk', 'time');
 */
export interface RegionModelCache {
  /** `stamp`, when the caller has just read it (regionStamps), saves the query */
  get(db: Db, regionId: number, onProgress?: ProgressFn, stamp?: string): Promise<RegionModel>;
  prepared(model: RegionModel, mode: Mode, costKind: CostKind, onProgress?: ProgressFn): PreparedNetwork;
  /** the model's graphs as the engine asks for them; null when the region has no roads */
  network(model: RegionModel, onProgress?: ProgressFn): NetworkPreparer | null;
  /** a warm result (a circle session, an indicator report) by key, built on first use; the oldest of more than eight goes */
  session<T extends object>(model: RegionModel, key: string, build: () => T): T;
  /** the region's facilities (every status, by id) and their stamp; read again only when the stamp changes */
  facilities(db: Db, regionId: number, stamp?: string): Promise<{ stamp: string; rows: FacilityRow[] }>;
  forget(regionId: number): void;
}

/** Regions whose models stay in memory; the least recently used beyond this go (a deleted region, say). */
const MAX_MODELS = 4;

export interface RegionModelCacheOptions {
  /** where a region another engine thread loaded is found (and this one's loads are shared); none on one thread */
  shared?: () => SharedModelStore | null;
}

export function createRegionModelCache(options: RegionModelCacheOptions = {}): RegionModelCache {
  const models = new Map<number, { stamp: string; model: Promise<RegionModel> }>();
  const facilityRows = new Map<number, { stamp: string; rows: Promise<FacilityRow[]> }>();
  return {
    async get(db, regionId, onProgress, known) {
      const stamp = known ?? await layerStamp(db, regionId);
      const hit = models.get(regionId);
      if (hit && hit.stamp === stamp) {
        models.delete(regionId);
        models.set(regionId, hit);
        return hit.model;
      }
      // one load per stamp even when requests arrive together
      const model = loadModel(db, regionId, stamp, onProgress, options.shared?.() ?? null);
      models.delete(regionId);
      models.set(regionId, { stamp, model });
      if (models.size > MAX_MODELS) models.delete(models.keys().next().value!);
      model.catch(() => { if (models.get(regionId)?.model === model) models.delete(regionId); });
      return model;
    },
    prepared(model, mode, costKind, onProgress) {
      const key = `${mode}:${costKind}`;
      let p = model.prepared.get(key);
      if (!p) {
        if (!model.network) throw new AppError('validation_failed', `region ${model.regionId} has no road network; import roads or use mode 'straight'`, { field: 'mode', expected: 'straight (no roads imported)', found: mode });
        onProgress?.('building the graph');
        p = prepareNetwork(model.network, model.grid, mode, costKind, { onProgress });
        model.prepared.set(key, p);
      }
      return p;
    },
    network(model, onProgress) {
      if (!model.network) return null;
      return { speeds: defaultSpeedTable(), prepared: (mode, costKind) => this.prepared(model, mode, costKind, onProgress) };
    },
    session<T>(model: RegionModel, key: string, build: () => T): T {
      let s = model.sessions.get(key) as T | undefined;
      if (s !== undefined) {
        // most recently used last
        model.sessions.delete(key);
        model.sessions.set(key, s);
        return s;
      }
      s = build();
      if (model.sessions.size >= 8) model.sessions.delete(model.sessions.keys().next().value!);
      model.sessions.set(key, s);
      return s;
    },
    async facilities(db, regionId, known) {
      const stamp = known ?? await facilityStamp(db, regionId);
      let hit = facilityRows.get(regionId);
      if (!hit || hit.stamp !== stamp) {
        hit = { stamp, rows: listFacilities(db, regionId, {}) };
        const mine = hit;
        mine.rows.catch(() => { if (facilityRows.get(regionId) === mine) facilityRows.delete(regionId); });
        facilityRows.delete(regionId);
        facilityRows.set(regionId, hit);
        if (facilityRows.size > MAX_MODELS) facilityRows.delete(facilityRows.keys().next().value!);
      }
      return { stamp, rows: await hit.rows };
    },
    forget(regionId) {
      models.delete(regionId);
      facilityRows.delete(regionId);
    },
  };
}

async function loadModel(db: Db, regionId: number, stamp: string, onProgress: ProgressFn | undefined, store: SharedModelStore | null): Promise<RegionModel> {
  const key = `${regionId}|${stamp}`;
  const model = (parts: SharedModelParts): RegionModel => ({ regionId, stamp, ...parts, prepared: new Map(), sessions: new Map() });
  const loaded = store ? await store.get(key) : null;
  if (loaded) {
    onProgress?.('region shared by another engine thread');
    return model(loaded);
  }
  try {
    const parts = await loadParts(db, regionId, onProgress);
    if (!store) return model(parts);
    // this thread keeps the shared copy too, so the region is held once however many threads use it
    const sharedParts = toSharedParts(parts);
    store.put(key, sharedParts);
    return model(sharedParts);
  } catch (e) {
    store?.drop(key);
    throw e;
  }
}

async function loadParts(db: Db, regionId: number, onProgress?: ProgressFn): Promise<SharedModelParts> {
  onProgress?.('loading the region');
  const gridInfo = await latestGridInfo(db, regionId);
  if (!gridInfo) throw new AppError('validation_failed', `region ${regionId} has no population grid; import population first (POST /api/regions/${regionId}/imports with kind=population)`, { field: 'regionId' });
  const unitRows = await listUnits(db, regionId);
  const units: AdminUnits = {
    names: unitRows.map((u) => u.name),
    codes: unitRows.map((u) => u.code),
    features: unitRows.map((u) => ({ type: 'Feature', geometry: u.geometry as Polygon | MultiPolygon, properties: { name: u.name, code: u.code } })),
  };
  const assigned = assignUnits(decodeGrid(await gridData(db, gridInfo.id)), units);
  const grid = classifyUnknownByUnit(assigned, units);
  const stored = gridInfo.metadata.urbanRule as UrbanRuleName | undefined;
  const urbanRule: UrbanRuleName = stored ?? (grid !== assigned ? 'unit-type' : 'input');
  const synthetic = (await findRegion(db, regionId))?.metadata.synthetic === true;
  const roadsInfo = await latestRoadsInfo(db, regionId);
  let network: RoadNetwork | null = null;
  if (roadsInfo) {
    onProgress?.('building the road network');
    network = buildRoadNetwork(decodeRoads(await roadsData(db, roadsInfo.id)));
  }
  return { grid, units, network, urbanRule, synthetic };
}

/** Cells the population data left unclassed take their township's class (街道 urban; 镇, 乡 rural). */
function classifyUnknownByUnit(grid: PopulationGrid, units: AdminUnits): PopulationGrid {
  if (units.names.length === 0 || !grid.urbanClass.includes(UNKNOWN_CLASS)) return grid;
  const byUnit = classifyByUnitType(grid, units).urbanClass;
  const urbanClass = Uint8Array.from(grid.urbanClass, (c, i) => (c === UNKNOWN_CLASS ? byUnit[i] : c));
  return { ...grid, urbanClass };
}

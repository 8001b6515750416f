import type { ColumnType, Selectable } from 'kysely';
import type { AccessMode } from '../../../analysis/accessibility/analyze-access.ts';
import type { CoverageSummary } from '../../../analysis/coverage/coverage-summary.ts';
import type { TileReport } from '../../../analysis/tiles/run-tiled.ts';
import type { UnitRollup } from '../../../analysis/tiles/unit-rollup.ts';
import type { CreatedAt, Id, Json, NullableJson, UpdatedAt } from '../../db/column-types.ts';
import type { FacilityStatus } from '../facilities/facility.table.ts';

/** The question a tiled run asks of a stored region: JSON, so every worker rebuilds the same request. */
export interface TiledRunSpec {
  regionId: number;
  mode: AccessMode;
  /** exactly one of minutes or meters */
  minutes?: number;
  meters?: number;
  /** facility categories taking part; all when absent */
  categories?: string[];
  /** facility statuses taking part; default ['existing'] */
  statuses?: FacilityStatus[];
}

/** What a merged run files: the untiled run's summary, the rollup per county and what each tile was. */
export interface TiledRunSummary {
  coverage: CoverageSummary;
  rollup: UnitRollup[];
  haloMeters: number;
  tiles: TileReport[];
  unsnappedFacilities: string[];
}

export type TileRunState = 'running' | 'merged';

/** A region run split into county tiles, one queue job each; merged when the last tile is stored. */
export interface TileRunTable {
  id: Id;
  region_id: number;
  spec: Json<TiledRunSpec>;
  tiles: number;
  stamp: string;
  state: ColumnType<TileRunState, TileRunState | undefined, TileRunState>;
  summary: NullableJson<TiledRunSummary>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** One tile's owned cells as its worker computed them; unique per (run, tile), so a redone tile replaces. */
export interface TileResultTable {
  id: Id;
  run_id: number;
  tile: number;
  unit: number;
  /** host:pid of the worker that stored it */
  worker: string;
  ms: number;
  /** region cells, and per cell the tile's cost, tile-local facility and unreachable flag (packColumns) */
  data: Buffer;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type TileRunRow = Selectable<TileRunTable>;
export type TileResultRow = Selectable<TileResultTable>;

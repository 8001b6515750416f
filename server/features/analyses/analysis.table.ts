import type { FeatureCollection } from 'geojson';
import type { Selectable } from 'kysely';
import type { CreatedAt, Id, Json, NullableJson, UpdatedAt } from '../../db/column-types.ts';
import type { AnalysisParameters } from './analysis-request.ts';
import type { AnalysisSummary, UnitRow } from './analysis-summary.ts';

/** A filed analysis: what was asked, the coverage it found, per township, and the gap areas. */
export interface AnalysisRunTable {
  id: Id;
  region_id: number;
  scenario_id: number | null;
  preset: string | null;
  parameters: Json<AnalysisParameters>;
  summary: Json<AnalysisSummary>;
  units: Json<UnitRow[]>;
  /** gap polygons as GeoJSON: runs filed before 2026-12-04 */
  gaps: NullableJson<FeatureCollection>;
  /** gap polygons as gzipped GeoJSON (every later run) */
  gaps_gz: Buffer | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type AnalysisRunRow = Selectable<AnalysisRunTable>;

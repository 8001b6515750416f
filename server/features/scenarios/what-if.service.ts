import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { GapFeature, GapProperties } from '../../../analysis/circles/circle-gaps.ts';
import type { CircleResult } from '../../../analysis/circles/run-circle.ts';
import type { Db } from '../../db/database.ts';
import type { AnalysisParameters, AnalysisRequest } from '../analyses/analysis-request.ts';
import { summarizeRun, type AnalysisSummary, type UnitRow } from '../analyses/analysis-summary.ts';
import { resolveRegionId } from '../analyses/analysis.service.ts';
import { circleRun } from '../analyses/circle-run.ts';
import { findPreset } from '../analyses/preset-catalog.ts';
import type { RegionModelCache } from '../regions/region-model-cache.ts';
import type { ScenarioEdit } from './scenario-edits.ts';

/** The gaps a what-if changed, for a page that already shows the baseline's. */
export interface ChangedGaps {
  /** township codes whose gaps were traced again ('' = outside every township) */
  townships: string[];
  /** the scenario's gaps in those townships */
  features: GapFeature[];
  /** every gap id of the scenario, in rank order, so kept gaps take their new ranks */
  order: string[];
}

/** A scenario answered as a whole result: the same summary and township rows a filed run has, not filed. */
export interface WhatIfResult {
  regionId: number;
  scenarioId: number | null;
  preset: string | null;
  summary: AnalysisSummary;
  /** per township, the baseline beside the scenario (before, after, change) */
  units: UnitRow[];
  /** edits left out: their facility has another status than the run's */
  ignoredEdits: number[];
  /** with `withGaps: true`: every gap polygon of the scenario */
  gaps?: FeatureCollection<Polygon | MultiPolygon, GapProperties>;
  /** with `withGaps: 'changed'`: only what differs from the baseline's gaps */
  gapsChanged?: ChangedGaps;
  ms: number;
}

/**
 * Instant what-if for any circle (dual urban/rural reach, several services, rural-only, distance or time): the
 * region's warm circle session applies the edits incrementally and answers with the whole result, equal to
 * a full run of the scenario (POST /api/analyses with the same edits files it).
 *
 * @example await whatIf(db, cache, parseAnalysisRequest({ preset: 'basic-public-service' }), edits, null, { gaps: 'changed' });
 */
export async function whatIf(
  db: Db, cache: RegionModelCache, request: AnalysisRequest, edits: ScenarioEdit[], scenarioId: number | null, options: { gaps?: boolean | 'changed' } = {},
): Promise<WhatIfResult> {
  const started = performance.now();
  // a named region is checked by the run's own stamp query (a 404 when it is gone): one query fewer per what-if
  const regionId = request.regionId ?? await resolveRegionId(db, null);
  const p: AnalysisParameters = { ...request.parameters, regionId, scenarioId, edits: [...request.parameters.edits, ...edits] };
  const run = await circleRun(db, cache, p);
  const preset = p.preset === null ? null : findPreset(p.preset);
  const base = run.session.base;
  const scenario = run.scenario ?? { id: null, name: null, edits: [], ignoredEdits: [] };
  const { summary, units } = summarizeRun(run.result, { preset, baseline: base, scenario, stamp: run.stamp, engineMs: run.engineMs, ms: performance.now() - started });
  const out: WhatIfResult = { regionId, scenarioId, preset: p.preset, summary, units, ignoredEdits: scenario.ignoredEdits, ms: 0 };
  if (options.gaps === true) out.gaps = run.result.gaps;
  else if (options.gaps === 'changed') out.gapsChanged = changedGaps(base, run.result);
  out.ms = Math.round(performance.now() - started);
  out.summary.ms = out.ms;
  return out;
}

/** Gaps of the townships whose gaps differ (a retraced gap is a new object; a kept one shares its geometry). */
export function changedGaps(base: CircleResult, scenario: CircleResult): ChangedGaps {
  const before = new Set(base.gaps.features.map((f) => f.geometry));
  const after = new Set(scenario.gaps.features.map((f) => f.geometry));
  const touched = new Set<string>();
  for (const f of scenario.gaps.features) if (!before.has(f.geometry)) touched.add(f.properties.township_code);
  for (const f of base.gaps.features) if (!after.has(f.geometry)) touched.add(f.properties.township_code);
  return {
    townships: [...touched],
    features: scenario.gaps.features.filter((f) => touched.has(f.properties.township_code)),
    order: scenario.gaps.features.map((f) => f.properties.gap_id),
  };
}

import { createCircleSession, type CircleSession } from '../../../analysis/circles/circle-session.ts';
import type { CircleResult } from '../../../analysis/circles/run-circle.ts';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import type { FacilityRow } from '../facilities/facility.table.ts';
import { regionStamps } from '../regions/region.repository.ts';
import { toFacilitySet } from '../facilities/facility.service.ts';
import type { ProgressFn, RegionModel, RegionModelCache } from '../regions/region-model-cache.ts';
import type { ScenarioEdit } from '../scenarios/scenario-edits.ts';
import { requireScenario } from '../scenarios/scenario.service.ts';
import type { AnalysisParameters } from './analysis-request.ts';

/** A circle over a region's stored data, with a scenario's edits if any: the one run every route reads. */
export interface CircleRun {
  model: RegionModel;
  session: CircleSession;
  /** the scenario's result, or the baseline when there are no edits */
  result: CircleResult;
  /** null when no scenario (saved or inline) applies */
  scenario: { id: number | null; name: string | null; edits: ScenarioEdit[]; ignoredEdits: number[] } | null;
  /** layers, facilities, statuses and circle: what the answer depends on */
  stamp: string;
  engineMs: number;
}

interface SessionEntry {
  session: CircleSession;
  /** ids in the run (of its statuses), and every facility id of the region with its status */
  inRun: Set<string>;
  status: Map<string, string>;
}

/**
 * The data a run reads (layers, facilities, statuses, the circle) as one string: equal stamps, equal answers.
 * Keys are sorted because a run's parameters come back from a jsonb job argument with jsonb's key order.
 *
 * @example runStamp('g1:r1:u27/27', '2241:2241:17964', parameters) // 'g1:…|f2241:…|existing|{"en":…}'
 */
export function runStamp(layers: string, facilities: string, p: Pick<AnalysisParameters, 'statuses' | 'circle'>): string {
  return `${layers}|f${facilities}|${[...p.statuses].sort().join(',')}|${canonicalJson(p.circle)}`;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * Resolves a run: the region's model and graphs from the cache, the circle's warm session (built once per
 * circle, statuses and facility stamp), and the edits (a saved scenario's, then inline ones) applied
 * incrementally. Edits of facilities of other statuses are ignored and listed; unknown ids are a 422.
 *
 * @example const run = await circleRun(db, cache, parameters);
 */
export async function circleRun(db: Db, cache: RegionModelCache, p: AnalysisParameters, report: ProgressFn = () => undefined): Promise<CircleRun> {
  const stamps = await regionStamps(db, p.regionId);
  const model = await cache.get(db, p.regionId, report, stamps.layers);
  const facilities = await cache.facilities(db, p.regionId, stamps.facilities);
  const stamp = runStamp(model.stamp, facilities.stamp, p);
  let built = 0;
  const entry = sessionEntry(cache, model, facilities.rows, p, stamp, report, (ms) => { built = ms; });
  const saved = p.scenarioId === null ? null : await requireScenario(db, p.scenarioId, p.regionId);
  const all = [...(saved?.edits ?? []), ...p.edits];
  const used: ScenarioEdit[] = [];
  const ignoredEdits: number[] = [];
  const added = new Set<string>();
  all.forEach((e, i) => {
    const id = String(e.id);
    if (e.op === 'add') { added.add(id); used.push(e); return; }
    if (entry.inRun.has(id) || added.has(id)) { used.push(e); return; }
    // a facility of another status (planned, candidate) does not take part in this run
    if (entry.status.has(id)) { ignoredEdits.push(i); return; }
    throw new AppError('invalid_edit', `edits[${i}]: ${e.op} of facility '${id}', which is not a facility of region ${p.regionId}`, { field: `edits[${i}].id`, found: id });
  });
  const t0 = performance.now();
  let result: CircleResult;
  try {
    result = used.length === 0 ? entry.session.base : entry.session.apply(used);
  } catch (e) {
    throw AppError.fromInput(e, 'invalid_edit');
  }
  const scenario = saved || p.edits.length > 0 ? { id: saved?.id ?? null, name: saved?.name ?? p.scenarioName, edits: all, ignoredEdits } : null;
  return { model, session: entry.session, result, scenario, stamp, engineMs: built + (performance.now() - t0) };
}

function sessionEntry(
  cache: RegionModelCache, model: RegionModel, rows: FacilityRow[], p: AnalysisParameters, stamp: string, report: ProgressFn, took: (ms: number) => void,
): SessionEntry {
  const hit = model.sessions.get(stamp) as SessionEntry | undefined;
  if (hit) return cache.session(model, stamp, () => hit);
  const wanted = new Set<string>(p.statuses);
  const mine = rows.filter((r) => wanted.has(r.status));
  const t0 = performance.now();
  const entry = cache.session(model, stamp, () => {
    try {
      return {
        session: createCircleSession({ grid: model.grid, facilities: toFacilitySet(mine), network: cache.network(model, report), onProgress: report }, p.circle),
        inRun: new Set(mine.map((r) => String(r.id))),
        status: new Map(rows.map((r) => [String(r.id), r.status])),
      };
    } catch (e) {
      // the engine throws plain errors only for what the request asks of the region (no roads for a road mode)
      throw AppError.fromInput(e, 'validation_failed');
    }
  });
  took(performance.now() - t0);
  return entry;
}

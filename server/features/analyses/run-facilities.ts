import { serviceTakes } from '../../../analysis/circles/circle.ts';
import { filterFacilities, type FacilitySet } from '../../../analysis/facilities/facility-set.ts';
import { applyEdits } from '../../../analysis/scenario/apply-edits.ts';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import { toFacilitySet, withStatus } from '../facilities/facility.service.ts';
import type { RegionModelCache } from '../regions/region-model-cache.ts';
import { requireScenario } from '../scenarios/scenario.service.ts';
import type { AnalysisRunInfo } from './analysis.repository.ts';

/**
 * The facilities a filed run counted: its statuses, its scenario's edits (those of other statuses were
 * ignored by the run), of the circle's services; what its isochrones and its map sheet draw.
 *
 * @example const set = await runFacilities(db, cache, await repo.findRun(db, 7));
 */
export async function runFacilities(db: Db, cache: RegionModelCache, run: Pick<AnalysisRunInfo, 'id' | 'parameters' | 'summary'>): Promise<FacilitySet> {
  const p = run.parameters;
  const edits = run.summary.scenario?.edits.filter((_, i) => !run.summary.scenario!.ignoredEdits.includes(i))
    ?? (p.scenarioId === null ? [] : (await requireScenario(db, p.scenarioId, p.regionId)).edits);
  let all;
  try {
    all = applyEdits(toFacilitySet(withStatus((await cache.facilities(db, p.regionId)).rows, p.statuses)), edits);
  } catch (e) {
    throw new AppError('conflict', `analysis ${run.id}: its scenario no longer applies to the region's facilities (${(e as Error).message}); run it again`);
  }
  return filterFacilities(all, (i) => p.circle.services.some((s) => serviceTakes(s, all.category[i])));
}

import { walkCostPerMeter, defaultSpeedTable } from '../network/speed-table.ts';
import { candidatesFromUncoveredCells, type CandidateSites } from '../siting/candidate-sites.ts';
import { suggestSites, type SuggestSitesResult } from '../siting/suggest-sites.ts';
import { COVERED, NO_ROAD_WITHIN_SNAP, NOT_ASSESSED } from './circle.ts';
import { planCircle, preparedFor, type CircleInputs, type CircleResult } from './run-circle.ts';

/** Default least distance between suggested sites: two sites under a kilometre apart serve one neighbourhood twice. */
export const DEFAULT_SITE_SPACING = 1000;

export interface CircleSitingRequest {
  /** the circle's run the sites are added to (a scenario's, when edits are counted as built) */
  result: CircleResult;
  k: number;
  /** default: thinned uncovered cells */
  candidates?: CandidateSites;
  /** objective weights; default the circle's group (aged 60+ only for the elderly circle, all residents otherwise) */
  weight?: { population: number; aged60: number };
  /** spacing of candidates drawn from uncovered cells, metres; default 300 */
  blockMeters?: number;
  /** no two suggested sites closer than this, metres; default DEFAULT_SITE_SPACING */
  spacingMeters?: number;
  onProgress?: (step: string, fraction?: number) => void;
}

/**
 * Suggested sites for a circle with one service and one mode: its own group as the objective, its own
 * per-cell thresholds, every judged cell counted, existing (and scenario) facilities as built.
 *
 * @example const sites = suggestCircleSites(inputs, { result: runCircle(inputs, elderly), k: 3 });
 */
export function suggestCircleSites(inputs: Pick<CircleInputs, 'grid' | 'network' | 'speeds'>, req: CircleSitingRequest): SuggestSitesResult & { weight: { population: number; aged60: number }; spacingMeters: number } {
  const { result } = req;
  const plan = planCircle(result.circle, inputs.grid);
  if (plan.services.length !== 1 || plan.searches.length !== 1) {
    throw new Error(`suggested sites: circle ${result.circle.id ?? 'explicit'} has ${plan.services.length} services and ${plan.searches.length} modes; sites are chosen for circles with one service and one mode (the combined case is planned)`);
  }
  const search = plan.searches[0];
  const prepared = search.mode === 'straight' ? null : preparedFor(inputs, search);
  const grid = inputs.grid;
  const judged = Uint8Array.from(result.status, (s) => (s === NOT_ASSESSED ? 0 : 1));
  // a cell's baseline: covered cells at 0, others beyond every threshold, so the siting reads the run's own verdict
  const baselineCost = Float64Array.from(result.status, (s) => (s === COVERED ? 0 : Infinity));
  let maxThreshold = 0;
  for (let c = 0; c < grid.count; c++) if (judged[c] && result.threshold[c] > maxThreshold) maxThreshold = result.threshold[c];
  const weight = req.weight ?? (result.circle.population === 'aged60' ? { population: 0, aged60: 1 } : { population: 1, aged60: 0 });
  const exclude = Uint8Array.from(result.status, (s) => (s === NO_ROAD_WITHIN_SNAP || s === NOT_ASSESSED ? 1 : 0));
  const candidates = req.candidates ?? candidatesFromUncoveredCells(grid, baselineCost, {
    threshold: maxThreshold, exclude, blockMeters: req.blockMeters, aged60Weight: weight.aged60 / Math.max(weight.population, 1e-9),
  });
  if (candidates.lon.length === 0) throw new Error('no candidate sites: everyone the circle judges is covered, or no candidate lies in the area');
  const speeds = inputs.speeds ?? inputs.network?.speeds ?? defaultSpeedTable();
  const r = suggestSites({
    prepared, grid, baselineCost, threshold: maxThreshold, thresholdFor: (c) => (judged[c] ? result.threshold[c] : maxThreshold), candidates, k: req.k,
    weight, judged, minSpacingMeters: req.spacingMeters ?? DEFAULT_SITE_SPACING, costPerMeter: search.mode === 'straight' ? walkCostPerMeter(speeds, 'straight', search.costKind) : 1, onProgress: req.onProgress,
  });
  return { ...r, weight, spacingMeters: req.spacingMeters ?? DEFAULT_SITE_SPACING };
}

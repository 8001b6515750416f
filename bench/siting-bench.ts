// Suggested sites on the Yuechi demo (15-minute elderly-care circle, objective 60+) and on the synthetic county: the lazy greedy beside an
// exact MILP (HiGHS in WebAssembly) on the same coverage sets, with the greedy's gap to the optimum and the
// time of each. bench/run.ts calls benchSiting().
import { circleOfPreset } from '../analysis/circles/circle.ts';
import { networkPreparer } from '../analysis/circles/network-preparer.ts';
import { runCircle } from '../analysis/circles/run-circle.ts';
import { COVERED, NOT_ASSESSED, NO_ROAD_WITHIN_SNAP } from '../analysis/circles/circle.ts';
import { preparedFor, planCircle } from '../analysis/circles/run-circle.ts';
import { buildRoadNetwork } from '../analysis/network/road-network.ts';
import { candidatesFromUncoveredCells } from '../analysis/siting/candidate-sites.ts';
import { exactSites, type LpSolution } from '../analysis/siting/exact-sites.ts';
import { coverageProblem, suggestSites } from '../analysis/siting/suggest-sites.ts';
import { defaultStandards } from '../analysis/standards/presets.ts';
import { loadYuechiDemo } from '../server/io/load-demo.ts';
import { spacingConflicts } from '../analysis/siting/spacing-conflicts.ts';
import type { FacilitySet } from '../analysis/facilities/facility-set.ts';
import type { PopulationGrid } from '../analysis/grid/population-grid.ts';
import type { RoadNetwork } from '../analysis/network/road-network.ts';
import { syntheticCounty } from './synthetic-county.ts';

export async function benchSiting(ks = [3, 10]): Promise<void> {
  console.log('\n## Suggested sites: lazy greedy vs exact MILP (HiGHS), elderly-care-15min, without and with the 500 m spacing (exact: pairs closer than it forbidden)');
  const highs = await (await import('highs')).default();
  const solve = (lp: string) => highs.solve(lp, { time_limit: 300, mip_rel_gap: 0 }) as unknown as LpSolution;
  const standards = defaultStandards();
  const circle = circleOfPreset(standards.circles.find((c) => c.id === 'elderly-care-15min')!, standards);
  const demo = await loadYuechiDemo();
  sitingCase('Yuechi demo (objective 60+)', { grid: demo.grid, facilities: demo.facilities, network: buildRoadNetwork(demo.roadSource) }, circle, ks, solve);
  // the synthetic county has no ages: its objective is all residents
  const county = syntheticCounty();
  sitingCase('synthetic county (objective residents)', county, circle, ks, solve);
}

function sitingCase(name: string, data: { grid: PopulationGrid; facilities: FacilitySet; network: RoadNetwork }, circle: ReturnType<typeof circleOfPreset>, ks: number[], solve: (lp: string) => LpSolution): void {
  const inputs = { grid: data.grid, facilities: data.facilities, network: networkPreparer(data.network, data.grid) };
  let t = performance.now();
  const result = runCircle(inputs, circle);
  const runMs = performance.now() - t;
  const plan = planCircle(circle, data.grid);
  const prepared = preparedFor(inputs, plan.searches[0]);
  const judged = Uint8Array.from(result.status, (s) => (s === NOT_ASSESSED ? 0 : 1));
  const baselineCost = Float64Array.from(result.status, (s) => (s === COVERED ? 0 : Infinity));
  let threshold = 0;
  for (let c = 0; c < data.grid.count; c++) if (judged[c] && result.threshold[c] > threshold) threshold = result.threshold[c];
  const exclude = Uint8Array.from(result.status, (s) => (s === NO_ROAD_WITHIN_SNAP || s === NOT_ASSESSED ? 1 : 0));
  const aged = data.grid.aged60.some((v) => v > 0);
  const weight = aged ? { population: 0, aged60: 1 } : { population: 1, aged60: 0 };
  const candidates = candidatesFromUncoveredCells(data.grid, baselineCost, { threshold, exclude, aged60Weight: aged ? 1e9 : 0 });
  console.log(`${name}: ${data.grid.count} cells, ${candidates.lon.length} candidates; the circle's run ${runMs.toFixed(0)} ms`);
  for (const k of ks) {
    for (const spacing of [0, 500]) {
      const req = { prepared, grid: data.grid, baselineCost, threshold, thresholdFor: (c: number) => (judged[c] ? result.threshold[c] : threshold), candidates, k, weight, judged, minSpacingMeters: spacing };
      t = performance.now();
      const greedy = suggestSites(req);
      const greedyMs = performance.now() - t;
      const g = greedy.sites.reduce((a, s) => a + s.score, 0);
      t = performance.now();
      const problem = coverageProblem(req);
      const conflicts = spacingConflicts(candidates, spacing);
      const setsMs = performance.now() - t;
      t = performance.now();
      const exact = exactSites({ value: problem.value, sets: problem.sets, k, conflicts }, solve);
      const exactMs = performance.now() - t;
      console.log(`  k = ${k}, spacing ${spacing} m: ${exact.rows} merged demand rows, ${conflicts.length} forbidden pairs; greedy ${g.toFixed(0)} in ${greedyMs.toFixed(0)} ms; exact ${exact.objective.toFixed(0)} in ${exactMs.toFixed(0)} ms (+ ${setsMs.toFixed(0)} ms building the sets); greedy/exact ${(g / exact.objective).toFixed(4)}, gap ${((1 - g / exact.objective) * 100).toFixed(2)} %`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSiting();

// Suggested sites on the Yuechi demo (15-minute elderly-care circle, objective 60+): the lazy greedy beside an
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

export async function benchSiting(ks = [3, 10]): Promise<void> {
  console.log('\n## Suggested sites: lazy greedy vs exact MILP (HiGHS), Yuechi demo, elderly-care-15min, objective 60+, no spacing');
  const highs = await (await import('highs')).default();
  const solve = (lp: string) => highs.solve(lp, { time_limit: 300, mip_rel_gap: 0 }) as unknown as LpSolution;
  const demo = await loadYuechiDemo();
  const standards = defaultStandards();
  const circle = circleOfPreset(standards.circles.find((c) => c.id === 'elderly-care-15min')!, standards);
  const inputs = { grid: demo.grid, facilities: demo.facilities, network: networkPreparer(buildRoadNetwork(demo.roadSource), demo.grid) };
  const result = runCircle(inputs, circle);
  const plan = planCircle(circle, demo.grid);
  const prepared = preparedFor(inputs, plan.searches[0]);
  const judged = Uint8Array.from(result.status, (s) => (s === NOT_ASSESSED ? 0 : 1));
  const baselineCost = Float64Array.from(result.status, (s) => (s === COVERED ? 0 : Infinity));
  let threshold = 0;
  for (let c = 0; c < demo.grid.count; c++) if (judged[c] && result.threshold[c] > threshold) threshold = result.threshold[c];
  const exclude = Uint8Array.from(result.status, (s) => (s === NO_ROAD_WITHIN_SNAP || s === NOT_ASSESSED ? 1 : 0));
  const candidates = candidatesFromUncoveredCells(demo.grid, baselineCost, { threshold, exclude, aged60Weight: 1e9 });
  for (const k of ks) {
    const req = { prepared, grid: demo.grid, baselineCost, threshold, thresholdFor: (c: number) => (judged[c] ? result.threshold[c] : threshold), candidates, k, weight: { population: 0, aged60: 1 }, judged };
    let t = performance.now();
    const greedy = suggestSites(req);
    const greedyMs = performance.now() - t;
    const g = greedy.sites.reduce((a, s) => a + s.score, 0);
    t = performance.now();
    const problem = coverageProblem(req);
    const setsMs = performance.now() - t;
    t = performance.now();
    const exact = exactSites({ value: problem.value, sets: problem.sets, k }, solve);
    const exactMs = performance.now() - t;
    console.log(`k = ${k}: ${candidates.lon.length} candidates, ${exact.rows} merged demand rows; greedy ${g.toFixed(0)} aged 60+ in ${greedyMs.toFixed(0)} ms; exact ${exact.objective.toFixed(0)} in ${exactMs.toFixed(0)} ms (+ ${setsMs.toFixed(0)} ms building the sets); greedy/exact ${(g / exact.objective).toFixed(4)}, gap ${((1 - g / exact.objective) * 100).toFixed(2)} %`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSiting();

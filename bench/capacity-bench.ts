// Capacitated sites on the Yuechi demo (15-minute elderly-care circle, demand 60+): time of the greedy with
// full re-assignment per candidate, and how the served demand splits. Run: npx tsx bench/capacity-bench.ts
import { circleOfPreset, COVERED, NOT_ASSESSED, NO_ROAD_WITHIN_SNAP } from '../analysis/circles/circle.ts';
import { networkPreparer } from '../analysis/circles/network-preparer.ts';
import { planCircle, preparedFor, runCircle } from '../analysis/circles/run-circle.ts';
import { filterFacilities } from '../analysis/facilities/facility-set.ts';
import { buildRoadNetwork } from '../analysis/network/road-network.ts';
import { capacitatedSites } from '../analysis/siting/capacitated-sites.ts';
import { candidatesFromUncoveredCells } from '../analysis/siting/candidate-sites.ts';
import { defaultStandards } from '../analysis/standards/presets.ts';
import { loadYuechiDemo } from '../server/io/load-demo.ts';

export async function benchCapacity(ks = [3, 10], capacity = 100, unknownCapacity = 100): Promise<void> {
  console.log(`\n## Capacitated sites, Yuechi demo, elderly-care-15min, demand 60+, ${capacity} places per new site, ${unknownCapacity} per existing of unknown capacity`);
  const demo = await loadYuechiDemo();
  const standards = defaultStandards();
  const circle = circleOfPreset(standards.circles.find((c) => c.id === 'elderly-care-15min')!, standards);
  const inputs = { grid: demo.grid, facilities: demo.facilities, network: networkPreparer(buildRoadNetwork(demo.roadSource), demo.grid) };
  const result = runCircle(inputs, circle);
  const plan = planCircle(circle, demo.grid);
  const prepared = preparedFor(inputs, plan.searches[0]);
  const categories = new Set(circle.services[0].categories);
  const existing = filterFacilities(demo.facilities, (f) => categories.has(demo.facilities.category[f]));
  const judged = Uint8Array.from(result.status, (s) => (s === NOT_ASSESSED ? 0 : 1));
  const baselineCost = Float64Array.from(result.status, (s) => (s === COVERED ? 0 : Infinity));
  let threshold = 0;
  for (let c = 0; c < demo.grid.count; c++) if (judged[c] && result.threshold[c] > threshold) threshold = result.threshold[c];
  const exclude = Uint8Array.from(result.status, (s) => (s === NO_ROAD_WITHIN_SNAP || s === NOT_ASSESSED ? 1 : 0));
  const candidates = candidatesFromUncoveredCells(demo.grid, baselineCost, { threshold, exclude, aged60Weight: 1e9, maxCandidates: 300 });
  for (const k of ks) {
    const t = performance.now();
    const r = capacitatedSites({
      prepared, grid: demo.grid, threshold, thresholdFor: (c) => (judged[c] ? result.threshold[c] : threshold), judged,
      existing, unknownCapacity, candidates, capacity, k, weight: { population: 0, aged60: 1 },
    });
    const f = (x: number) => x.toFixed(0);
    console.log(`k = ${k}: ${demo.grid.count} cells, ${existing.count} existing, ${candidates.lon.length} candidates, ${r.evaluated} assignments in ${(performance.now() - t).toFixed(0)} ms; ` +
      `60+ ${f(r.totals.demand)}: served ${f(r.baseline.served)} → ${f(r.totals.served)}, short of capacity ${f(r.baseline.lackOfCapacity)} → ${f(r.totals.lackOfCapacity)}, out of reach ${f(r.baseline.outOfReach)} → ${f(r.totals.outOfReach)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCapacity();

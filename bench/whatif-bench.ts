// What-if and suggested sites against the full run, on the seeded synthetic county (or a case passed in).
import { analyzeAccess, prepareNetwork } from '../analysis/accessibility/analyze-access.ts';
import { createFacilitySet, type FacilitySet } from '../analysis/facilities/facility-set.ts';
import type { PopulationGrid } from '../analysis/grid/population-grid.ts';
import type { RoadNetwork } from '../analysis/network/road-network.ts';
import { createScenarioEngine, type ScenarioEdit } from '../analysis/scenario/scenario-engine.ts';
import { candidatesFromUncoveredCells } from '../analysis/siting/candidate-sites.ts';
import { suggestSites } from '../analysis/siting/suggest-sites.ts';
import { seededRandom } from '../tests/support/seeded-random.ts';
import { syntheticCounty } from './synthetic-county.ts';

export interface WhatIfCase {
  grid: PopulationGrid;
  network: RoadNetwork;
  facilities: FacilitySet;
  /** shown in the heading; default "seeded synthetic county" */
  label?: string;
}

const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;

function best(times: number[]): { best: number; median: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { best: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}

/**
 * Prints, for walk 15 min: the full run (prepareNetwork + analyzeAccess), what-if add / remove / move of one
 * facility (best of several, each a different seeded site), their ratio to the full run, and the time to
 * suggest 10 sites from ~2,000 candidates.
 *
 * @example
 * await benchWhatIf(); // synthetic county
 * await benchWhatIf({ grid, network, facilities, label: 'Yuechi demo' });
 */
export async function benchWhatIf(testCase?: WhatIfCase): Promise<void> {
  const label = testCase?.label ?? 'seeded synthetic county';
  console.log(`\n## What-if and suggested sites: ${label}, walk 15 min`);
  let t = performance.now();
  const { grid, network, facilities } = testCase ?? syntheticCounty();
  if (!testCase) console.log(`generate: ${ms(performance.now() - t)}`);
  console.log(`${grid.count} populated cells, ${network.nodeCount} nodes, ${facilities.count} facilities`);
  const threshold = 15 * 60;

  const fullTimes: number[] = [];
  let prepared = prepareNetwork(network, grid, 'walk', 'time');
  let full = analyzeAccess({ grid, facilities, mode: 'walk', minutes: 15, prepared });
  for (let r = 0; r < 3; r++) {
    t = performance.now();
    prepared = prepareNetwork(network, grid, 'walk', 'time');
    full = analyzeAccess({ grid, facilities, mode: 'walk', minutes: 15, prepared });
    fullTimes.push(performance.now() - t);
  }
  const fullRun = best(fullTimes);
  console.log(`full run (prepareNetwork + analyzeAccess): best ${ms(fullRun.best)}, median ${ms(fullRun.median)}; covered ${(full.summary.population.coveredShare! * 100).toFixed(1)} %`);
  const queryTimes: number[] = [];
  for (let r = 0; r < 3; r++) {
    t = performance.now();
    analyzeAccess({ grid, facilities, mode: 'walk', minutes: 15, prepared });
    queryTimes.push(performance.now() - t);
  }
  console.log(`analyzeAccess alone with the prepared network kept: best ${ms(best(queryTimes).best)}`);

  t = performance.now();
  const engine = createScenarioEngine(prepared, grid, facilities, { threshold });
  console.log(`what-if engine set-up (once per network and facility set): ${ms(performance.now() - t)}`);

  // sites inside the extent of the facilities, seeded so every run measures the same edits
  const rand = seededRandom(7);
  let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
  for (let f = 0; f < facilities.count; f++) {
    minLon = Math.min(minLon, facilities.lon[f]); maxLon = Math.max(maxLon, facilities.lon[f]);
    minLat = Math.min(minLat, facilities.lat[f]); maxLat = Math.max(maxLat, facilities.lat[f]);
  }
  const site = () => ({ lon: minLon + rand() * (maxLon - minLon), lat: minLat + rand() * (maxLat - minLat) });
  const existing = () => facilities.id[Math.floor(rand() * facilities.count)];
  const kinds: Array<[string, () => ScenarioEdit[]]> = [
    ['add one facility', () => [{ op: 'add', id: `bench-new-${rand()}`, ...site() }]],
    ['remove one facility', () => [{ op: 'remove', id: existing() }]],
    ['move one facility', () => [{ op: 'move', id: existing(), ...site() }]],
  ];
  for (const [name, edits] of kinds) {
    const times: number[] = [];
    let changed = 0;
    let last = engine.apply(edits());
    for (let r = 0; r < 9; r++) {
      last = engine.apply(edits());
      times.push(last.ms);
      changed = Math.max(changed, last.delta.changedCells);
    }
    const b = best(times);
    // at county scale too, the last scenario must equal a full run on its edited set
    const check = analyzeAccess({ grid, facilities: last.facilities, mode: 'walk', minutes: 15, prepared });
    let differ = 0;
    for (let i = 0; i < grid.count; i++) if (check.cost[i] !== last.cost[i] || check.facility[i] !== last.facility[i]) differ++;
    if (differ > 0) console.log(`what-if ${name}: ${differ} cells differ from a full run on the edited set`);
    console.log(`what-if ${name}: best ${ms(b.best)}, median ${ms(b.median)} (up to ${changed} cells changed); ratio what-if / full run: best ${(b.best / fullRun.best).toFixed(3)}, median ${(b.median / fullRun.median).toFixed(3)} (target < 0.1)`);
  }

  t = performance.now();
  const candidates = candidatesFromUncoveredCells(grid, full.cost, { threshold, blockMeters: 300, maxCandidates: 2000, exclude: full.unreachable });
  const candidateMs = performance.now() - t;
  const suggest = () => suggestSites({ prepared, grid, baselineCost: full.cost, threshold, candidates, k: 10 });
  const first = suggest();
  const again = suggest();
  const r = again.ms < first.ms ? again : first;
  console.log(`suggest 10 sites from ${candidates.lon.length} uncovered-cell candidates (300 m blocks, made in ${ms(candidateMs)}): best of 2 ${ms(r.ms)}; ${r.evaluated} gain evaluations; covered ${(r.baselineCovered / r.totalPopulation * 100).toFixed(1)} % → ${((r.curve.at(-1)?.share ?? 0) * 100).toFixed(1)} %, first site +${Math.round(r.sites[0]?.gain ?? 0)}, tenth +${Math.round(r.sites[9]?.gain ?? 0)} residents`);
  const withSites = createFacilitySet([
    ...Array.from({ length: facilities.count }, (_, f) => ({ lon: facilities.lon[f], lat: facilities.lat[f], id: facilities.id[f] })),
    ...r.sites.map((s) => ({ lon: s.lon, lat: s.lat, id: `suggested-${s.id}` })),
  ]);
  const after = analyzeAccess({ grid, facilities: withSites, mode: 'walk', minutes: 15, prepared }).summary.population.covered;
  const curveEnd = r.curve.at(-1)?.covered ?? r.baselineCovered;
  console.log(`full run with the 10 sites added covers ${Math.round(after)}; the curve says ${Math.round(curveEnd)}${Math.abs(after - curveEnd) > 1e-6 * after ? ' (MISMATCH)' : ' (equal)'}`);
  const weighted = suggestSites({ prepared, grid, baselineCost: full.cost, threshold, candidates, k: 10, weight: { aged60: 1 } });
  console.log(`the same weighted toward aged 60+ (population + 1 × aged 60+): ${ms(weighted.ms)}; aged 60+ newly covered ${Math.round(weighted.sites.reduce((a, s) => a + s.gainAged60, 0))}`);
}

// run directly: npx tsx bench/whatif-bench.ts
if (import.meta.url === `file://${process.argv[1]}`) await benchWhatIf();

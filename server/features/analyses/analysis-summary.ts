import type { CoverageRow, PopulationCount } from '../../../analysis/coverage/coverage-summary.ts';
import { describeReach, type Reach } from '../../../analysis/standards/presets.ts';
import type { AnalysisParameters } from './analysis-request.ts';
import type { CoverageRun } from './coverage-run.ts';
import type { CirclePreset } from './preset-catalog.ts';

export type Verdict = 'pass' | 'fail' | 'no-data';

/** Coverage of one township (admin unit), with the verdict for the circle's population group. */
export interface UnitRow {
  code: string;
  name: string;
  population: PopulationCount;
  aged60: PopulationCount | null;
  unreachable: number;
  cells: number;
  /** covered share of the group the circle judges (all, aged 60+, rural residents) */
  coveredShare: number | null;
  verdict: Verdict;
}

/** The filed result of a run, readable without the cells. */
export interface AnalysisSummary {
  preset: { id: string; zh: string; en: string; source: string } | null;
  reach: { urban: (Reach & { text: { zh: string; en: string } }) | null; rural: (Reach & { text: { zh: string; en: string } }) | null };
  group: AnalysisParameters['population'];
  coverageTarget: number;
  coveredShare: number | null;
  verdict: Verdict;
  population: PopulationCount;
  aged60: PopulationCount | null;
  unreachable: number;
  /** cells the circle judged (a rural-only circle skips urban cells) */
  cells: number;
  byClass: Record<'urban' | 'rural' | 'unknown', { population: PopulationCount; aged60: PopulationCount | null; cells: number }>;
  outsideUnits: { population: PopulationCount; aged60: PopulationCount | null; cells: number } | null;
  facilities: { used: number; byGroup: { id: string; count: number }[]; unsnapped: string[] };
  gaps: { count: number; uncoveredPopulation: number };
  costUnit: CoverageRun['unit'];
  ms: number;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

function count(c: PopulationCount): PopulationCount {
  return { total: r1(c.total), covered: r1(c.covered), uncovered: r1(c.uncovered), coveredShare: c.coveredShare === null ? null : Math.round(c.coveredShare * 1e4) / 1e4 };
}

function groupShare(row: CoverageRow, group: AnalysisParameters['population']): number | null {
  const c = group === 'aged60' ? row.aged60 : row.population;
  return c ? c.coveredShare : null;
}

function verdictOf(share: number | null, target: number): Verdict {
  return share === null ? 'no-data' : share >= target ? 'pass' : 'fail';
}

/**
 * The stored summary and per-township rows of a run; shares are of the circle's group and a township passes
 * when that share reaches the target.
 *
 * @example const { summary, units } = summarizeRun(run, parameters, preset, 120);
 */
export function summarizeRun(run: CoverageRun, p: AnalysisParameters, preset: CirclePreset | null, ms: number): { summary: AnalysisSummary; units: UnitRow[] } {
  const s = run.summary;
  const withText = (r: Reach | null) => r && { ...r, text: describeReach(r) };
  const part = (row: CoverageRow) => ({ population: count(row.population), aged60: row.aged60 && count(row.aged60), cells: row.cells });
  const share = groupShare(s, p.population);
  const units: UnitRow[] = s.byUnit.map((u) => {
    const us = groupShare(u, p.population);
    return {
      code: u.code, name: u.name, population: count(u.population), aged60: u.aged60 && count(u.aged60), unreachable: r1(u.unreachable), cells: u.cells,
      coveredShare: us === null ? null : Math.round(us * 1e4) / 1e4, verdict: u.cells === 0 ? 'no-data' : verdictOf(us, p.coverageTarget),
    };
  });
  let uncovered = 0;
  for (const f of run.gaps.features) uncovered += f.properties.uncovered_population;
  return {
    units,
    summary: {
      preset: preset && { id: preset.id, zh: preset.zh, en: preset.en, source: preset.source },
      reach: { urban: withText(p.urban), rural: withText(p.rural) },
      group: p.population, coverageTarget: p.coverageTarget,
      coveredShare: share === null ? null : Math.round(share * 1e4) / 1e4, verdict: verdictOf(share, p.coverageTarget),
      population: count(s.population), aged60: s.aged60 && count(s.aged60), unreachable: r1(s.unreachable), cells: s.cells,
      byClass: { urban: part(s.byClass.urban), rural: part(s.byClass.rural), unknown: part(s.byClass.unknown) },
      outsideUnits: s.outsideUnits && part(s.outsideUnits),
      facilities: { used: run.facilities.count, byGroup: run.facilitiesByGroup, unsnapped: run.unsnapped },
      gaps: { count: run.gaps.features.length, uncoveredPopulation: r1(uncovered) },
      costUnit: run.unit, ms: Math.round(ms),
    },
  };
}

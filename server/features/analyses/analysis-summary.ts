import type { CircleResult, CircleSummary } from '../../../analysis/circles/run-circle.ts';
import { groupOf } from '../../../analysis/circles/run-circle.ts';
import type { CoverageRow, PopulationCount } from '../../../analysis/coverage/coverage-summary.ts';
import { describeReach, type Reach } from '../../../analysis/standards/presets.ts';
import type { ScenarioEdit } from '../scenarios/scenario-edits.ts';
import type { AnalysisParameters } from './analysis-request.ts';
import type { CirclePreset } from './preset-catalog.ts';

export type Verdict = 'pass' | 'fail' | 'no-data';

/** The same township before the scenario's edits, beside the scenario's row. */
export interface BaselineRow {
  /** covered residents of the circle's group */
  covered: number;
  coveredShare: number | null;
  verdict: Verdict;
  gaps: number;
}

/** Coverage of one township (admin unit): the circle's group first, all residents and 60+ beside it. */
export interface UnitRow {
  code: string;
  name: string;
  /** the group the circle judges (aged 60+ for the elderly circle, else all or rural residents) */
  group: PopulationCount | null;
  population: PopulationCount;
  aged60: PopulationCount | null;
  unreachable: number;
  cells: number;
  /** covered share of the circle's group */
  coveredShare: number | null;
  verdict: Verdict;
  /** gaps (polygons) in the township */
  gaps: number;
  /** a scenario's run: the township without the edits, and the change of the group's covered residents */
  baseline: BaselineRow | null;
  change: number | null;
}

/** The filed result of a run, readable without the cells. */
export interface AnalysisSummary {
  preset: { id: string; zh: string; en: string; source: string } | null;
  title: { zh: string; en: string };
  reach: { urban: (Reach & { text: { zh: string; en: string } }) | null; rural: (Reach & { text: { zh: string; en: string } }) | null };
  group: AnalysisParameters['circle']['population'];
  coverageTarget: number;
  /** the group's county count and share: the line every surface shows first */
  groupCount: PopulationCount | null;
  coveredShare: number | null;
  verdict: Verdict;
  population: PopulationCount;
  aged60: PopulationCount | null;
  unreachable: number;
  /** cells the circle judged (a rural-only circle skips urban cells) */
  cells: number;
  byClass: Record<'urban' | 'rural' | 'unknown', { population: PopulationCount; aged60: PopulationCount | null; cells: number }>;
  outsideUnits: { population: PopulationCount; aged60: PopulationCount | null; cells: number } | null;
  /** uncovered residents by reason: beyond reach, no facility within the search, too far from a road, cut-off road */
  byReason: CircleSummary['byReason'];
  /** coverage per service (which service is missing, for 'every' circles) */
  services: Array<{ id: string; zh: string; en: string; facilities: number; coveredShare: number | null }>;
  facilities: { used: number; unsnapped: string[] };
  gaps: { count: number; uncoveredPopulation: number; uncoveredGroup: number };
  costUnit: 'seconds' | 'meters' | 'mixed';
  /** the scenario the run applies, its edits and the county before them; null for the facilities as they are */
  scenario: {
    id: number | null; name: string | null; edits: ScenarioEdit[]; ignoredEdits: number[];
    baseline: { covered: number; coveredShare: number | null; verdict: Verdict; gaps: number; uncoveredGroup: number };
  } | null;
  /** the data the run read (layers, facilities, statuses, circle): equal stamps, equal answers */
  stamp: string;
  /** engine time, and the service's time for the whole request */
  engineMs: number;
  ms: number;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

function count(c: PopulationCount): PopulationCount {
  return { total: r1(c.total), covered: r1(c.covered), uncovered: r1(c.uncovered), coveredShare: c.coveredShare === null ? null : Math.round(c.coveredShare * 1e4) / 1e4 };
}

function verdictOf(share: number | null, target: number): Verdict {
  return share === null ? 'no-data' : share >= target - 1e-12 ? 'pass' : 'fail';
}

const share4 = (s: number | null | undefined) => (s === null || s === undefined ? null : Math.round(s * 1e4) / 1e4);

export interface RunContext {
  preset: CirclePreset | null;
  /** the run without the scenario's edits, for a scenario's before/after */
  baseline: CircleResult | null;
  scenario: { id: number | null; name: string | null; edits: ScenarioEdit[]; ignoredEdits: number[] } | null;
  stamp: string;
  engineMs: number;
  ms: number;
}

/**
 * The stored summary and per-township rows of a circle result; shares are of the circle's group and a
 * township passes when that share reaches the target. A scenario's rows carry the baseline beside them.
 *
 * @example const { summary, units } = summarizeRun(result, { preset, baseline: null, scenario: null, stamp, engineMs: 40, ms: 60 });
 */
export function summarizeRun(r: CircleResult, ctx: RunContext): { summary: AnalysisSummary; units: UnitRow[] } {
  const s = r.summary, c = r.circle, target = c.coverageTarget;
  const group = c.population;
  const withText = (x: Reach | null) => x && { ...x, text: describeReach(x) };
  const part = (row: CoverageRow) => ({ population: count(row.population), aged60: row.aged60 && count(row.aged60), cells: row.cells });
  const gapsByUnit = new Map<string, number>();
  for (const f of r.gaps.features) gapsByUnit.set(f.properties.township_code, (gapsByUnit.get(f.properties.township_code) ?? 0) + 1);
  const baseGaps = new Map<string, number>();
  for (const f of ctx.baseline?.gaps.features ?? []) baseGaps.set(f.properties.township_code, (baseGaps.get(f.properties.township_code) ?? 0) + 1);
  const units: UnitRow[] = s.byUnit.map((u, i) => {
    const g = groupOf(u, group);
    const b = ctx.baseline?.summary.byUnit[i];
    const bg = b ? groupOf(b, group) : null;
    return {
      code: u.code, name: u.name, group: g && count(g), population: count(u.population), aged60: u.aged60 && count(u.aged60), unreachable: r1(u.unreachable), cells: u.cells,
      coveredShare: share4(g?.coveredShare), verdict: u.cells === 0 ? 'no-data' : verdictOf(g?.coveredShare ?? null, target),
      gaps: gapsByUnit.get(u.code) ?? 0,
      baseline: b ? { covered: r1(bg?.covered ?? 0), coveredShare: share4(bg?.coveredShare), verdict: b.cells === 0 ? 'no-data' : verdictOf(bg?.coveredShare ?? null, target), gaps: baseGaps.get(u.code) ?? 0 } : null,
      change: b ? r1((g?.covered ?? 0) - (bg?.covered ?? 0)) : null,
    };
  });
  const kinds = new Set([c.urban, c.rural].filter((x): x is Reach => x !== null).map((x) => (x.minutes !== undefined ? 'seconds' : 'meters')));
  const gc = s.groupCount;
  const base = ctx.baseline?.summary;
  return {
    units,
    summary: {
      preset: ctx.preset && { id: ctx.preset.id, zh: ctx.preset.zh, en: ctx.preset.en, source: ctx.preset.source },
      title: { zh: c.zh, en: c.en },
      reach: { urban: withText(c.urban), rural: withText(c.rural) },
      group, coverageTarget: target,
      groupCount: gc && count(gc), coveredShare: share4(gc?.coveredShare), verdict: verdictOf(gc?.coveredShare ?? null, target),
      population: count(s.population), aged60: s.aged60 && count(s.aged60), unreachable: r1(s.unreachable), cells: s.cells,
      byClass: { urban: part(s.byClass.urban), rural: part(s.byClass.rural), unknown: part(s.byClass.unknown) },
      outsideUnits: s.outsideUnits && part(s.outsideUnits),
      byReason: Object.fromEntries(Object.entries(s.byReason).map(([k, v]) => [k, { population: r1(v.population), aged60: r1(v.aged60), group: r1(v.group), cells: v.cells }])) as CircleSummary['byReason'],
      services: s.services.map((x) => ({ id: x.id, zh: x.zh, en: x.en, facilities: x.facilities, coveredShare: share4(groupOf(x, group)?.coveredShare) })),
      facilities: { used: r.facilities.count, unsnapped: r.unsnappedFacilities },
      gaps: { count: s.gaps.count, uncoveredPopulation: r1(s.gaps.uncoveredPopulation), uncoveredGroup: r1(s.gaps.uncoveredGroup) },
      costUnit: kinds.size > 1 ? 'mixed' : kinds.has('meters') ? 'meters' : 'seconds',
      scenario: ctx.scenario && base ? {
        ...ctx.scenario,
        baseline: {
          covered: r1(base.groupCount?.covered ?? 0), coveredShare: share4(base.groupCount?.coveredShare), verdict: verdictOf(base.groupCount?.coveredShare ?? null, target),
          gaps: base.gaps.count, uncoveredGroup: r1(base.gaps.uncoveredGroup),
        },
      } : null,
      stamp: ctx.stamp,
      engineMs: Math.round(ctx.engineMs), ms: Math.round(ctx.ms),
    },
  };
}

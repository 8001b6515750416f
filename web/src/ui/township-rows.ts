import type { AnalysisView, IndicatorResult, Verdict, WhatIfResult } from '../source/api-types.ts';
import type { SortColumn } from './app-state.ts';

/** One line of the township table, whichever the analysis. */
export interface TownshipRow {
  code: string;
  name: string;
  /** residents of the judged group (circle) or null (indicator) */
  total: number | null;
  /** covered share of the group (circle, after the what-if if any) or the indicator's value */
  share: number | null;
  uncovered: number | null;
  verdict: Verdict;
  /** what-if: newly covered residents of the group (negative when lost), null without a what-if */
  change: number | null;
  value: number | null;
  shortfall: number | null;
  /** the indicator's own sentence ("needs 120 more slots") */
  text: { zh: string; en: string } | null;
}

/**
 * Rows of a circle run, with the what-if's after-values where one applies: the share is after/total of the
 * circle's group and the verdict is that share against the run's target, the same rule the service uses.
 *
 * @example circleRows(analysis, null)[0].share // 0.83
 */
export function circleRows(analysis: AnalysisView, whatIf: WhatIfResult | null): TownshipRow[] {
  const aged = analysis.summary.group === 'aged60';
  const target = analysis.summary.coverageTarget;
  const delta = new Map((whatIf?.delta.byUnit ?? []).map((u) => [u.code, u]));
  return analysis.units.map((u) => {
    const count = aged ? u.aged60 : u.population;
    const d = delta.get(u.code);
    const change = d ? (aged ? d.aged60 : d.population) : null;
    const total = count?.total ?? null;
    let share = u.coveredShare, uncovered = count?.uncovered ?? null, verdict = u.verdict;
    if (change && total !== null && total > 0) {
      share = change.after / total;
      uncovered = total - change.after;
      verdict = share >= target ? 'pass' : 'fail';
    }
    return { code: u.code, name: u.name, total, share, uncovered, verdict, change: change ? change.change : null, value: null, shortfall: null, text: null };
  });
}

/** Rows of an indicator judged per township. */
export function indicatorRows(result: IndicatorResult): TownshipRow[] {
  return result.units.map((u) => ({
    code: u.code, name: u.name, total: null, share: null, uncovered: null, verdict: u.verdict, change: null,
    value: u.value, shortfall: u.shortfall, text: u.text,
  }));
}

const VERDICT_ORDER: Record<Verdict, number> = { fail: 0, pass: 1, 'no-data': 2 };

/**
 * Sorts rows by a column; missing values go last whatever the direction, names sort by Chinese collation.
 *
 * @example sortRows(rows, 'share', 1) // worst-covered township first
 */
export function sortRows(rows: TownshipRow[], column: SortColumn, dir: 1 | -1, locale = 'zh-CN'): TownshipRow[] {
  const collator = new Intl.Collator(locale);
  const key = (r: TownshipRow): number | string | null => {
    switch (column) {
      case 'name': return r.name;
      case 'verdict': return VERDICT_ORDER[r.verdict];
      default: return r[column];
    }
  };
  return [...rows].sort((a, b) => {
    const ka = key(a), kb = key(b);
    if (ka === null && kb === null) return 0;
    if (ka === null) return 1;
    if (kb === null) return -1;
    const c = typeof ka === 'string' ? collator.compare(ka, String(kb)) : (ka as number) - (kb as number);
    return c * dir || collator.compare(a.name, b.name);
  });
}

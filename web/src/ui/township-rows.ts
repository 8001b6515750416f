import type { CircleRunView, IndicatorResult, Verdict } from '../source/api-types.ts';
import type { SortColumn } from './app-state.ts';

/** One line of the township table, whichever the analysis. */
export interface TownshipRow {
  code: string;
  name: string;
  /** residents of the judged group (circle) or null (indicator) */
  total: number | null;
  /** covered share of the group (circle: of the run shown, the scenario's during a what-if) or null */
  share: number | null;
  /** the share before the scenario's edits, null without a scenario */
  before: number | null;
  uncovered: number | null;
  verdict: Verdict;
  /** scenario: newly covered residents of the group (negative when lost), null without one */
  change: number | null;
  /** gaps in the township */
  gaps: number | null;
  value: number | null;
  shortfall: number | null;
  /** the indicator's own sentence ("needs 120 more slots") */
  text: { zh: string; en: string } | null;
}

/**
 * Rows of a circle run as the service answered it (a filed run, or a what-if's whole result with the
 * baseline beside each township): nothing is recomputed in the browser.
 *
 * @example circleRows(analysis)[0].share // 0.83
 */
export function circleRows(run: CircleRunView | null): TownshipRow[] {
  if (!run) return [];
  return run.units.map((u) => ({
    code: u.code, name: u.name, total: u.group?.total ?? null, share: u.coveredShare, before: u.baseline?.coveredShare ?? null,
    uncovered: u.group?.uncovered ?? null, verdict: u.verdict, change: u.change, gaps: u.gaps, value: null, shortfall: null, text: null,
  }));
}

/** Rows of an indicator judged per township. */
export function indicatorRows(result: IndicatorResult): TownshipRow[] {
  return result.units.map((u) => ({
    code: u.code, name: u.name, total: null, share: null, before: null, uncovered: null, verdict: u.verdict, change: null, gaps: null,
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

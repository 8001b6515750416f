import type { PresetInfo, Verdict } from '../source/api-types.ts';
import { GAP_REASON_TEXT, type GapReason } from '../../../analysis/circles/circle.ts';
import { shownRun, type AppState, type Store } from './app-state.ts';
import { el, fill } from './element.ts';
import { formatChange, formatCount, formatShare, formatValue } from './format.ts';
import { lang, onLangChange, pick, t } from './i18n.ts';
import { circleRows } from './township-rows.ts';

function badge(v: Verdict): HTMLElement {
  return el('span', { className: `verdict ${v}`, 'data-testid': 'verdict' }, t(v));
}

function stat(label: string, value: string, extra?: string): HTMLElement {
  return el('div', { className: 'stat' }, el('dt', {}, label), el('dd', {}, value, extra ? el('small', {}, ` ${extra}`) : null));
}

function basis(source: string, assumed: Record<string, string>, notes: string[]): HTMLElement {
  return el('details', { className: 'basis' }, el('summary', {}, t('basis')),
    el('p', { className: 'small' }, `${t('source')}: ${source}`),
    el('ul', { className: 'small' }, ...Object.entries(assumed).map(([k, v]) => el('li', {}, el('code', {}, k), ` ${v}`)), ...notes.map((n) => el('li', {}, n))));
}

function groupName(group: string): string {
  return t(group === 'aged60' ? 'groupAged60' : group === 'rural' ? 'groupRural' : 'groupAll');
}

function circleTotals(s: AppState, presets: PresetInfo[]): HTMLElement[] {
  const run = shownRun(s);
  if (!run) return [];
  const sum = run.summary;
  const gname = groupName(sum.group);
  const g = sum.groupCount;
  const scenario = sum.scenario;
  const reach = [sum.reach.urban?.text, sum.reach.rural?.text].filter((x, i, all) => x && all.findIndex((y) => y && pick(y) === pick(x)) === i).map((x) => pick(x!)).join(' / ');
  const change = scenario && g ? `${t('vsBaseline', { change: formatChange(g.covered - scenario.baseline.covered) })}` : undefined;
  const reasons = Object.entries(sum.byReason).filter(([, v]) => v.cells > 0)
    .map(([k, v]) => el('li', {}, `${pick(GAP_REASON_TEXT[k as GapReason])}: ${t('people', { n: formatCount(v.group) })}`));
  const scenarioName = scenario ? (scenario.name ?? t('scenarioUnsaved')) : null;
  return [
    el('p', { className: 'analysis-title' }, pick(sum.title), scenarioName ? ` · ${t('withScenario', { name: scenarioName })}` : '', ' ', badge(sum.verdict)),
    el('p', { className: 'muted' }, `${reach} · ${gname} · ${t('target', { share: formatShare(sum.coverageTarget) })}`),
    el('dl', { className: 'stats' },
      // the circle's group first: its share, its uncovered; all residents beside it
      stat(`${t('coveredShare')}${lang() === 'zh' ? `（${gname}）` : ` (${gname})`}`, formatShare(g?.coveredShare), change),
      stat(t('uncoveredGroup', { group: gname }), t('people', { n: formatCount(g?.uncovered) })),
      sum.group === 'all' ? null : stat(t('groupAll'), formatCount(sum.population.total), t('coveredPart', { share: formatShare(sum.population.coveredShare) })),
      stat(t('gaps'), t('gapCountGroup', { n: formatCount(sum.gaps.count), group: gname, pop: formatCount(sum.gaps.uncoveredGroup) }),
        scenario ? t('vsBaseline', { change: formatChange(sum.gaps.count - scenario.baseline.gaps) }) : undefined),
    ),
    reasons.length > 0 ? el('details', { className: 'reasons', 'data-testid': 'gap-reasons' }, el('summary', {}, t('whyUncovered')), el('ul', { className: 'small' }, ...reasons)) : null,
    basis(sum.preset?.source ?? '', presets.find((p) => p.id === sum.preset?.id)?.assumed ?? {}, presets.find((p) => p.id === sum.preset?.id)?.notes ?? []),
  ].filter((x): x is HTMLElement => x !== null);
}

function indicatorTotals(s: AppState): HTMLElement[] {
  const r = s.indicators?.find((i) => i.id === s.selection.id);
  if (!r) return [];
  return [
    el('p', { className: 'analysis-title' }, pick(r), ' ', badge(r.county.verdict)),
    el('dl', { className: 'stats' },
      stat(t('value'), formatValue(r.county.value)),
      stat(t('target', { share: '' }).trim(), pick(r.targetText)),
      stat(t('shortfall'), pick(r.county.text)),
    ),
    basis(r.source, {}, []),
  ];
}

function townshipDetail(s: AppState): HTMLElement | null {
  const run = shownRun(s);
  if (!s.township || !run || s.selection.kind !== 'circle') return null;
  const u = run.units.find((x) => x.code === s.township);
  const row = circleRows(run).find((x) => x.code === s.township);
  if (!u || !row) return null;
  return el('section', { className: 'township-detail', 'aria-live': 'polite', 'data-testid': 'township-detail' },
    el('h3', {}, u.name, ' ', badge(row.verdict)),
    el('dl', { className: 'stats' },
      stat(t('residents'), formatCount(u.population.total), `${t('covered')} ${formatShare(u.population.coveredShare)}`),
      stat(t('aged60'), formatCount(u.aged60?.total), u.aged60 ? `${t('covered')} ${formatShare(u.aged60.coveredShare)}` : undefined),
      stat(t('uncovered'), formatCount(row.uncovered), row.change !== null && Math.abs(row.change) >= 0.5 ? `${t('change')} ${formatChange(row.change)}` : undefined),
    ));
}

/**
 * County totals of the current circle or indicator (with the what-if's after-values), and the numbers of the
 * selected township.
 *
 * @example mountCountyTotals(section, store, data.presets);
 */
export function mountCountyTotals(host: HTMLElement, store: Store, presets: PresetInfo[]): void {
  const box = el('div', { className: 'county-totals', 'aria-live': 'polite', 'data-testid': 'county-totals' });
  const detail = el('div');
  host.append(box, detail);
  function render(): void {
    const s = store.get();
    fill(box, ...(s.selection.kind === 'circle' ? circleTotals(s, presets) : indicatorTotals(s)));
    box.dataset.gaps = s.selection.kind === 'circle' ? String(shownRun(s)?.summary.gaps.count ?? '') : '';
    fill(detail, townshipDetail(s));
  }
  store.subscribe((_s, changed) => {
    if (['analysis', 'whatIf', 'indicators', 'selection', 'township', 'scenarios'].some((k) => changed.has(k as never))) render();
  });
  onLangChange(render);
  render();
}

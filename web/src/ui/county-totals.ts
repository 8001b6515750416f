import type { PresetInfo, Verdict } from '../source/api-types.ts';
import type { AppState, Store } from './app-state.ts';
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

function circleTotals(s: AppState, presets: PresetInfo[]): HTMLElement[] {
  const a = s.analysis;
  if (!a) return [];
  const sum = a.summary;
  const aged = sum.group === 'aged60';
  const group = aged ? sum.aged60 : sum.population;
  const groupName = t(sum.group === 'aged60' ? 'groupAged60' : sum.group === 'rural' ? 'groupRural' : 'groupAll');
  let share = sum.coveredShare, verdict = sum.verdict, changeText: string | undefined;
  const change = s.whatIf ? (aged ? s.whatIf.delta.total.aged60 : s.whatIf.delta.total.population) : null;
  if (change && group && group.total > 0) {
    share = change.after / group.total;
    verdict = share >= sum.coverageTarget ? 'pass' : 'fail';
    changeText = `${formatChange(change.change)} · ${t('whatIfTime', { ms: s.whatIf!.ms })}`;
  }
  const reach = [sum.reach.urban?.text, sum.reach.rural?.text].filter((x, i, all) => x && all.findIndex((y) => y && pick(y) === pick(x)) === i).map((x) => pick(x!)).join(' / ');
  return [
    el('p', { className: 'analysis-title' }, pick(sum.preset ?? { zh: '自定义', en: 'custom' }), a.scenarioId ? ` · ${t('withScenario', { name: s.scenarios.find((x) => x.id === a.scenarioId)?.name ?? a.scenarioId })}` : '', ' ', badge(verdict)),
    el('p', { className: 'muted' }, `${reach} · ${groupName} · ${t('target', { share: formatShare(sum.coverageTarget) })}`),
    el('dl', { className: 'stats' },
      stat(t('residents'), formatCount(sum.population.total)),
      stat(t('aged60'), formatCount(sum.aged60?.total)),
      stat(lang() === 'zh' ? `${t('coveredShare')}（${groupName}）` : `${t('coveredShare')} (${groupName})`, formatShare(share), changeText),
      stat(t('gaps'), t('gapCount', { n: sum.gaps.count, pop: formatCount(sum.gaps.uncoveredPopulation) })),
    ),
    basis(sum.preset?.source ?? '', presets.find((p) => p.id === a.preset)?.assumed ?? {}, presets.find((p) => p.id === a.preset)?.notes ?? []),
  ];
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
  if (!s.township || !s.analysis || s.selection.kind !== 'circle') return null;
  const u = s.analysis.units.find((x) => x.code === s.township);
  const row = circleRows(s.analysis, s.whatIf).find((x) => x.code === s.township);
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
    fill(detail, townshipDetail(s));
  }
  store.subscribe((_s, changed) => {
    if (['analysis', 'whatIf', 'indicators', 'selection', 'township', 'scenarios'].some((k) => changed.has(k as never))) render();
  });
  onLangChange(render);
  render();
}

import { categoryById } from '../../../analysis/facilities/categories.ts';
import type { FacilityProperties, GapProperties } from '../source/api-types.ts';
import { el } from './element.ts';
import { formatCount, formatShare, formatValue } from './format.ts';
import { GAP_REASON_TEXT } from '../../../analysis/circles/circle.ts';
import { pick, t } from './i18n.ts';
import type { TownshipRow } from './township-rows.ts';

function row(label: string, value: string): HTMLElement {
  return el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, value));
}

function cost(value: number | null, unit: GapProperties['cost_unit']): string {
  if (value === null) return '–';
  return unit === 'minutes' ? t('minutes', { n: formatValue(value) }) : t('meters', { n: formatCount(value) });
}

/** A category's name in the current language, or its id when the product does not know it. */
export function categoryName(id: string): string {
  try {
    return pick(categoryById(id));
  } catch {
    return id;
  }
}

/**
 * Why a gap is a gap: its township and reason, who lives there (the circle's group first, all residents beside
 * it), how far the nearest facility is against the reach (mean and worst), and which facility that is.
 *
 * @example popup.setDOMContent(gapPopup(gaps.features[0].properties));
 */
export function gapPopup(p: GapProperties, standard?: string): HTMLElement {
  const group = t(p.group === 'aged60' ? 'groupAged60' : p.group === 'rural' ? 'groupRural' : 'groupAll');
  return el('div', { className: 'popup gap-popup', 'data-testid': 'gap-popup' },
    el('h3', {}, t('gapTitle', { rank: p.rank }), ' · ', p.township || t('outsideTownships')),
    el('p', { className: 'gap-reason' }, pick(GAP_REASON_TEXT[p.reason])),
    el('table', {}, el('tbody', {},
      row(t('uncoveredGroup', { group }), t('people', { n: formatCount(p.uncovered_group) })),
      p.group === 'all' ? null : row(t('groupAll'), t('people', { n: formatCount(p.uncovered_population) })),
      p.group !== 'aged60' && p.uncovered_60plus !== null ? row(t('aged60'), t('people', { n: formatCount(p.uncovered_60plus) })) : null,
      row(t('reach'), cost(p.threshold, p.cost_unit)),
      row(t('nearestFacility'), p.nearest_facility_name ?? p.nearest_facility_id ?? '–'),
      row(t('nearestTime'), p.mean_cost === null ? t('noneWithinSearch') : t('meanMax', { mean: cost(p.mean_cost, p.cost_unit), max: cost(p.max_cost, p.cost_unit) })),
      standard ? row(t('standard'), standard) : null,
      row(t('area'), t('km2', { n: formatValue(p.area_km2) })),
    )));
}

/** A facility's name, category and capacity, with the scenario action on it. */
export function facilityPopup(p: FacilityProperties & { op?: string }, planned: boolean, onRemove: () => void): HTMLElement {
  return el('div', { className: 'popup facility-popup' },
    el('h3', {}, p.name || categoryName(p.category)),
    el('p', { className: 'muted' }, categoryName(p.category), planned ? ` · ${t('legendPlanned')}` : ''),
    typeof p.capacity === 'number' ? el('p', {}, `${t('value')}: ${formatValue(p.capacity)}`) : null,
    el('p', { className: 'muted small' }, t('moveFacility')),
    el('button', { type: 'button', className: 'danger', onclick: onRemove }, planned ? t('undoEdit') : t('removeFacility')));
}

/** A township's numbers (from the table row) in a popup at the click. */
export function townshipPopup(r: TownshipRow): HTMLElement {
  return el('div', { className: 'popup township-popup' },
    el('h3', {}, r.name, ' ', el('span', { className: `verdict ${r.verdict}` }, t(r.verdict))),
    el('table', {}, el('tbody', {},
      r.total !== null ? row(t('residents'), formatCount(r.total)) : null,
      r.share !== null ? row(t('coveredShare'), formatShare(r.share)) : null,
      r.uncovered !== null ? row(t('uncovered'), formatCount(r.uncovered)) : null,
      r.value !== null ? row(t('value'), formatValue(r.value)) : null,
      r.text ? row(t('shortfall'), pick(r.text)) : null,
    )));
}

import { categoryById } from '../../../analysis/facilities/categories.ts';
import type { FacilityProperties, GapProperties } from '../source/api-types.ts';
import { el } from './element.ts';
import { formatCount, formatShare, formatValue } from './format.ts';
import { lang, pick, t } from './i18n.ts';
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

// a county-wide rural gap touches every township: name the five with most uncovered residents
function townshipList(names: string[]): string {
  const shown = names.slice(0, 5).join(lang() === 'zh' ? '、' : ', ');
  return names.length > 5 ? `${shown} ${t('andMore', { n: names.length - 5 })}` : shown;
}

/**
 * Why a gap is a gap: who lives there (all, aged 60+), how far the nearest facility is (mean and worst),
 * which facility that is, and the townships it lies in.
 *
 * @example popup.setDOMContent(gapPopup(gaps.features[0].properties));
 */
export function gapPopup(p: GapProperties, standard?: string): HTMLElement {
  return el('div', { className: 'popup gap-popup', 'data-testid': 'gap-popup' },
    el('h3', {}, t('gapTitle', { rank: p.rank })),
    el('p', { className: 'muted' }, t('gapWhy'), ': ', townshipList(p.townships)),
    el('table', {}, el('tbody', {},
      row(t('uncovered'), t('people', { n: formatCount(p.uncovered_population) })),
      row(t('aged60'), p.uncovered_60plus === null ? '–' : t('people', { n: formatCount(p.uncovered_60plus) })),
      row(t('nearestFacility'), p.nearest_facility_name ?? p.nearest_facility_id ?? '–'),
      row(t('nearestTime'), t('meanMax', { mean: cost(p.mean_cost, p.cost_unit), max: cost(p.max_cost, p.cost_unit) })),
      standard ? row(t('standard'), standard) : null,
      row(t('area'), t('km2', { n: formatValue(p.area_km2) })),
      p.no_route_population > 0 ? row('', t('noRoute', { n: formatCount(p.no_route_population) })) : null,
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

import { analysisCategories } from '../source/analysis-categories.ts';
import { groupOfCategory, type FacilityGroup } from '../source/facility-group.ts';
import type { RegionData } from '../source/region-data.ts';
import { facilityImageId } from '../style/category-symbols.ts';
import { BUILDABLE, COVERAGE_STOPS, GAP, INDICATOR_STOPS, ISOCHRONE_COLORS, POPULATION_STOPS } from '../style/palette.ts';
import type { AppState } from './app-state.ts';
import { formatShare, formatValue } from './format.ts';
import { pick, t } from './i18n.ts';

/** What the legend shows; drawn as HTML (legend.ts) and onto the exported PNG (map-png.ts). */
export type LegendItem =
  | { kind: 'ramp'; title: string; stops: Array<[number, string]>; ticks: Array<[number, string]> }
  | { kind: 'symbol'; image: string; label: string }
  | { kind: 'swatch'; fill: string; line: string; hatch: boolean; label: string };

const GROUP_NAMES: Record<FacilityGroup, { zh: string; en: string }> = {
  health: { zh: '医疗卫生', en: 'health' },
  elderly: { zh: '养老服务', en: 'elderly care' },
  education: { zh: '教育', en: 'education' },
  childcare: { zh: '托育', en: 'childcare' },
  culture: { zh: '文化', en: 'culture' },
  sport: { zh: '体育', en: 'sport' },
  community: { zh: '社区服务', en: 'community service' },
  emergency: { zh: '应急救援', en: 'emergency' },
};

/**
 * The legend for what is on the map now: gaps, township shading, facility symbols of the shown categories,
 * planned and suggested sites, population grid and isochrone bands when switched on.
 *
 * @example legendItems(store.get(), data).map((i) => i.kind)
 */
export function legendItems(s: AppState, data: RegionData): LegendItem[] {
  const items: LegendItem[] = [];
  if (s.toggles.gaps && s.gaps && s.selection.kind === 'circle') items.push({ kind: 'swatch', fill: GAP.fill, line: GAP.line, hatch: true, label: t('legendGap') });
  if (s.toggles.choropleth) {
    if (s.selection.kind === 'circle' && s.analysis) {
      const target = s.analysis.summary.coverageTarget;
      items.push({ kind: 'ramp', title: t('legendCoverage'), stops: COVERAGE_STOPS, ticks: [[0, '0'], [0.5, '50%'], [target, formatShare(target)], [1, '100%']] });
    } else if (s.selection.kind === 'indicator') {
      // the shading is value / target; the ticks say it in the indicator's own unit, the target marked
      const r = s.indicators?.find((i) => i.id === s.selection.id);
      if (r) {
        const unit = r.unit ? ` ${pick(r.unit)}` : '';
        const v = (x: number) => formatValue(x * r.target);
        items.push({
          kind: 'ramp', title: `${pick(r)}${unit ? ` (${pick(r.unit!)})` : ''}`, stops: INDICATOR_STOPS,
          ticks: [[0, '0'], [0.5, v(0.5)], [1, `${t('targetMark')} ${v(1)}${unit}`], [1.5, `≥${v(1.5)}`]],
        });
      }
    }
  }
  if (s.toggles.facilities) {
    const categories = (s.allFacilities ? null : analysisCategories(s.selection, data.presets))
      ?? [...new Set(data.facilities.features.map((f) => f.properties.category))];
    const groups = [...new Set(categories.map(groupOfCategory))];
    for (const g of groups) items.push({ kind: 'symbol', image: facilityImageId(g), label: pick(GROUP_NAMES[g]) });
  }
  if (s.edits.some((e) => e.op !== 'remove')) {
    const g = groupOfCategory(s.edits.find((e) => e.op === 'add')?.category ?? 'elderly_station');
    items.push({ kind: 'symbol', image: facilityImageId(g, true), label: t('legendPlanned') });
  }
  if (s.suggestions.length > 0) items.push({ kind: 'symbol', image: 'suggested-site', label: t('legendSuggested') });
  if (s.toggles.buildable && s.buildableCount > 0) items.push({ kind: 'swatch', fill: BUILDABLE.fill, line: BUILDABLE.line, hatch: false, label: t('legendBuildable') });
  if (s.population) {
    items.push({ kind: 'ramp', title: `${t('legendPopulation')} · ${t(s.population === 'aged60' ? 'layerPopulationAged60' : 'layerPopulationAll')}`, stops: POPULATION_STOPS, ticks: POPULATION_STOPS.map(([v]) => [v, String(v)]) });
  }
  if (s.toggles.isochrones && s.overlays) {
    const bands = [...s.overlays.isochrones.features].sort((a, b) => a.properties.band - b.properties.band);
    for (const f of bands) {
      const p = f.properties;
      const label = p.minutes_to !== undefined ? t('minutes', { n: formatValue(p.minutes_to) }) : t('meters', { n: formatValue(p.meters_to ?? 0) });
      const color = ISOCHRONE_COLORS[Math.min(p.band, ISOCHRONE_COLORS.length - 1)];
      items.push({ kind: 'swatch', fill: color, line: color, hatch: false, label: `≤ ${label}` });
    }
  }
  return items;
}

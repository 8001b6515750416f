import type { PopulationMeasure } from '../render/population-layer.ts';
import type { ToggleId } from '../style/overlay-layers.ts';
import type { Store } from './app-state.ts';
import { el } from './element.ts';
import { onLangChange, t, type MessageKey } from './i18n.ts';

const TOGGLES: Array<[ToggleId, MessageKey]> = [
  ['gaps', 'layerGaps'],
  ['choropleth', 'layerChoropleth'],
  ['facilities', 'layerFacilities'],
  ['catchments', 'layerCatchments'],
  ['isochrones', 'layerIsochrones'],
  ['buildable', 'layerBuildable'],
];

/**
 * Layer switches: a checkbox per analysis layer, "all categories" for facilities, and the population grid as
 * a radio group (off, all residents, aged 60+). Native inputs built once (so focus stays put while the
 * keyboard toggles them); state changes only tick them and language changes only relabel them.
 *
 * @example mountLayerToggles(section, store, true, true);
 */
export function mountLayerToggles(host: HTMLElement, store: Store, hasAged60: boolean, hasPopulation: boolean): void {
  const labels: Array<[HTMLElement, () => string]> = [];
  const text = (f: () => string) => {
    const span = el('span');
    labels.push([span, f]);
    return span;
  };
  const checks = new Map<ToggleId, HTMLInputElement>();
  for (const [id, label] of TOGGLES) {
    const input = el('input', { type: 'checkbox', 'data-testid': `toggle-${id}` });
    input.addEventListener('change', () => store.set({ toggles: { ...store.get().toggles, [id]: input.checked } }));
    checks.set(id, input);
    host.append(el('label', { className: 'check' }, input, ' ', text(() => t(label))));
    if (id === 'facilities') {
      const all = el('input', { type: 'checkbox', 'data-testid': 'toggle-all-facilities' });
      all.addEventListener('change', () => store.set({ allFacilities: all.checked }));
      checks.set('all' as ToggleId, all);
      host.append(el('label', { className: 'check indent' }, all, ' ', text(() => t('allCategories'))));
    }
  }
  const radios = new Map<string, HTMLInputElement>();
  if (hasPopulation) {
    const measures: Array<[PopulationMeasure | null, MessageKey | null]> = [[null, null], ['all', 'layerPopulationAll']];
    if (hasAged60) measures.push(['aged60', 'layerPopulationAged60']);
    const set = el('fieldset', { className: 'population' }, el('legend', {}, text(() => t('layerPopulation'))));
    for (const [m, label] of measures) {
      const input = el('input', { type: 'radio', name: 'population', value: m ?? 'none', 'data-testid': `population-${m ?? 'none'}` });
      input.addEventListener('change', () => input.checked && store.set({ population: m }));
      radios.set(m ?? 'none', input);
      set.append(el('label', { className: 'check' }, input, ' ', text(() => t(label ?? 'off'))));
    }
    host.append(set);
  }
  const tick = () => {
    const s = store.get();
    for (const [id, input] of checks) input.checked = id === ('all' as ToggleId) ? s.allFacilities : s.toggles[id];
    // catchments and isochrones come with a run, when the service provides them
    for (const id of ['catchments', 'isochrones'] as const) checks.get(id)!.disabled = s.overlays === null;
    for (const [m, input] of radios) input.checked = (s.population ?? 'none') === m;
  };
  const relabel = () => labels.forEach(([span, f]) => (span.textContent = f()));
  store.subscribe((_s, changed) => {
    if (changed.has('toggles') || changed.has('population') || changed.has('allFacilities') || changed.has('overlays')) tick();
  });
  onLangChange(relabel);
  relabel();
  tick();
}

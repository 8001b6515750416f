import type { RegionData } from '../source/region-data.ts';
import { symbolCanvas, symbolImage } from '../style/category-symbols.ts';
import { rampPosition } from '../style/palette.ts';
import type { Store } from './app-state.ts';
import { el, fill } from './element.ts';
import { onLangChange, t } from './i18n.ts';
import { legendItems, type LegendItem } from './legend-items.ts';

function item(i: LegendItem): HTMLElement {
  if (i.kind === 'ramp') {
    const gradient = i.stops.map(([, c], k) => `${c} ${(k / (i.stops.length - 1)) * 100}%`).join(', ');
    return el('div', { className: 'legend-ramp' },
      el('div', { className: 'legend-title' }, i.title),
      el('div', { className: 'ramp', style: `background: linear-gradient(to right, ${gradient})` }),
      el('div', { className: 'ticks' }, ...i.ticks.map(([v, label]) => el('span', { style: `left: ${rampPosition(i.stops, v) * 100}%` }, label))));
  }
  if (i.kind === 'symbol') {
    const image = symbolImage(i.image);
    return el('div', { className: 'legend-row' }, image ? symbolCanvas(image) : null, el('span', {}, i.label));
  }
  const swatch = el('span', { className: `swatch${i.hatch ? ' hatch' : ''}`, style: `background-color: ${i.fill}33; border-color: ${i.line}` });
  if (!i.hatch) swatch.style.backgroundColor = i.fill;
  return el('div', { className: 'legend-row' }, swatch, el('span', {}, i.label));
}

/**
 * The legend over the map's lower-left corner, for the layers now shown; it folds away with its button.
 *
 * @example mountLegend(mapContainer, store, data);
 */
export function mountLegend(host: HTMLElement, store: Store, data: RegionData): void {
  const body = el('div', { className: 'legend-body', id: 'legend-body' });
  const toggle = el('button', { type: 'button', className: 'legend-toggle', 'aria-expanded': 'true', 'aria-controls': 'legend-body' });
  const box = el('section', { className: 'legend', 'data-testid': 'legend' }, toggle, body);
  host.append(box);
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    body.hidden = !open;
  });
  function render(): void {
    toggle.textContent = t('legend');
    fill(body, ...legendItems(store.get(), data).map(item));
  }
  store.subscribe((_s, changed) => {
    if (['toggles', 'gaps', 'analysis', 'selection', 'edits', 'suggestions', 'population', 'overlays', 'allFacilities', 'buildableCount'].some((k) => changed.has(k as never))) render();
  });
  onLangChange(render);
  render();
}

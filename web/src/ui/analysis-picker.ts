import type { PresetInfo } from '../source/api-types.ts';
import type { Selection, Store } from './app-state.ts';
import { el, fill } from './element.ts';
import { onLangChange, pick, t } from './i18n.ts';

/**
 * The choice of a circle (preset) or an indicator, the run button and the status line with progress.
 * Choosing runs at once; the button runs the same choice again (after data changed on the server).
 *
 * @example mountAnalysisPicker(section, store, presets, (sel) => controller.run(sel));
 */
export function mountAnalysisPicker(host: HTMLElement, store: Store, presets: PresetInfo[], onRun: (s: Selection) => void): void {
  const select = el('select', { id: 'analysis-select', 'data-testid': 'analysis-select' });
  const label = el('label', { for: 'analysis-select' });
  const button = el('button', { type: 'button', className: 'primary', 'data-testid': 'run' });
  const status = el('p', { className: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': 'status' });
  const progress = el('progress', { max: 1, className: 'progress', hidden: true });
  host.append(label, el('div', { className: 'row' }, select, button), progress, status);

  const current = (): Selection => {
    const [kind, id] = select.value.split(':', 2) as ['circle' | 'indicator', string];
    return { kind, id };
  };
  select.addEventListener('change', () => onRun(current()));
  button.addEventListener('click', () => onRun(current()));

  function renderOptions(): void {
    const s = store.get();
    const circles = el('optgroup', { label: t('circle') }, ...presets.map((p) => el('option', { value: `circle:${p.id}` }, pick(p))));
    const indicators = s.indicators && s.indicators.length > 0
      ? el('optgroup', { label: t('indicator') }, ...s.indicators.map((i) => el('option', { value: `indicator:${i.id}` }, pick(i))))
      : null;
    fill(select, circles, indicators);
    select.value = `${s.selection.kind}:${s.selection.id}`;
  }

  function renderStatus(): void {
    const s = store.get();
    const busy = s.status.kind === 'busy';
    button.disabled = busy;
    button.textContent = busy ? t('running') : t('run');
    status.textContent = s.status.kind === 'error' ? `${t('errorPrefix')}${s.status.text}` : s.status.text;
    status.className = `status ${s.status.kind}`;
    progress.hidden = !busy;
    if (busy && typeof s.status.progress === 'number') progress.value = s.status.progress;
    else progress.removeAttribute('value');
  }

  function render(): void {
    label.textContent = t('chooseAnalysis');
    renderOptions();
    renderStatus();
  }
  store.subscribe((_s, changed) => {
    if (changed.has('indicators') || changed.has('selection')) renderOptions();
    if (changed.has('status') || changed.has('selection')) renderStatus();
  });
  onLangChange(render);
  render();
}

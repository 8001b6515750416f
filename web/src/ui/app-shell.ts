import { el } from './element.ts';
import { lang, onLangChange, setLang, t, type MessageKey } from './i18n.ts';

export interface Shell {
  map: HTMLElement;
  status: HTMLElement;
  sections: Record<'analysis' | 'county' | 'townships' | 'whatIf' | 'imports' | 'layers' | 'exports', HTMLElement>;
  settingsButton: HTMLButtonElement;
}

const SECTIONS: Array<[keyof Shell['sections'], MessageKey, boolean]> = [
  ['analysis', 'analysis', true],
  ['county', 'county', true],
  ['townships', 'townships', true],
  ['whatIf', 'whatIf', true],
  ['imports', 'imports', false],
  ['layers', 'layers', false],
  ['exports', 'exports', false],
];

/**
 * The page: a header (title, language switch, settings), the map, and the panel of foldable sections
 * (native <details>, so Enter and Space open and close them). A skip link jumps from the map to the panel.
 *
 * @example const shell = mountShell(document.getElementById('app')!, '岳池县');
 */
export function mountShell(root: HTMLElement, regionName: string): Shell {
  const title = el('h1');
  const langButton = el('button', { type: 'button', className: 'lang', 'data-testid': 'lang' });
  const settingsButton = el('button', { type: 'button', 'data-testid': 'settings' });
  const skip = el('a', { href: '#panel', className: 'skip' });
  const notice = el('p', { className: 'notice', hidden: true });
  const map = el('div', { id: 'map', className: 'map', role: 'region' });
  const status = el('div', { className: 'map-status', role: 'status', 'aria-live': 'polite' });
  const sections = {} as Shell['sections'];
  const summaries: Array<[HTMLElement, MessageKey]> = [];
  const panel = el('aside', { id: 'panel', className: 'panel', tabindex: -1 });
  for (const [id, label, open] of SECTIONS) {
    const summary = el('summary');
    const body = el('div', { className: 'section-body' });
    summaries.push([summary, label]);
    sections[id] = body;
    panel.append(el('details', { open, className: `section section-${id}`, 'data-section': id }, summary, body));
  }
  root.replaceChildren(
    skip,
    el('header', { className: 'top' }, title, el('span', { className: 'spacer' }), notice, langButton, settingsButton),
    el('main', { className: 'layout' }, el('div', { className: 'map-wrap' }, map, status), panel),
  );
  langButton.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
  const render = () => {
    title.textContent = `${t('appTitle')} · ${regionName}`;
    document.title = `${regionName} · ${t('appTitle')}`;
    langButton.textContent = t('switchLang');
    langButton.setAttribute('aria-label', `${t('language')}: ${t('switchLang')}`);
    settingsButton.textContent = t('settings');
    skip.textContent = t('skipToPanel');
    map.setAttribute('aria-label', regionName);
    for (const [s, key] of summaries) s.textContent = t(key);
  };
  onLangChange(render);
  render();
  return { map, status, sections, settingsButton };
}

/** Shows the "generated demo data" notice in the header when the region says so. */
export function showDataNotice(root: HTMLElement, synthetic: boolean): void {
  const notice = root.querySelector<HTMLElement>('.notice');
  if (!notice) return;
  notice.hidden = !synthetic;
  const render = () => (notice.textContent = t('generatedData'));
  onLangChange(render);
  render();
}

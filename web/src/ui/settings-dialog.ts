import { checkTileSetting, NO_TILES, type TileSetting } from '../style/tile-source.ts';
import type { Store } from './app-state.ts';
import { el } from './element.ts';
import { onLangChange, t } from './i18n.ts';

const TILE_KEY = 'lifecircle.tiles';
const TOKEN_KEY = 'lifecircle.token';

/** The saved online-basemap setting; none unless the planner chose one on this machine. */
export function savedTiles(): TileSetting {
  try {
    const raw = localStorage.getItem(TILE_KEY);
    const parsed = raw ? (JSON.parse(raw) as TileSetting) : NO_TILES;
    return checkTileSetting(parsed) === null && ['none', 'tianditu', 'xyz'].includes(parsed.kind) ? parsed : NO_TILES;
  } catch {
    return NO_TILES;
  }
}

/**
 * The write token: taken from the page address (`#token=…`, as the service prints its URL) into local
 * storage and removed from the address bar, so it is not left in history or screenshots.
 */
export function takeToken(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    localStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return localStorage.getItem(TOKEN_KEY);
}

export function currentToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

/**
 * The settings dialog (native <dialog>, so focus and Esc behave): the optional online basemap (Tianditu with
 * a key, or any XYZ URL with its attribution) and the write token.
 *
 * @example const open = mountSettingsDialog(document.body, store); settingsButton.onclick = open;
 */
export function mountSettingsDialog(host: HTMLElement, store: Store): () => void {
  const dialog = el('dialog', { className: 'settings', 'aria-labelledby': 'settings-title' });
  const title = el('h2', { id: 'settings-title' });
  const kind = (value: TileSetting['kind']) => el('input', { type: 'radio', name: 'tile-kind', value });
  const none = kind('none'), tdt = kind('tianditu'), xyz = kind('xyz');
  const key = el('input', { type: 'text', id: 'tdt-key', autocomplete: 'off', spellcheck: 'false' });
  const url = el('input', { type: 'url', id: 'xyz-url', placeholder: 'https://…/{z}/{x}/{y}.png' });
  const attribution = el('input', { type: 'text', id: 'xyz-attr' });
  const token = el('input', { type: 'password', id: 'token', autocomplete: 'off' });
  const warning = el('p', { className: 'muted small' });
  const error = el('p', { className: 'status error', role: 'alert' });
  const save = el('button', { type: 'button', className: 'primary' });
  const close = el('button', { type: 'button' });
  const labels: Array<[HTMLElement, () => string]> = [];
  const label = (f: () => string, forId?: string) => {
    const l = el('label', forId ? { for: forId } : {});
    labels.push([l, f]);
    return l;
  };
  const legend = el('legend');
  dialog.append(title,
    el('fieldset', {}, legend,
      el('label', { className: 'check' }, none, ' ', label(() => t('tileNone'))),
      el('label', { className: 'check' }, tdt, ' ', label(() => t('tileTianditu'))),
      label(() => t('tiandituKey'), 'tdt-key'), key,
      el('label', { className: 'check' }, xyz, ' ', label(() => t('tileXyz'))),
      label(() => t('xyzUrl', { z: '{z}', x: '{x}', y: '{y}' }), 'xyz-url'), url,
      label(() => t('attribution'), 'xyz-attr'), attribution, warning),
    label(() => t('token'), 'token'), token, el('p', { className: 'muted small' }, label(() => t('tokenHint'))),
    error, el('div', { className: 'row end' }, close, save));
  host.append(dialog);

  const fillForm = () => {
    const s = store.get().tiles;
    none.checked = s.kind === 'none';
    tdt.checked = s.kind === 'tianditu';
    xyz.checked = s.kind === 'xyz';
    key.value = s.kind === 'tianditu' ? s.key : '';
    url.value = s.kind === 'xyz' ? s.url : '';
    attribution.value = s.kind === 'xyz' ? s.attribution : '';
    token.value = currentToken() ?? '';
    error.textContent = '';
  };
  save.addEventListener('click', () => {
    const setting: TileSetting = tdt.checked ? { kind: 'tianditu', key: key.value.trim() }
      : xyz.checked ? { kind: 'xyz', url: url.value.trim(), attribution: attribution.value.trim() } : NO_TILES;
    const problem = checkTileSetting(setting);
    if (problem) return void (error.textContent = problem);
    localStorage.setItem(TILE_KEY, JSON.stringify(setting));
    if (token.value.trim()) localStorage.setItem(TOKEN_KEY, token.value.trim());
    else localStorage.removeItem(TOKEN_KEY);
    store.set({ tiles: setting });
    dialog.close();
  });
  close.addEventListener('click', () => dialog.close());
  const relabel = () => {
    title.textContent = t('settings');
    legend.textContent = t('tileSource');
    warning.textContent = t('tileWarning');
    save.textContent = t('save');
    close.textContent = t('close');
    for (const [l, f] of labels) l.textContent = f();
  };
  onLangChange(relabel);
  relabel();
  return () => {
    fillForm();
    dialog.showModal();
  };
}

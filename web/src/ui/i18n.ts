import { en, zh, type MessageKey } from './messages.ts';

export type { MessageKey };

/** The interface speaks Chinese by default; English is one switch away. */
export type Lang = 'zh' | 'en';

const messages: Record<Lang, Record<MessageKey, string>> = { zh, en };
let current: Lang = 'zh';
const listeners = new Set<(lang: Lang) => void>();

export function lang(): Lang {
  return current;
}

/** Switches the language and tells every listener (panels re-render their text). */
export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const l of listeners) l(next);
}

export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The message in the current language with `{name}` placeholders filled.
 *
 * @example t('gapCount', { n: 3, pop: '1,200' }) // '3 处缺口，未覆盖 1,200 人'
 */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = messages[current][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Picks the zh or en member of a bilingual object from the API. */
export function pick(o: { zh: string; en: string } | null | undefined): string {
  return o ? (current === 'zh' ? o.zh : o.en) : '';
}

/** The keys of both dictionaries, for the completeness test. */
export function messageKeys(): { zh: string[]; en: string[] } {
  return { zh: Object.keys(zh), en: Object.keys(en) };
}

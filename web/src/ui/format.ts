import { lang } from './i18n.ts';

function locale(): string {
  return lang() === 'zh' ? 'zh-CN' : 'en-GB';
}

/** Residents and other counts: whole numbers with grouping. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(Math.round(n));
}

/** A share 0..1 as a percentage with one decimal. */
export function formatShare(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return new Intl.NumberFormat(locale(), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v);
}

/** A signed change: '+1,234' / '−56' / '0'. */
export function formatChange(n: number): string {
  const abs = formatCount(Math.abs(n));
  return n > 0.5 ? `+${abs}` : n < -0.5 ? `−${abs}` : '0';
}

/** A value with up to two decimals (indicator values). */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(v);
}

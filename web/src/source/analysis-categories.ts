import { defaultIndicators } from '../../../analysis/standards/indicators.ts';
import type { PresetInfo } from './api-types.ts';

// the default rule book's indicators, read once: their facility categories do not come with the report
let indicatorCategories: Map<string, string[]> | null = null;

/**
 * The facility categories an analysis is about: a circle's service groups, or what an indicator counts (from
 * the default rule book; an indicator it does not know gives null, i.e. every category).
 *
 * @example analysisCategories({ kind: 'indicator', id: 'childcare-slots' }, presets) // ['childcare']
 */
export function analysisCategories(selection: { kind: 'circle' | 'indicator'; id: string }, presets: PresetInfo[]): string[] | null {
  if (selection.kind === 'circle') {
    const p = presets.find((x) => x.id === selection.id);
    return p ? [...new Set(p.services.flatMap((g) => g.categories))] : null;
  }
  indicatorCategories ??= new Map(defaultIndicators().map((i) => {
    const select = i.kind === 'ratio' ? i.numerator : i.kind === 'total' ? i.count : i.kind === 'presence' ? i.facilities : i.supply;
    return [i.id, select.categories];
  }));
  return indicatorCategories.get(selection.id) ?? null;
}

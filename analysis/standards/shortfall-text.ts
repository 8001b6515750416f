import type { NeedNoun } from './indicators.ts';
import type { PopulationGroup } from './presets.ts';

/** Chinese and English side by side. */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * A head count as planners write it: rounded, thousands grouped with commas (no locale lookup, so server and
 * browser print the same).
 *
 * @example formatCount(3411.6) // "3,412"
 */
export function formatCount(n: number): string {
  const r = Math.round(n);
  const s = String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return r < 0 ? `-${s}` : s;
}

/**
 * A ratio with a sensible number of decimals: two below 10, one below 100, none above.
 *
 * @example formatValue(2.4) // "2.40"
 */
export function formatValue(v: number): string {
  const a = Math.abs(v);
  if (a >= 100) return formatCount(v);
  return v.toFixed(a >= 10 ? 1 : 2);
}

/**
 * A share 0..1 as a percentage with one decimal.
 *
 * @example formatShare(0.8642) // "86.4 %"
 */
export function formatShare(v: number): string {
  return `${(v * 100).toFixed(1)} %`;
}

/**
 * Who a circle counts, in both languages.
 *
 * @example groupNoun('aged60').en // "residents aged 60+"
 */
export function groupNoun(group: PopulationGroup): Bilingual {
  if (group === 'aged60') return { zh: '60岁及以上居民', en: 'residents aged 60+' };
  if (group === 'rural') return { zh: '农村居民', en: 'rural residents' };
  return { zh: '居民', en: 'residents' };
}

/**
 * The shortfall of a coverage circle: residents of the group beyond the reach, and how many more must be
 * covered to reach the target share.
 *
 * @example circleShortfall('aged60', 3412, 2100, 0.9, { zh: '老年人步行15分钟', en: '15 min walk at elderly pace' })
 * // en: "3,412 residents aged 60+ beyond 15 min walk at elderly pace; 2,100 more must be covered to reach 90 %"
 */
export function circleShortfall(group: PopulationGroup, uncovered: number, toTarget: number, target: number, reach: Bilingual): Bilingual {
  const who = groupNoun(group);
  if (Math.round(uncovered) <= 0) return { zh: `${who.zh}均在${reach.zh}范围内`, en: `all ${who.en} within ${reach.en}` };
  const pct = +(target * 100).toFixed(1);
  const head = { zh: `${reach.zh}范围外${who.zh}${formatCount(uncovered)}人`, en: `${formatCount(uncovered)} ${who.en} beyond ${reach.en}` };
  if (toTarget <= 0) return { zh: `${head.zh}（在${pct}%目标允许范围内）`, en: `${head.en} (within the ${pct} % target)` };
  return { zh: `${head.zh}；需再覆盖${formatCount(toTarget)}人方达${pct}%`, en: `${head.en}; ${formatCount(toTarget)} more must be covered to reach ${pct} %` };
}

/**
 * "120 more childcare slots needed" / "需增加托位120个"; "target met" / "已达标" when nothing is missing.
 *
 * @example needMore(120, { zh: '托位', en: 'childcare slots', zhUnit: '个' }).en // "120 more childcare slots needed"
 */
export function needMore(count: number, need: NeedNoun): Bilingual {
  if (count <= 0) return { zh: '已达标', en: 'target met' };
  return { zh: `需增加${need.zh}${formatCount(count)}${need.zhUnit}`, en: `${formatCount(count)} more ${need.en} needed` };
}

/**
 * Townships lacking something, named: "2 townships with no public kindergarten: 镇A, 乡B".
 *
 * @example lacking(['镇A'], 1, 1, { zh: '公办幼儿园', en: 'public kindergarten', zhUnit: '所' }, false)
 */
export function lacking(names: string[], count: number, more: number, need: NeedNoun, streets: boolean): Bilingual {
  const list = names.slice(0, 12).join('、') + (names.length > 12 ? ` 等${names.length}个` : '');
  const placeZh = streets ? '街道' : '乡镇（街道）';
  const placeEn = streets ? (count === 1 ? 'street' : 'streets') : count === 1 ? 'township' : 'townships';
  const head = { zh: `${count}个${placeZh}缺${need.zh}：${list}`, en: `${count} ${placeEn} with no ${need.en}: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}` };
  if (more <= 0) return { zh: `${head.zh}（仍达标）`, en: `${head.en} (target still met)` };
  return { zh: `${head.zh}；需在${more}个${streets ? '街道' : '乡镇（街道）'}增设`, en: `${head.en}; ${more} more ${streets ? 'street' : 'township'}${more === 1 ? ' needs' : 's need'} one` };
}

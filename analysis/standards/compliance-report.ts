import type { PopulationCount } from '../coverage/coverage-summary.ts';
import type { FacilitySet } from '../facilities/facility-set.ts';
import type { AdminUnits } from '../grid/assign-units.ts';
import { URBAN, type PopulationGrid } from '../grid/population-grid.ts';
import { RURAL } from '../grid/population-grid.ts';
import { defaultSpeedTable, walkCostPerMeter, type Mode, type SpeedTable } from '../network/speed-table.ts';
import { circleOfPreset } from '../circles/circle.ts';
import type { NetworkPreparer } from '../circles/network-preparer.ts';
import { groupOf, runCircle, type CircleResult, type GroupCosts } from '../circles/run-circle.ts';
import { facilityUnits } from './facility-units.ts';
import {
  facilityMatches, facilityNumber, judgeRatio, judgeTotal, sumByUnit,
  type CapacityIndicator, type FacilitySelect, type Indicator, type IndicatorValue, type PresenceIndicator,
  type RatioIndicator, type TotalIndicator, type Verdict,
} from './indicators.ts';
import { describeReach, reachThreshold, urbanRuralRule, type CirclePreset, type Reach, type Standards } from './presets.ts';
import {
  circleShortfall, formatCount, formatShare, formatValue, groupNoun, lacking, needMore, type Bilingual,
} from './shortfall-text.ts';
import { supplyCostsFromStraightLine, supplyCostsOnNetwork, twoStepFloatingCatchment } from './two-step-floating-catchment.ts';
import { unitIsUrban, urbanRuleText, type UrbanRuleName } from './urban-rural.ts';

export interface ComplianceInput {
  /** units assigned (`assignUnits`) and cells classed urban/rural */
  grid: PopulationGrid;
  /** the same units as on the grid; properties `type` (街道/镇/乡) and `households` are read when present */
  units: AdminUnits;
  facilities: FacilitySet;
  /** graphs with the grid's cells snapped; needed for every reach but straight */
  network?: NetworkPreparer | null;
  /** speeds for straight-line times; default the network's */
  speeds?: SpeedTable;
  /** how the cells were classed, for the report */
  urbanRule: UrbanRuleName;
  /** inputs are generated, not surveyed: the report says so on every page */
  synthetic?: boolean;
  /** input files, recorded in the report */
  sources?: Record<string, string | null>;
  /** ISO time stamp; default now */
  generatedAt?: string;
  onProgress?: (step: string, fraction?: number) => void;
}

export interface ComplianceOptions {
  /** ids of circles and indicators to judge; default every one */
  only?: string[];
}

export type ItemKind = 'circle' | Indicator['kind'];

/** A township, or the county (index -1). */
export interface ReportArea {
  index: number;
  code: string;
  name: string;
  kind: 'county' | 'township';
  /** 街道, 镇, 乡 where known */
  type: string | null;
  street: boolean;
  population: number;
  aged60: number | null;
  households: number | null;
  /** share of residents in urban cells */
  urbanShare: number | null;
}

/** A circle or indicator as judged: what it asks, where it comes from and what is assumed. */
export interface ReportItem {
  id: string;
  kind: ItemKind;
  zh: string;
  en: string;
  rule: Bilingual;
  target: Bilingual;
  source: string;
  assumed: Record<string, string>;
  notes: string[];
  configured: string[];
  /** indicators: the unit of values and target (个/千人, 张…) */
  unit?: Bilingual;
  /** circles: coverage per service group over the county */
  services?: Array<{ id: string; zh: string; en: string; categories: string[]; facilities: number; coveredShare: number | null }>;
}

/** One area × one item: value, target, verdict and the shortfall in a planner's units. */
export interface ReportRow {
  areaCode: string;
  areaName: string;
  areaKind: 'county' | 'township';
  itemId: string;
  itemKind: ItemKind;
  itemZh: string;
  itemEn: string;
  /** circles: all residents and aged 60+ among the assessed cells */
  population: PopulationCount | null;
  aged60: PopulationCount | null;
  value: number | null;
  valueText: Bilingual;
  target: number;
  targetText: Bilingual;
  verdict: Verdict;
  /** circles: residents of the group to cover to reach the target; indicators: units of `need` to add */
  shortfall: number | null;
  shortfallText: Bilingual;
}

export interface ComplianceReport {
  title: Bilingual;
  generatedAt: string;
  synthetic: boolean;
  urbanRule: { id: UrbanRuleName } & Bilingual;
  settings: {
    coverageTarget: number; unknownClassAs: 'urban' | 'rural'; assumed: Record<string, string>; configured: string[];
    /** where ratio denominators come from */
    denominators: Bilingual;
  };
  sources: Record<string, string | null>;
  areas: ReportArea[];
  items: ReportItem[];
  rows: ReportRow[];
  warnings: string[];
  counts: Record<Verdict, number>;
}

export const VERDICT_TEXT: Record<Verdict, Bilingual> = {
  pass: { zh: '达标', en: 'pass' },
  fail: { zh: '未达标', en: 'fail' },
  'no-data': { zh: '无法判定', en: 'no data' },
};

const HOUSEHOLD_FIELDS = ['households', '户数'];
const POPULATION_FIELDS = ['population', '常住人口'];
const AGED60_FIELDS = ['population_60plus', 'aged60', '60岁及以上'];

function numberOf(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : NaN;
}

/** A unit's figure from the first of `fields` it carries, or undefined. */
function unitFigure(units: AdminUnits, u: number, fields: string[]): number | undefined {
  const props = units.features[u].properties ?? {};
  return fields.map((f) => numberOf(props[f])).find((x) => !Number.isNaN(x));
}

/** Where the residents that ratio indicators divide by come from. */
export const DENOMINATOR_TEXT: Record<'units' | 'grid', Bilingual> = {
  units: { zh: '比例指标的人口分母取自乡镇图层的常住人口与60岁及以上人口字段', en: 'ratio denominators: residents and residents aged 60+ from the township layer (population, population_60plus)' },
  grid: { zh: '比例指标的人口分母为人口格网在各乡镇内的合计', en: 'ratio denominators: residents summed from the population grid within each township' },
};

/**
 * Areas with the figures indicators divide by: the township layer's own population, 60+ and households when
 * every township carries them (official figures, not cut by cell edges), else sums of the grid's cells.
 */
function areasOf(grid: PopulationGrid, units: AdminUnits): { areas: ReportArea[]; figures: 'units' | 'grid' } {
  const n = units.names.length;
  const pop = new Float64Array(n), old = new Float64Array(n), urbanPop = new Float64Array(n);
  let cPop = 0, cOld = 0, cUrban = 0, outPop = 0, outOld = 0;
  for (let c = 0; c < grid.count; c++) {
    const p = grid.population[c], a = grid.aged60[c], u = grid.unit[c];
    cPop += p; cOld += a;
    if (grid.urbanClass[c] === URBAN) cUrban += p;
    if (u < 0) { outPop += p; outOld += a; continue; }
    pop[u] += p; old[u] += a;
    if (grid.urbanClass[c] === URBAN) urbanPop[u] += p;
  }
  const unitPop = units.names.map((_, u) => unitFigure(units, u, POPULATION_FIELDS));
  const unitOld = units.names.map((_, u) => unitFigure(units, u, AGED60_FIELDS));
  const fromUnits = n > 0 && unitPop.every((x) => x !== undefined);
  const oldFromUnits = fromUnits && unitOld.every((x) => x !== undefined);
  const street = unitIsUrban(units);
  let households = 0, householdsKnown = true;
  const townships: ReportArea[] = units.names.map((name, u) => {
    const props = units.features[u].properties ?? {};
    const h = unitFigure(units, u, HOUSEHOLD_FIELDS);
    if (h === undefined) householdsKnown = false; else households += h;
    const type = typeof props.type === 'string' && props.type.trim() !== '' ? props.type.trim() : null;
    return {
      index: u, code: units.codes[u], name, kind: 'township' as const, type, street: street[u],
      population: fromUnits ? unitPop[u]! : pop[u],
      aged60: oldFromUnits ? unitOld[u]! : grid.hasAged60 ? old[u] : null,
      households: h ?? null,
      urbanShare: pop[u] > 0 ? urbanPop[u] / pop[u] : null,
    };
  });
  // residents outside every township still count for the county
  const county: ReportArea = {
    index: -1, code: '', name: '全县 County', kind: 'county', type: null, street: false,
    population: fromUnits ? unitPop.reduce((a, b) => a + b!, 0)! + outPop : cPop,
    aged60: oldFromUnits ? unitOld.reduce((a, b) => a + b!, 0)! + outOld : grid.hasAged60 ? cOld : null,
    households: householdsKnown && n > 0 ? households : null,
    urbanShare: cPop > 0 ? cUrban / cPop : null,
  };
  return { areas: [county, ...townships.sort((a, b) => a.code.localeCompare(b.code))], figures: fromUnits ? 'units' : 'grid' };
}

/**
 * Judges every selected circle and indicator per township and for the county: coverage of all residents and
 * residents aged 60+, each indicator's value against its target, a verdict and the shortfall in a planner's
 * units, in Chinese and English.
 *
 * @example
 * const report = buildComplianceReport({ grid, units, facilities, network, urbanRule: 'unit-type' }, defaultStandards());
 * report.rows.filter((r) => r.verdict === 'fail');
 */
export function buildComplianceReport(input: ComplianceInput, standards: Standards, options: ComplianceOptions = {}): ComplianceReport {
  const { grid, units, facilities } = input;
  if (grid.unitNames.length !== units.names.length) {
    throw new Error(`compliance report: expected a grid assigned to the ${units.names.length} units given, found ${grid.unitNames.length} units on the grid; call assignUnits first`);
  }
  if (units.names.length === 0) throw new Error('compliance report: expected admin units (townships) to report on, found none');
  const ids = [...standards.circles, ...standards.indicators].map((x) => x.id);
  const only = options.only;
  if (only) {
    for (const id of only) if (!ids.includes(id)) throw new Error(`preset "${id}" does not exist; presets: ${ids.join(', ')}`);
  }
  const chosen = (id: string) => !only || only.includes(id);
  const circles = standards.circles.filter((c) => chosen(c.id));
  const indicators = standards.indicators.filter((i) => chosen(i.id));
  const progress = input.onProgress ?? (() => undefined);
  const warnings: string[] = [];

  const { areas, figures } = areasOf(grid, units);
  const network = input.network ?? null;
  const speeds = input.speeds ?? network?.speeds ?? defaultSpeedTable();
  const byCategory = new Map<string, number>();
  for (const c of facilities.category) byCategory.set(c, (byCategory.get(c) ?? 0) + 1);
  const facilityCount = (c: string) => byCategory.get(c) ?? 0;
  // circles naming the same categories and reach share their searches
  const cache = new Map<string, GroupCosts>();
  const unsnapped = new Set<string>();

  const items: ReportItem[] = [];
  const rows: ReportRow[] = [];
  const missingCategories = new Set<string>();
  for (const preset of circles) {
    progress(`circle ${preset.id}`);
    for (const g of preset.services) for (const c of g.categories) if (facilityCount(c) === 0) missingCategories.add(c);
    const result = runCircle({ grid, facilities, network, speeds, cache, onProgress: progress }, circleOfPreset(preset, standards));
    for (const id of result.unsnappedFacilities) unsnapped.add(id);
    items.push(circleItem(preset, result));
    rows.push(...circleRows(preset, result, areas, grid));
  }
  const unitOf = facilityUnits(facilities, units);
  for (const ind of indicators) {
    progress(`indicator ${ind.id}`);
    const select = ind.kind === 'ratio' ? ind.numerator : ind.kind === 'total' ? ind.count : ind.kind === 'presence' ? ind.facilities : ind.supply;
    for (const c of select.categories) if (facilityCount(c) === 0) missingCategories.add(c);
    items.push(indicatorItem(ind));
    const out = ind.kind === 'ratio' ? ratioRows(ind, facilities, unitOf, areas, warnings)
      : ind.kind === 'total' ? totalRows(ind, facilities, unitOf, areas, warnings)
        : ind.kind === 'presence' ? presenceRows(ind, facilities, unitOf, areas)
          : capacityRows(ind, grid, facilities, areas, network, speeds, warnings);
    rows.push(...out);
  }

  if (missingCategories.size > 0) warnings.push(`no facilities of categor${missingCategories.size === 1 ? 'y' : 'ies'} ${[...missingCategories].join(', ')} in the input: rules naming only these fail / 输入中无此类设施`);
  if (unsnapped.size > 0) warnings.push(`${unsnapped.size} facilit${unsnapped.size === 1 ? 'y' : 'ies'} could not join the road network (farther than the snap limit): ${[...unsnapped].slice(0, 10).join(', ')}${unsnapped.size > 10 ? ', …' : ''} / ${unsnapped.size}个设施距道路过远，未计入`);
  let outside = 0;
  for (let c = 0; c < grid.count; c++) if (grid.unit[c] < 0) outside += grid.population[c];
  if (outside > 0) warnings.push(`${formatCount(outside)} residents lie outside every township: counted for the county only / ${formatCount(outside)}名居民不在任何乡镇范围内，仅计入全县`);
  if (!grid.hasAged60) warnings.push('the population data hold no aged 60+ counts: rules on residents aged 60+ cannot be judged / 人口数据无60岁及以上人数');

  const counts: Record<Verdict, number> = { pass: 0, fail: 0, 'no-data': 0 };
  for (const r of rows) counts[r.verdict]++;
  return {
    title: { zh: '公共服务生活圈达标评估报告', en: 'Public-service circle compliance report' },
    generatedAt: input.generatedAt ?? new Date().toISOString(),
    synthetic: input.synthetic === true,
    urbanRule: { id: input.urbanRule, ...urbanRuleText(input.urbanRule, standards.densityRule) },
    settings: {
      coverageTarget: standards.coverageTarget, unknownClassAs: standards.unknownClassAs, assumed: { ...standards.assumed },
      configured: [...standards.configured], denominators: DENOMINATOR_TEXT[figures],
    },
    sources: input.sources ?? {},
    areas, items, rows, warnings, counts,
  };
}

// ---- circles

function reachText(preset: CirclePreset, sides: { urban: boolean; rural: boolean }): Bilingual {
  const parts: Bilingual[] = [];
  const dual = urbanRuralRule(preset) === 'dual';
  if (preset.urban && sides.urban) {
    const d = describeReach(preset.urban);
    parts.push(dual || !preset.rural ? { zh: `城镇${d.zh}`, en: `${d.en} (urban)` } : d);
  }
  if (preset.rural && sides.rural && !(urbanRuralRule(preset) === 'same' && sides.urban)) {
    const d = describeReach(preset.rural);
    parts.push(dual || !preset.urban ? { zh: `农村${d.zh}`, en: `${d.en} (rural)` } : d);
  }
  return { zh: parts.map((p) => p.zh).join(' / '), en: parts.map((p) => p.en).join(' / ') };
}

function circleItem(preset: CirclePreset, r: CircleResult): ReportItem {
  const servicesText = preset.services.map((s) => s.zh).join('、');
  const require = preset.require === 'every' && preset.services.length > 1
    ? { zh: `${servicesText}均可达`, en: `each of ${preset.services.map((s) => s.en).join(', ')} within reach` }
    : { zh: `${servicesText}可达`, en: `${preset.services.map((s) => s.en).join(' or ')} within reach` };
  const reach = reachText(preset, { urban: true, rural: true });
  const who = groupNoun(preset.population);
  const assumed = 'coverageTarget' in preset.assumed;
  return {
    id: preset.id, kind: 'circle', zh: preset.zh, en: preset.en,
    rule: { zh: `${reach.zh}内${require.zh}（${who.zh}）`, en: `${require.en} in ${reach.en} (${who.en})` },
    target: { zh: `覆盖率≥${+(r.circle.coverageTarget * 100).toFixed(1)}%${assumed ? '（假定）' : ''}`, en: `≥ ${+(r.circle.coverageTarget * 100).toFixed(1)} % covered${assumed ? ' (assumed)' : ''}` },
    source: preset.source, assumed: { ...preset.assumed }, notes: [...preset.notes], configured: [...preset.configured],
    services: r.summary.services.map((s) => ({
      id: s.id, zh: s.zh, en: s.en, categories: [...s.categories], facilities: s.facilities,
      coveredShare: groupOf(s, preset.population)?.coveredShare ?? null,
    })),
  };
}

function circleRows(preset: CirclePreset, r: CircleResult, areas: ReportArea[], grid: PopulationGrid): ReportRow[] {
  // which sides judged cells in each unit, so a township's shortfall names its own threshold
  const sides = new Map<number, { urban: boolean; rural: boolean }>();
  const all = { urban: false, rural: false };
  for (let c = 0; c < grid.count; c++) {
    if (r.side[c] === 0) continue;
    const s = sides.get(grid.unit[c]) ?? { urban: false, rural: false };
    if (r.side[c] === URBAN) { s.urban = true; all.urban = true; }
    if (r.side[c] === RURAL) { s.rural = true; all.rural = true; }
    sides.set(grid.unit[c], s);
  }
  const target = r.circle.coverageTarget;
  const assumed = 'coverageTarget' in preset.assumed;
  const targetText = { zh: `≥${+(target * 100).toFixed(1)}%${assumed ? '（假定）' : ''}`, en: `≥ ${+(target * 100).toFixed(1)} %${assumed ? ' (assumed)' : ''}` };
  const rows: ReportRow[] = [];
  for (const area of areas) {
    const row = area.kind === 'county' ? r.summary : r.summary.byUnit[area.index];
    // a township with nobody this rule judges (a street under a rural-only rule) gets no row
    if (area.kind === 'township' && row.cells === 0) continue;
    const group = preset.population === 'aged60' ? row.aged60 : row.population;
    const base = {
      areaCode: area.code, areaName: area.name, areaKind: area.kind, itemId: preset.id, itemKind: 'circle' as const,
      itemZh: preset.zh, itemEn: preset.en, population: row.population, aged60: row.aged60, target, targetText,
    };
    if (group === null || group.coveredShare === null) {
      const reason = group === null ? { zh: '无60岁及以上人口数据', en: 'no aged 60+ counts in the population data' } : { zh: '无评估人口', en: 'nobody to judge' };
      rows.push({ ...base, value: null, valueText: { zh: '—', en: '—' }, verdict: 'no-data', shortfall: null, shortfallText: reason });
      continue;
    }
    const share = group.coveredShare;
    const pass = share >= target - 1e-12;
    const toTarget = pass ? 0 : Math.max(1, Math.ceil(target * group.total - group.covered - 1e-9));
    const reach = reachText(preset, area.kind === 'county' ? all : sides.get(area.index) ?? all);
    rows.push({
      ...base, value: share,
      valueText: { zh: `覆盖${formatShare(share).replace(' ', '')}`, en: `${formatShare(share)} covered` },
      verdict: pass ? 'pass' : 'fail', shortfall: toTarget,
      shortfallText: circleShortfall(preset.population, group.uncovered, toTarget, target, reach),
    });
  }
  return rows;
}

// ---- indicators

function indicatorItem(ind: Indicator): ReportItem {
  const assumed = Object.keys(ind.assumed).length > 0;
  let rule: Bilingual, target: Bilingual;
  switch (ind.kind) {
    case 'ratio':
    case 'capacity':
      rule = { zh: ind.zh, en: ind.en };
      target = { zh: `≥${ind.target} ${ind.unit.zh}`, en: `≥ ${ind.target} ${ind.unit.en}` };
      if (ind.kind === 'capacity') {
        const d = describeReach(ind.reach);
        rule = { zh: `${ind.zh}：${d.zh}范围内按供需比分配`, en: `${ind.en}: supply shared among demand within ${d.en}` };
      }
      break;
    case 'total':
      rule = { zh: ind.zh, en: ind.en };
      target = { zh: `全县≥${formatCount(ind.target)} ${ind.unit.zh}`, en: `≥ ${formatCount(ind.target)} ${ind.unit.en} in the county` };
      break;
    case 'presence': {
      const where = ind.appliesTo === 'streets' ? { zh: '街道', en: 'street' } : { zh: '乡镇（街道）', en: 'township' };
      rule = { zh: ind.zh, en: ind.en };
      target = ind.countyShare >= 1
        ? { zh: `每个${where.zh}≥${ind.min}`, en: `≥ ${ind.min} in every ${where.en}` }
        : { zh: `≥${+(ind.countyShare * 100).toFixed(1)}%的${where.zh}有`, en: `in ≥ ${+(ind.countyShare * 100).toFixed(1)} % of ${where.en}s` };
      break;
    }
  }
  if (assumed) target = { zh: `${target.zh}（含假定）`, en: `${target.en} (with assumptions)` };
  const unit = ind.kind === 'presence' ? { zh: ind.need.zhUnit, en: ind.need.en } : ind.unit;
  return {
    id: ind.id, kind: ind.kind, zh: ind.zh, en: ind.en, rule, target, unit, source: ind.source,
    assumed: { ...ind.assumed }, notes: [...ind.notes], configured: [...ind.configured],
  };
}

function noData(reason: Bilingual): Pick<ReportRow, 'value' | 'valueText' | 'verdict' | 'shortfall' | 'shortfallText'> {
  return { value: null, valueText: { zh: '—', en: '—' }, verdict: 'no-data', shortfall: null, shortfallText: reason };
}

function rowBase(ind: Indicator, area: ReportArea) {
  return {
    areaCode: area.code, areaName: area.name, areaKind: area.kind, itemId: ind.id, itemKind: ind.kind,
    itemZh: ind.zh, itemEn: ind.en, population: null, aged60: null,
  };
}

/** The first `where` field that no facility of the selection's categories carries (so the filter cannot be judged). */
function unknownWhere(set: FacilitySet, select: FacilitySelect): Bilingual | null {
  for (const { field } of select.where ?? []) {
    let seen = false;
    for (let i = 0; i < set.count && !seen; i++) {
      if (!select.categories.includes(set.category[i])) continue;
      const v = set.properties[i][field];
      seen = v !== undefined && v !== null && v !== '';
    }
    if (!seen) return { zh: `设施无${field}字段`, en: `no facility carries field ${field}` };
  }
  return null;
}

function fieldGap(ind: Indicator, label: string, sum: { selected: number; missing: number }, field: string | null, warnings: string[]): Bilingual | null {
  if (field === null || sum.missing === 0) return null;
  if (sum.missing === sum.selected) return { zh: `所选设施均无${field}字段`, en: `no selected facility carries field ${field}` };
  warnings.push(`${ind.id}: ${sum.missing} of ${sum.selected} ${label} facilities lack field ${field} (counted as 0) / ${sum.missing}个设施缺${field}字段，按0计`);
  return null;
}

function ratioRows(ind: RatioIndicator, set: FacilitySet, unitOf: Int32Array, areas: ReportArea[], warnings: string[]): ReportRow[] {
  const nUnits = areas.length - 1;
  const num = sumByUnit(set, unitOf, nUnits, ind.numerator);
  const d = ind.denominator;
  const den = typeof d === 'string' ? null : sumByUnit(set, unitOf, nUnits, d);
  const gap = fieldGap(ind, 'numerator', num, ind.numerator.field, warnings)
    ?? (den && typeof d !== 'string' ? fieldGap(ind, 'denominator', den, d.field, warnings) : null)
    ?? unknownWhere(set, ind.numerator);
  const rows: ReportRow[] = [];
  const targetText = { zh: `≥${ind.target} ${ind.unit.zh}`, en: `≥ ${ind.target} ${ind.unit.en}` };
  for (const area of areas) {
    if (area.kind === 'township' && ind.scope === 'county') continue;
    const base = { ...rowBase(ind, area), target: ind.target, targetText };
    if (gap) { rows.push({ ...base, ...noData(gap) }); continue; }
    const numerator = area.kind === 'county' ? num.county : num.byUnit[area.index];
    const denominator = den ? (area.kind === 'county' ? den.county : den.byUnit[area.index])
      : d === 'population' ? area.population : d === 'aged60' ? area.aged60 ?? NaN : area.households ?? NaN;
    const v: IndicatorValue = judgeRatio(numerator, denominator, ind.per, ind.target);
    if (v.verdict === 'no-data') {
      const what = typeof d === 'string'
        ? { population: { zh: '常住人口', en: 'residents' }, aged60: { zh: '60岁及以上人口', en: 'residents aged 60+' }, households: { zh: '户数', en: 'households' } }[d]
        : { zh: `所选设施的${d.field ?? '数量'}`, en: `${d.field ?? 'count'} in the selected facilities` };
      rows.push({ ...base, ...noData({ zh: `分母为零或缺失：无${what.zh}`, en: `denominator zero or missing: no ${what.en}` }) });
      continue;
    }
    rows.push({
      ...base, value: v.value, valueText: { zh: `${formatValue(v.value!)} ${ind.unit.zh}`, en: `${formatValue(v.value!)} ${ind.unit.en}` },
      verdict: v.verdict, shortfall: v.shortfall, shortfallText: needMore(v.shortfall ?? 0, ind.need),
    });
  }
  return rows;
}

function totalRows(ind: TotalIndicator, set: FacilitySet, unitOf: Int32Array, areas: ReportArea[], warnings: string[]): ReportRow[] {
  const sum = sumByUnit(set, unitOf, areas.length - 1, ind.count);
  const gap = fieldGap(ind, 'selected', sum, ind.count.field, warnings)
    ?? unknownWhere(set, ind.count);
  const targetText = { zh: `≥${formatCount(ind.target)} ${ind.unit.zh}`, en: `≥ ${formatCount(ind.target)} ${ind.unit.en}` };
  return areas.filter((a) => a.kind === 'county' || ind.scope === 'township').map((area) => {
    const base = { ...rowBase(ind, area), target: ind.target, targetText };
    if (gap) return { ...base, ...noData(gap) };
    const v = judgeTotal(area.kind === 'county' ? sum.county : sum.byUnit[area.index], ind.target);
    return {
      ...base, value: v.value, valueText: { zh: `${formatCount(v.value!)} ${ind.unit.zh}`, en: `${formatCount(v.value!)} ${ind.unit.en}` },
      verdict: v.verdict, shortfall: v.shortfall, shortfallText: needMore(v.shortfall ?? 0, ind.need),
    };
  });
}

function presenceRows(ind: PresenceIndicator, set: FacilitySet, unitOf: Int32Array, areas: ReportArea[]): ReportRow[] {
  const count = new Float64Array(areas.length - 1);
  for (let i = 0; i < set.count; i++) if (unitOf[i] >= 0 && facilityMatches(set, i, ind.facilities)) count[unitOf[i]]++;
  const applicable = areas.filter((a) => a.kind === 'township' && (ind.appliesTo === 'all' || a.street));
  const gap = unknownWhere(set, ind.facilities);
  const streets = ind.appliesTo === 'streets';
  const rows: ReportRow[] = [];
  const townTarget = { zh: `≥${ind.min}${ind.need.zhUnit}`, en: `≥ ${ind.min}` };
  const county = areas[0];
  const lackingNames = applicable.filter((a) => count[a.index] < ind.min).map((a) => a.name);
  const passing = applicable.length - lackingNames.length;
  const countyTarget = ind.countyShare * applicable.length;
  const countyBase = {
    ...rowBase(ind, county), target: ind.countyShare,
    targetText: ind.countyShare >= 1 ? { zh: `全部${streets ? '街道' : '乡镇（街道）'}`, en: `every ${streets ? 'street' : 'township'}` }
      : { zh: `≥${+(ind.countyShare * 100).toFixed(1)}%的${streets ? '街道' : '乡镇'}`, en: `≥ ${+(ind.countyShare * 100).toFixed(1)} % of ${streets ? 'streets' : 'townships'}` },
  };
  if (gap) rows.push({ ...countyBase, ...noData(gap) });
  else if (applicable.length === 0) rows.push({ ...countyBase, ...noData({ zh: streets ? '无街道' : '无乡镇', en: streets ? 'no streets' : 'no townships' }) });
  else {
    const share = passing / applicable.length;
    const pass = passing >= countyTarget - 1e-9;
    const more = pass ? 0 : Math.ceil(countyTarget - passing - 1e-9);
    rows.push({
      ...countyBase, value: share,
      valueText: { zh: `${passing}/${applicable.length}个${streets ? '街道' : '乡镇'}有`, en: `${passing} of ${applicable.length} ${streets ? 'streets' : 'townships'}` },
      verdict: pass ? 'pass' : 'fail', shortfall: more,
      shortfallText: lackingNames.length === 0 ? { zh: '均已设置', en: `every ${streets ? 'street' : 'township'} has one` } : lacking(lackingNames, lackingNames.length, more, ind.need, streets),
    });
  }
  if (ind.scope === 'county') return rows;
  for (const area of applicable) {
    const base = { ...rowBase(ind, area), target: ind.min, targetText: townTarget };
    if (gap) { rows.push({ ...base, ...noData(gap) }); continue; }
    const n = count[area.index];
    const more = Math.max(0, ind.min - n);
    rows.push({
      ...base, value: n, valueText: { zh: `${n}${ind.need.zhUnit}`, en: `${n}` },
      verdict: more === 0 ? 'pass' : 'fail', shortfall: more,
      shortfallText: more === 0 ? { zh: '已设置', en: 'present' } : { zh: `缺${ind.need.zh}，需增设${more}${ind.need.zhUnit}`, en: `no ${ind.need.en}; ${more} needed` },
    });
  }
  return rows;
}

function capacityRows(
  ind: CapacityIndicator, grid: PopulationGrid, set: FacilitySet, areas: ReportArea[], network: NetworkPreparer | null, speeds: SpeedTable, warnings: string[],
): ReportRow[] {
  const targetText = { zh: `≥${ind.target} ${ind.unit.zh}`, en: `≥ ${ind.target} ${ind.unit.en}` };
  const members: number[] = [];
  for (let i = 0; i < set.count; i++) if (facilityMatches(set, i, ind.supply)) members.push(i);
  const supply = new Float64Array(members.length);
  let missing = 0;
  members.forEach((i, k) => {
    const v = facilityNumber(set, i, ind.supply.field!);
    if (Number.isNaN(v)) missing++;
    supply[k] = Number.isNaN(v) ? 0 : v;
  });
  const gap = fieldGap(ind, 'supply', { selected: members.length, missing }, ind.supply.field, warnings)
    ?? (ind.population === 'aged60' && !grid.hasAged60 ? { zh: '无60岁及以上人口数据', en: 'no aged 60+ counts in the population data' } : null);
  const selectedAreas = areas.filter((a) => a.kind === 'county' || ind.scope === 'township');
  if (gap) return selectedAreas.map((area) => ({ ...rowBase(ind, area), target: ind.target, targetText, ...noData(gap) }));
  // facilities with no supply change nothing: route only the others
  const routed = members.map((_, k) => k).filter((k) => supply[k] > 0);
  const lon = Float64Array.from(routed, (k) => set.lon[members[k]]), lat = Float64Array.from(routed, (k) => set.lat[members[k]]);
  const { threshold, costKind } = reachThreshold(ind.reach);
  if (ind.reach.mode !== 'straight' && network === null) throw new Error(`${ind.id}: reach ${ind.reach.mode} needs a road network (--roads), or use mode straight`);
  const prepared = ind.reach.mode === 'straight' ? null : network!.prepared(ind.reach.mode as Mode, costKind);
  // straight-line time is walking time, as a circle run counts it
  const perMeter = walkCostPerMeter(speeds, 'straight', costKind);
  const costs = prepared
    ? supplyCostsOnNetwork(prepared, lon, lat, threshold)
    : supplyCostsFromStraightLine(lon, lat, grid.originLon, grid.originLat, threshold / perMeter, perMeter);
  const demand = ind.population === 'aged60' ? grid.aged60 : grid.population;
  const { access: perResident } = twoStepFloatingCatchment(costs, Float64Array.from(routed, (k) => supply[k]), demand, { decay: ind.decay });
  const n = areas.length - 1;
  const weighted = new Float64Array(n), people = new Float64Array(n), below = new Float64Array(n);
  let cW = 0, cP = 0, cB = 0;
  for (let c = 0; c < grid.count; c++) {
    const d = demand[c], a = perResident[c] * ind.per, u = grid.unit[c];
    const short = a < ind.target - 1e-9 ? d : 0;
    cW += a * d; cP += d; cB += short;
    if (u >= 0) { weighted[u] += a * d; people[u] += d; below[u] += short; }
  }
  return selectedAreas.map((area) => {
    const base = { ...rowBase(ind, area), target: ind.target, targetText };
    const p = area.kind === 'county' ? cP : people[area.index];
    if (!(p > 0)) return { ...base, ...noData({ zh: '无需求人口', en: 'no residents in the group' }) };
    const mean = (area.kind === 'county' ? cW : weighted[area.index]) / p;
    const short = area.kind === 'county' ? cB : below[area.index];
    const pass = mean >= ind.target - 1e-9 * Math.max(1, ind.target);
    const shortCount = Math.round(short);
    return {
      ...base, value: mean, valueText: { zh: `${formatValue(mean)} ${ind.unit.zh}`, en: `${formatValue(mean)} ${ind.unit.en}` },
      verdict: pass ? 'pass' as const : 'fail' as const, shortfall: shortCount,
      shortfallText: shortCount === 0 ? { zh: '全部达到目标', en: 'everyone at or above the target' } : {
        zh: `可达量低于${ind.target} ${ind.unit.zh}的${ind.need.zh}${formatCount(short)}${ind.need.zhUnit}`,
        en: `${formatCount(short)} ${ind.need.en} live where access is below ${ind.target} ${ind.unit.en}`,
      },
    };
  });
}

import { ACCESS_MODES } from '../accessibility/analyze-access.ts';
import { foundValue } from '../errors/found-value.ts';
import { checkDecay } from './two-step-floating-catchment.ts';
import { INDICATOR_KINDS, type FacilitySelect, type FacilitySum, type Indicator, type NeedNoun } from './indicators.ts';
import type { CirclePreset, Reach, ServiceGroup, Standards } from './presets.ts';

type Json = Record<string, unknown>;

const TOP_KEYS = ['$schema', 'comment', 'coverageTarget', 'unknownClassAs', 'densityRule', 'circles', 'indicators', 'remove'];
const CIRCLE_KEYS = ['id', 'zh', 'en', 'services', 'require', 'urban', 'rural', 'population', 'coverageTarget', 'source', 'assumed', 'notes'];
const INDICATOR_BASE_KEYS = ['id', 'kind', 'zh', 'en', 'scope', 'source', 'assumed', 'notes'];
const INDICATOR_KEYS: Record<Indicator['kind'], string[]> = {
  ratio: ['numerator', 'denominator', 'per', 'target', 'unit', 'need'],
  total: ['count', 'target', 'unit', 'need'],
  presence: ['facilities', 'appliesTo', 'min', 'countyShare', 'need'],
  capacity: ['supply', 'population', 'reach', 'decay', 'per', 'target', 'unit', 'need'],
};

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Merges a JSON override (parsed config file) over a rule book and checks the result, so a file can change
 * any threshold, target, category list or source, add circles and indicators, or remove them by id — without
 * code. Unknown keys and bad values are errors naming the file, the path and what was expected. Values
 * changed by the file are listed in `configured` and lose their "assumed" note.
 *
 * @example
 * const s = applyStandardsConfig(defaultStandards(), { circles: { 'elderly-care-15min': { urban: { minutes: 10 } } } }, 'plan.json');
 */
export function applyStandardsConfig(base: Standards, config: unknown, source = 'config'): Standards {
  if (!isObject(config)) throw new Error(`${source}: expected a JSON object like {"circles": {"elderly-care-15min": {"coverageTarget": 0.95}}}, found ${foundValue(config)}`);
  for (const key of Object.keys(config)) {
    if (!TOP_KEYS.includes(key)) throw new Error(`${source}: unknown key "${key}"; expected one of ${TOP_KEYS.filter((k) => k !== '$schema').join(', ')}`);
  }
  const out: Standards = structuredClone(base);
  if (config.coverageTarget !== undefined) {
    out.coverageTarget = share(config.coverageTarget, `${source}: coverageTarget`);
    delete out.assumed.coverageTarget;
    out.configured.push('coverageTarget');
    for (const c of out.circles) {
      if (c.coverageTarget === null) { delete c.assumed.coverageTarget; c.configured.push('coverageTarget (default)'); }
    }
  }
  if (config.unknownClassAs !== undefined) {
    if (config.unknownClassAs !== 'urban' && config.unknownClassAs !== 'rural') {
      throw new Error(`${source}: unknownClassAs: expected "urban" or "rural", found ${foundValue(config.unknownClassAs)}`);
    }
    out.unknownClassAs = config.unknownClassAs;
    delete out.assumed.unknownClassAs;
    out.configured.push('unknownClassAs');
  }
  if (config.densityRule !== undefined) {
    const at = `${source}: densityRule`;
    const d = keys(config.densityRule, at, ['blockMeters', 'minDensity', 'minClusterPopulation', 'diagonal'], []);
    if (d.blockMeters !== undefined) out.densityRule.blockMeters = positive(d.blockMeters, `${at}.blockMeters`);
    if (d.minDensity !== undefined) out.densityRule.minDensity = number(d.minDensity, `${at}.minDensity`);
    if (d.minClusterPopulation !== undefined) out.densityRule.minClusterPopulation = number(d.minClusterPopulation, `${at}.minClusterPopulation`);
    if (d.diagonal !== undefined) {
      if (typeof d.diagonal !== 'boolean') fail(`${at}.diagonal`, 'true or false', d.diagonal);
      out.densityRule.diagonal = d.diagonal;
    }
    out.configured.push(...Object.keys(d).map((k) => `densityRule.${k}`));
  }
  if (config.remove !== undefined) {
    if (!Array.isArray(config.remove) || !config.remove.every((x) => typeof x === 'string')) {
      throw new Error(`${source}: remove: expected an array of circle or indicator ids, found ${foundValue(config.remove)}`);
    }
    for (const id of config.remove as string[]) {
      const before = out.circles.length + out.indicators.length;
      out.circles = out.circles.filter((c) => c.id !== id);
      out.indicators = out.indicators.filter((i) => i.id !== id);
      if (out.circles.length + out.indicators.length === before) {
        throw new Error(`${source}: remove: no circle or indicator has id "${id}"; ids: ${[...base.circles, ...base.indicators].map((x) => x.id).join(', ')}`);
      }
    }
  }
  out.circles = mergeList(out.circles, config.circles, `${source}: circles`, validateCircle) as CirclePreset[];
  out.indicators = mergeList(out.indicators, config.indicators, `${source}: indicators`, validateIndicator) as Indicator[];
  return out;
}

function mergeList<T extends { id: string; assumed: Record<string, string>; configured: string[] }>(
  items: T[], overrides: unknown, where: string, validate: (v: unknown, where: string) => T,
): T[] {
  if (overrides === undefined) return items;
  if (!isObject(overrides)) throw new Error(`${where}: expected an object of id → settings, found ${foundValue(overrides)}`);
  const out = [...items];
  for (const [id, override] of Object.entries(overrides)) {
    const at = `${where}.${id}`;
    if (!isObject(override)) throw new Error(`${at}: expected an object of settings, found ${foundValue(override)}`);
    if (override.id !== undefined && override.id !== id) throw new Error(`${at}: id: expected "${id}" (the key) or no id, found ${foundValue(override.id)}`);
    if ('configured' in override) throw new Error(`${at}: unknown key "configured"; it is filled in by the program`);
    const k = out.findIndex((x) => x.id === id);
    if (k < 0) {
      // a new entry: complete on its own
      const fresh = validate({ assumed: {}, notes: [], ...override, id }, at);
      fresh.configured = ['(added)'];
      out.push(fresh);
      continue;
    }
    const { assumed: oldAssumed, configured, ...rest } = out[k];
    const merged = deepMerge(rest, override) as Json;
    const paths = leafPaths(override).filter((p) => p !== 'assumed' && !p.startsWith('assumed.') && p !== 'notes');
    const assumed: Record<string, string> = 'assumed' in override ? (merged.assumed as Record<string, string>) : { ...oldAssumed };
    if (!('assumed' in override)) {
      for (const key of Object.keys(assumed)) {
        if (paths.some((p) => p === key || key.startsWith(`${p}.`) || p.startsWith(`${key}.`))) delete assumed[key];
      }
    }
    const checked = validate({ ...merged, assumed }, at);
    checked.configured = [...configured, ...paths];
    out[k] = checked;
  }
  return out;
}

/** Objects merge key by key, anything else replaces; a changed `kind` replaces the whole object. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return structuredClone(override);
  if (override.kind !== undefined && override.kind !== base.kind) return structuredClone(override);
  const out: Json = { ...base };
  // a reach holds exactly one of minutes and meters: giving one drops the other
  if ('minutes' in override) delete out.meters;
  if ('meters' in override) delete out.minutes;
  for (const [key, v] of Object.entries(override)) out[key] = key in out ? deepMerge(out[key], v) : structuredClone(v);
  return out;
}

function leafPaths(v: unknown, prefix = ''): string[] {
  if (!isObject(v)) return prefix ? [prefix] : [];
  return Object.entries(v).flatMap(([k, x]) => leafPaths(x, prefix ? `${prefix}.${k}` : k));
}

// ---- validation: every check names the path, what it expected and what it found

function fail(at: string, expected: string, found: unknown): never {
  throw new Error(`${at}: expected ${expected}, found ${foundValue(found)}`);
}

function keys(v: unknown, at: string, allowed: string[], required: string[]): Json {
  if (!isObject(v)) fail(at, `an object with ${required.join(', ')}`, v);
  for (const key of Object.keys(v)) if (!allowed.includes(key)) throw new Error(`${at}: unknown key "${key}"; expected ${allowed.join(', ')}`);
  for (const key of required) if (v[key] === undefined) throw new Error(`${at}: "${key}" is missing`);
  return v;
}

function text(v: unknown, at: string): string {
  if (typeof v !== 'string' || v.trim() === '') fail(at, 'a non-empty string', v);
  return v;
}

function positive(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(at, 'a positive number', v);
  return v;
}

function share(v: unknown, at: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(at, 'a share between 0 and 1 (0.9 = 90 %)', v);
  return v;
}

function oneOf<T extends string>(v: unknown, at: string, options: readonly T[]): T {
  if (!options.includes(v as T)) fail(at, `one of ${options.join(', ')}`, v);
  return v as T;
}

function texts(v: unknown, at: string, nonEmpty = true): string[] {
  if (!Array.isArray(v) || (nonEmpty && v.length === 0) || !v.every((x) => typeof x === 'string' && x !== '')) {
    fail(at, `${nonEmpty ? 'a non-empty ' : 'an '}array of strings`, v);
  }
  return [...v] as string[];
}

function textMap(v: unknown, at: string): Record<string, string> {
  if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) fail(at, 'an object of path → reason', v);
  return { ...(v as Record<string, string>) };
}

function reach(v: unknown, at: string): Reach {
  const r = keys(v, at, ['mode', 'minutes', 'meters'], ['mode']);
  const mode = oneOf(r.mode, `${at}.mode`, ACCESS_MODES);
  if ((r.minutes === undefined) === (r.meters === undefined)) throw new Error(`${at}: give exactly one of "minutes" and "meters", found ${r.minutes === undefined ? 'neither' : 'both'}`);
  return r.minutes !== undefined ? { mode, minutes: positive(r.minutes, `${at}.minutes`) } : { mode, meters: positive(r.meters, `${at}.meters`) };
}

function service(v: unknown, at: string): ServiceGroup {
  const s = keys(v, at, ['id', 'zh', 'en', 'categories'], ['id', 'categories']);
  const id = text(s.id, `${at}.id`);
  return { id, zh: s.zh === undefined ? id : text(s.zh, `${at}.zh`), en: s.en === undefined ? id : text(s.en, `${at}.en`), categories: texts(s.categories, `${at}.categories`) };
}

/**
 * A complete circle preset from JSON, checked field by field.
 *
 * @example validateCircle({ id: 'x', zh: '圈', en: 'circle', services: [...], ... }, 'plan.json: circles.x')
 */
export function validateCircle(v: unknown, at: string): CirclePreset {
  const c = keys(v, at, [...CIRCLE_KEYS, 'configured'], ['id', 'zh', 'en', 'services', 'require', 'urban', 'rural', 'population', 'source']);
  if (!Array.isArray(c.services) || c.services.length === 0) fail(`${at}.services`, 'a non-empty array of {id, zh, en, categories}', c.services);
  const services = c.services.map((s, k) => service(s, `${at}.services[${k}]`));
  const ids = new Set<string>();
  for (const s of services) {
    if (ids.has(s.id)) throw new Error(`${at}.services: id "${s.id}" is used twice`);
    ids.add(s.id);
  }
  const urban = c.urban === null ? null : reach(c.urban, `${at}.urban`);
  const rural = c.rural === null ? null : reach(c.rural, `${at}.rural`);
  if (!urban && !rural) throw new Error(`${at}: urban and rural are both null; at least one class must be assessed`);
  const population = oneOf(c.population, `${at}.population`, ['all', 'aged60', 'rural'] as const);
  if (population === 'rural' && urban) throw new Error(`${at}: population "rural" judges rural residents only, so urban must be null, found ${foundValue(c.urban)}`);
  return {
    id: text(c.id, `${at}.id`), zh: text(c.zh, `${at}.zh`), en: text(c.en, `${at}.en`), services,
    require: oneOf(c.require, `${at}.require`, ['every', 'any'] as const), urban, rural, population,
    coverageTarget: c.coverageTarget === undefined || c.coverageTarget === null ? null : share(c.coverageTarget, `${at}.coverageTarget`),
    source: text(c.source, `${at}.source`),
    assumed: c.assumed === undefined ? {} : textMap(c.assumed, `${at}.assumed`),
    notes: c.notes === undefined ? [] : texts(c.notes, `${at}.notes`, false),
    configured: [],
  };
}

function select(v: unknown, at: string, withField: boolean): FacilitySum {
  const s = keys(v, at, withField ? ['field', 'categories', 'where'] : ['categories', 'where'], withField ? ['field', 'categories'] : ['categories']);
  const out: FacilitySum = { field: null, categories: texts(s.categories, `${at}.categories`) };
  if (withField && s.field !== null) out.field = text(s.field, `${at}.field`);
  if (s.where !== undefined) {
    // one condition or a list, all of which must hold
    const list = Array.isArray(s.where) ? s.where : [s.where];
    out.where = list.map((cond, k) => {
      const wat = Array.isArray(s.where) ? `${at}.where[${k}]` : `${at}.where`;
      const w = keys(cond, wat, ['field', 'in'], ['field', 'in']);
      if (!Array.isArray(w.in) || w.in.length === 0 || !w.in.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) {
        fail(`${wat}.in`, 'a non-empty array of strings, numbers or booleans', w.in);
      }
      return { field: text(w.field, `${wat}.field`), in: [...(w.in as Array<string | number | boolean>)] };
    });
  }
  return out;
}

function bilingual(v: unknown, at: string): { zh: string; en: string } {
  const u = keys(v, at, ['zh', 'en'], ['zh', 'en']);
  return { zh: String(u.zh), en: String(u.en) };
}

function need(v: unknown, at: string): NeedNoun {
  const n = keys(v, at, ['zh', 'en', 'zhUnit'], ['zh', 'en', 'zhUnit']);
  return { zh: text(n.zh, `${at}.zh`), en: text(n.en, `${at}.en`), zhUnit: String(n.zhUnit) };
}

function number(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(at, 'a number >= 0', v);
  return v;
}

/**
 * A complete indicator from JSON, checked field by field for its kind.
 *
 * @example validateIndicator({ id: 'x', kind: 'ratio', ... }, 'plan.json: indicators.x')
 */
export function validateIndicator(v: unknown, at: string): Indicator {
  if (!isObject(v)) fail(at, 'an indicator object', v);
  const kind = oneOf(v.kind, `${at}.kind`, INDICATOR_KINDS);
  const i = keys(v, at, [...INDICATOR_BASE_KEYS, ...INDICATOR_KEYS[kind], 'configured'], ['id', 'kind', 'zh', 'en', 'scope', 'source', ...INDICATOR_KEYS[kind].filter((k) => k !== 'unit')]);
  const base = {
    id: text(i.id, `${at}.id`), zh: text(i.zh, `${at}.zh`), en: text(i.en, `${at}.en`),
    scope: oneOf(i.scope, `${at}.scope`, ['township', 'county'] as const), source: text(i.source, `${at}.source`),
    assumed: i.assumed === undefined ? {} : textMap(i.assumed, `${at}.assumed`),
    notes: i.notes === undefined ? [] : texts(i.notes, `${at}.notes`, false),
    configured: [] as string[],
  };
  const unit = i.unit === undefined ? { zh: '', en: '' } : bilingual(i.unit, `${at}.unit`);
  switch (kind) {
    case 'ratio': {
      const d = i.denominator;
      const denominator = typeof d === 'string' ? oneOf(d, `${at}.denominator`, ['population', 'aged60', 'households'] as const) : select(d, `${at}.denominator`, true);
      return { ...base, kind, numerator: select(i.numerator, `${at}.numerator`, true), denominator, per: positive(i.per, `${at}.per`), target: number(i.target, `${at}.target`), unit, need: need(i.need, `${at}.need`) };
    }
    case 'total':
      return { ...base, kind, count: select(i.count, `${at}.count`, true), target: number(i.target, `${at}.target`), unit, need: need(i.need, `${at}.need`) };
    case 'presence': {
      const s = select(i.facilities, `${at}.facilities`, false);
      const facilities: FacilitySelect = { categories: s.categories, ...(s.where ? { where: s.where } : {}) };
      return {
        ...base, kind, facilities, appliesTo: oneOf(i.appliesTo, `${at}.appliesTo`, ['all', 'streets'] as const),
        min: positive(i.min, `${at}.min`), countyShare: share(i.countyShare, `${at}.countyShare`), need: need(i.need, `${at}.need`),
      };
    }
    case 'capacity': {
      const supply = select(i.supply, `${at}.supply`, true);
      if (supply.field === null) fail(`${at}.supply.field`, 'the capacity field to share out (e.g. "beds")', null);
      return {
        ...base, kind, supply, population: oneOf(i.population, `${at}.population`, ['all', 'aged60'] as const),
        reach: reach(i.reach, `${at}.reach`), decay: checkDecay(i.decay, `${at}.decay`), per: positive(i.per, `${at}.per`),
        target: number(i.target, `${at}.target`), unit, need: need(i.need, `${at}.need`),
      };
    }
  }
}

/**
 * Checks a whole rule book (e.g. the defaults) the way a config file is checked; returns it unchanged.
 *
 * @example validateStandards(defaultStandards())
 */
export function validateStandards(s: Standards, source = 'standards'): Standards {
  const ids = new Set<string>();
  for (const c of s.circles) {
    validateCircle(c, `${source}: circles.${c.id}`);
    if (ids.has(c.id)) throw new Error(`${source}: id "${c.id}" is used twice`);
    ids.add(c.id);
  }
  for (const i of s.indicators) {
    validateIndicator(i, `${source}: indicators.${i.id}`);
    if (ids.has(i.id)) throw new Error(`${source}: id "${i.id}" is used twice`);
    ids.add(i.id);
  }
  share(s.coverageTarget, `${source}: coverageTarget`);
  return s;
}

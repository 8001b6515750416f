import type { AccessMode } from '../accessibility/analyze-access.ts';
import { RURAL, UNKNOWN_CLASS, URBAN, type PopulationGrid } from '../grid/population-grid.ts';
import { reachThreshold, type CirclePreset, type PopulationGroup, type Reach, type Standards } from '../standards/presets.ts';

/** One kind of service of a circle; any of its categories satisfies it. */
export interface CircleService {
  id: string;
  zh: string;
  en: string;
  categories: string[];
}

/**
 * The one question every surface asks (r5's "profile"): which services, how far for urban and for rural
 * cells, whose coverage decides, and the target share. Presets, explicit CLI runs and API requests all
 * become one of these.
 */
export interface Circle {
  /** preset id, or null for an explicit run */
  id: string | null;
  zh: string;
  en: string;
  services: CircleService[];
  /** 'every': covered when each service has a facility within reach; 'any': when one does */
  require: 'every' | 'any';
  /** reach for urban and for rural cells; null = that class is not assessed */
  urban: Reach | null;
  rural: Reach | null;
  /** whose coverage decides: all residents, residents aged 60+, or residents of rural cells */
  population: PopulationGroup;
  /** share of the group that must be covered to pass */
  coverageTarget: number;
  /** the class cells of unknown urban/rural class take */
  unknownClassAs: 'urban' | 'rural';
}

/** Status of a cell in a circle run; every uncovered status is also the reason of its gap. */
export const NOT_ASSESSED = 0;
export const COVERED = 1;
/** a facility was found within the wider search, but beyond the threshold */
export const BEYOND_REACH = 2;
/** no facility within the wider search (or none of the service at all) */
export const NO_FACILITY_WITHIN_SEARCH = 3;
/** the cell is farther than the snap limit from every road of the mode */
export const NO_ROAD_WITHIN_SNAP = 4;
/** the road the cell joins is cut off from the main network, and no facility is reachable on it */
export const ISLAND = 5;

export type GapReason = 'beyond_reach' | 'no_facility_within_search' | 'no_road_within_snap' | 'island';
export const GAP_REASONS: Record<number, GapReason> = {
  [BEYOND_REACH]: 'beyond_reach', [NO_FACILITY_WITHIN_SEARCH]: 'no_facility_within_search',
  [NO_ROAD_WITHIN_SNAP]: 'no_road_within_snap', [ISLAND]: 'island',
};
export const GAP_REASON_TEXT: Record<GapReason, { zh: string; en: string }> = {
  beyond_reach: { zh: '超出服务半径', en: 'beyond reach' },
  no_facility_within_search: { zh: '搜索范围内无设施', en: 'no facility within the search' },
  no_road_within_snap: { zh: '距道路过远', en: 'too far from any road' },
  island: { zh: '道路不连通', en: 'road cut off from the network' },
};

/**
 * A planning preset as a circle, with the rule book's defaults for the target and unknown classes.
 *
 * @example circleOfPreset(defaultStandards().circles[1], defaultStandards()).population // 'aged60'
 */
export function circleOfPreset(preset: CirclePreset, standards: Pick<Standards, 'coverageTarget' | 'unknownClassAs'>): Circle {
  return {
    id: preset.id, zh: preset.zh, en: preset.en,
    services: preset.services.map((s) => ({ id: s.id, zh: s.zh, en: s.en, categories: [...s.categories] })),
    require: preset.require, urban: preset.urban, rural: preset.rural, population: preset.population,
    coverageTarget: preset.coverageTarget ?? standards.coverageTarget, unknownClassAs: standards.unknownClassAs,
  };
}

/**
 * An explicit circle: one reach for every cell, any of the given categories (null: every facility given).
 *
 * @example explicitCircle({ mode: 'walk', minutes: 15 }, ['kindergarten'])
 */
export function explicitCircle(
  reach: Reach, categories: string[] | null,
  options: { population?: PopulationGroup; coverageTarget?: number; unknownClassAs?: 'urban' | 'rural'; label?: { zh: string; en: string } } = {},
): Circle {
  const label = options.label ?? { zh: '自定义', en: 'custom' };
  return {
    id: null, ...label,
    services: [{ id: 'requested', zh: '所选设施', en: 'selected facilities', categories: categories ?? ['*'] }],
    require: 'any', urban: reach, rural: reach, population: options.population ?? 'all',
    coverageTarget: options.coverageTarget ?? 0.9, unknownClassAs: options.unknownClassAs ?? 'rural',
  };
}

/** True when a service group takes facilities of this category ('*' takes every facility). */
export function serviceTakes(service: CircleService, category: string): boolean {
  return service.categories.includes('*') || service.categories.includes(category);
}

/**
 * The service groups a run searches: 'any' circles search the union of their categories once (the nearest of
 * any is the nearest of the union), 'every' circles each service on its own.
 */
export function searchedServices(circle: Circle): CircleService[] {
  if (circle.require === 'every' || circle.services.length === 1) return circle.services;
  const categories = [...new Set(circle.services.flatMap((s) => s.categories))];
  return [{ id: circle.services.map((s) => s.id).join('+'), zh: circle.services.map((s) => s.zh).join('、'), en: circle.services.map((s) => s.en).join(' or '), categories }];
}

/** A reach's search key: runs of one mode and cost kind share one search at the largest cut-off. */
export function searchKey(reach: Reach): string {
  return `${reach.mode}|${reachThreshold(reach).costKind}`;
}

/** Which side judges each cell: URBAN, RURAL or NOT_ASSESSED (0), and the reach of each side. */
export function circleSides(circle: Circle, grid: Pick<PopulationGrid, 'count' | 'urbanClass'>): Uint8Array {
  const side = new Uint8Array(grid.count);
  const unknown = circle.unknownClassAs === 'urban' ? URBAN : RURAL;
  for (let c = 0; c < grid.count; c++) {
    const cls = grid.urbanClass[c] === UNKNOWN_CLASS ? unknown : grid.urbanClass[c];
    const reach = cls === URBAN ? circle.urban : circle.rural;
    // a rural-residents circle judges rural cells only
    if (reach !== null && (circle.population !== 'rural' || cls === RURAL)) side[c] = cls;
  }
  return side;
}

/** Checks a circle's shape; the message names the field. */
export function checkCircle(circle: Circle): void {
  if (circle.urban === null && circle.rural === null) throw new Error(`circle ${circle.id ?? 'explicit'}: expected an urban or a rural reach, found neither`);
  for (const [side, reach] of [['urban', circle.urban], ['rural', circle.rural]] as const) {
    if (reach === null) continue;
    const hasMin = reach.minutes !== undefined, hasM = reach.meters !== undefined;
    const v = hasMin ? reach.minutes! : reach.meters!;
    if (hasMin === hasM || !Number.isFinite(v) || v <= 0) throw new Error(`circle ${circle.id ?? 'explicit'}: ${side} reach: expected a positive number of minutes or meters (one of them), found ${JSON.stringify(reach)}`);
  }
  if (circle.services.length === 0 || circle.services.some((s) => s.categories.length === 0)) throw new Error(`circle ${circle.id ?? 'explicit'}: expected services with at least one category each`);
  if (!(circle.coverageTarget >= 0 && circle.coverageTarget <= 1)) throw new Error(`circle ${circle.id ?? 'explicit'}: coverageTarget must be a share in [0, 1], found ${circle.coverageTarget}`);
}

export type { AccessMode, PopulationGroup, Reach };

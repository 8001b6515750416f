import type { FeatureCollection } from 'geojson';
import type {
  AnalysisView, CapacityOutcome, CircleRunView, TargetOutcome, GapCollection, IndicatorResult, OverlayLayers, ScenarioEdit, ScenarioView, SiteCandidates, SiteCurve, SuggestedSite, WhatIfResult,
} from '../source/api-types.ts';
import type { PopulationMeasure } from '../render/population-layer.ts';
import type { ToggleId } from '../style/overlay-layers.ts';
import type { TileSetting } from '../style/tile-source.ts';

export type Selection = { kind: 'circle'; id: string } | { kind: 'indicator'; id: string };

export interface Status {
  kind: 'idle' | 'busy' | 'error' | 'info';
  text: string;
  /** 0..1 while a run reports progress */
  progress?: number | null;
}

export type SortColumn = 'name' | 'total' | 'share' | 'before' | 'uncovered' | 'gaps' | 'verdict' | 'change' | 'value' | 'shortfall';

/** Everything the panel and the map show; components render from it and never keep their own copy. */
export interface AppState {
  selection: Selection;
  analysis: AnalysisView | null;
  gaps: GapCollection | null;
  overlays: OverlayLayers | null;
  indicators: IndicatorResult[] | null;
  edits: ScenarioEdit[];
  whatIf: WhatIfResult | null;
  /** the scenario's run as filed for its exports, for the edits it was filed with */
  scenarioRun: { edits: string; run: AnalysisView } | null;
  suggestions: SuggestedSite[];
  scenario: Pick<ScenarioView, 'id' | 'name'> | null;
  scenarios: ScenarioView[];
  township: string | null;
  status: Status;
  sort: { column: SortColumn; dir: 1 | -1 };
  toggles: Record<ToggleId, boolean>;
  population: PopulationMeasure | null;
  allFacilities: boolean;
  adding: boolean;
  tiles: TileSetting;
  /** the features of a file being imported, drawn until it is imported or dropped */
  importPreview: FeatureCollection | null;
  /** the last suggestion's coverage curve in the circle's group (k = 0 the baseline) */
  siteCurve: SiteCurve | null;
  /** goal capacity: the group served, short of places and out of reach, today and with the sites listed */
  capacity: CapacityOutcome | null;
  /** goal target: each township's share before and after its fewest sites */
  targets: TargetOutcome | null;
  /** goal coverage within a budget: what the sites cost (万元) and where the unit costs come from */
  budget: { budget: number; spent: number; note: string } | null;
  /** what the suggestions shown were asked with, so the map sheet draws the same sites */
  sitesAsked: { k: number; from: SiteCandidates } | null;
  /** parcels of buildable land the region has; 0 hides the choice of siting on it */
  buildableCount: number;
}

/**
 * The circle run the page shows: the what-if's whole result while edits are on, else the filed run. Totals,
 * table, shading and exports all read this one.
 *
 * @example shownRun(store.get())?.summary.gaps.count
 */
export function shownRun(s: Pick<AppState, 'analysis' | 'whatIf'>): CircleRunView | null {
  return s.whatIf ?? s.analysis;
}

export interface Store {
  get(): AppState;
  set(patch: Partial<AppState>): void;
  /** calls `listener` after every change with the keys that changed */
  subscribe(listener: (state: AppState, changed: Set<keyof AppState>) => void): () => void;
}

/**
 * A plain observable state object: `set` merges a patch and tells subscribers which keys changed.
 *
 * @example const store = createStore(initial); store.subscribe((s, changed) => changed.has('analysis') && draw(s));
 */
export function createStore(initial: AppState): Store {
  let state = initial;
  const listeners = new Set<(state: AppState, changed: Set<keyof AppState>) => void>();
  return {
    get: () => state,
    set(patch) {
      const changed = new Set<keyof AppState>();
      for (const key of Object.keys(patch) as Array<keyof AppState>) if (patch[key] !== state[key]) changed.add(key);
      if (changed.size === 0) return;
      state = { ...state, ...patch };
      for (const l of listeners) l(state, changed);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

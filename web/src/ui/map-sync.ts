import type { Map as MapLibreMap } from 'maplibre-gl';
import { setTileSource } from '../render/map-view.ts';
import {
  filterFacilities, selectTownship, setGaps, setImportPreview, setOverlays, setPopulation, setShading, setSuggested, setToggle, showScenario,
} from '../render/overlay-data.ts';
import { analysisCategories } from '../source/analysis-categories.ts';
import type { Verdict } from '../source/api-types.ts';
import type { RegionData } from '../source/region-data.ts';
import { TOGGLE_LAYERS, type ToggleId } from '../style/overlay-layers.ts';
import { shownRun, type AppState, type Store } from './app-state.ts';
import { circleRows, indicatorRows } from './township-rows.ts';

function shadingValues(s: AppState): { values: Map<string, { value: number | null; verdict: Verdict }>; ramp: 'coverage' | 'indicator' } {
  const values = new Map<string, { value: number | null; verdict: Verdict }>();
  if (s.selection.kind === 'indicator') {
    const r = s.indicators?.find((i) => i.id === s.selection.id);
    // shade by the value as a share of its target, so every indicator reads on one ramp (1 = at target)
    for (const row of r ? indicatorRows(r) : []) values.set(row.code, { value: row.value === null || !r?.target ? null : row.value / r.target, verdict: row.verdict });
    return { values, ramp: 'indicator' };
  }
  for (const row of circleRows(shownRun(s))) values.set(row.code, { value: row.share, verdict: row.verdict });
  return { values, ramp: 'coverage' };
}

/**
 * Keeps the map in step with the store: gaps, shading, facilities of the run, the scenario's planned and
 * removed facilities, suggested sites, the selected township, layer toggles and the online basemap.
 *
 * @example syncMap(map, store, data);
 */
export function syncMap(map: MapLibreMap, store: Store, data: RegionData): void {
  const facilityCategories = (s: AppState): string[] | null => (s.allFacilities ? null : analysisCategories(s.selection, data.presets));
  const update = (s: AppState, changed: Set<keyof AppState>) => {
    const has = (...keys: Array<keyof AppState>) => keys.some((k) => changed.has(k));
    // gaps belong to a circle: an indicator shows none
    if (has('gaps', 'selection')) setGaps(map, s.selection.kind === 'circle' ? s.gaps : null);
    if (has('overlays')) setOverlays(map, s.overlays);
    if (has('analysis', 'whatIf', 'indicators', 'selection')) {
      const { values, ramp } = shadingValues(s);
      setShading(map, data.townships, values, ramp);
    }
    if (has('selection', 'allFacilities')) filterFacilities(map, facilityCategories(s));
    if (has('edits')) showScenario(map, data.facilities, s.edits);
    if (has('suggestions')) setSuggested(map, s.suggestions);
    if (has('township')) selectTownship(map, data.townships, s.township);
    if (has('toggles')) for (const id of Object.keys(TOGGLE_LAYERS) as ToggleId[]) setToggle(map, id, s.toggles[id]);
    if (has('population')) setPopulation(map, s.population);
    if (has('tiles')) setTileSource(map, s.tiles);
    if (has('importPreview')) setImportPreview(map, s.importPreview);
  };
  store.subscribe(update);
  // the first state, as if every key had changed (except tiles: the style was built with them)
  const all = new Set(Object.keys(store.get()) as Array<keyof AppState>);
  all.delete('tiles');
  all.delete('township');
  update(store.get(), all);
}

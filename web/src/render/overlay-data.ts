import type { FeatureCollection } from 'geojson';
import type { FilterSpecification, GeoJSONSource, LngLatBoundsLike, Map as MapLibreMap } from 'maplibre-gl';
import type { Facilities, GapCollection, OverlayLayers, ScenarioEdit, SuggestedSite, Townships, Verdict } from '../source/api-types.ts';
import { groupOfCategory } from '../source/facility-group.ts';
import { shadingColor, TOGGLE_LAYERS, type ToggleId } from '../style/overlay-layers.ts';
import { FIT_PADDING } from './map-view.ts';
import { POPULATION_LAYER, type PopulationMeasure } from './population-layer.ts';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

function source(map: MapLibreMap, id: string): GeoJSONSource {
  const s = map.getSource<GeoJSONSource>(id);
  if (!s) throw new Error(`map: source '${id}' is missing from the style`);
  return s;
}

export function setGaps(map: MapLibreMap, gaps: GapCollection | null): void {
  source(map, 'gaps').setData(gaps ?? EMPTY);
}

/** Catchments and isochrone bands; the widest band is drawn first so the nearer ones sit on top. */
export function setOverlays(map: MapLibreMap, overlays: OverlayLayers | null): void {
  source(map, 'catchments').setData(overlays?.catchments ?? EMPTY);
  if (!overlays) return void source(map, 'isochrones').setData(EMPTY);
  const features = [...overlays.isochrones.features].sort((a, b) => b.properties.band - a.properties.band);
  source(map, 'isochrones').setData({ ...overlays.isochrones, features });
}

export function setFacilities(map: MapLibreMap, facilities: Facilities): void {
  source(map, 'facilities').setData(facilities);
}

/** The features of a file being imported (a preview), or none. */
export function setImportPreview(map: MapLibreMap, features: FeatureCollection | null): void {
  source(map, 'import-preview').setData(features ?? EMPTY);
}

/** The region's townships and roads again, after an import replaced them. */
export function setBaseLayers(map: MapLibreMap, layers: { townships?: Townships; roads?: FeatureCollection | null }): void {
  if (layers.townships) source(map, 'townships').setData(layers.townships);
  if (layers.roads !== undefined) source(map, 'roads').setData(layers.roads ?? EMPTY);
}

/** Shows only facilities of these categories (the run's), or all of them for null. */
export function filterFacilities(map: MapLibreMap, categories: string[] | null): void {
  const filter: FilterSpecification | null = categories ? ['in', ['get', 'category'], ['literal', categories]] : null;
  map.setFilter('facilities', filter);
}

/**
 * The scenario on the map: added and moved facilities as planned symbols, removed and moved-away ones faded.
 *
 * @example showScenario(map, facilities, edits);
 */
export function showScenario(map: MapLibreMap, facilities: Facilities, edits: ScenarioEdit[]): void {
  const byId = new Map(facilities.features.map((f) => [String(f.properties.id), f]));
  const planned: Array<{ id: string; lon: number; lat: number; category: string; name: string; op: string }> = [];
  const faded = new Set<string>();
  for (const e of edits) {
    const id = String(e.id);
    if (e.op === 'add') planned.push({ id, lon: e.lon, lat: e.lat, category: e.category ?? '', name: e.name ?? '', op: 'add' });
    else if (e.op === 'remove') {
      faded.add(id);
      const k = planned.findIndex((p) => p.id === id);
      if (k >= 0) planned.splice(k, 1);
    } else {
      const k = planned.findIndex((p) => p.id === id);
      if (k >= 0) planned[k] = { ...planned[k], lon: e.lon, lat: e.lat };
      else {
        const f = byId.get(id);
        faded.add(id);
        planned.push({ id, lon: e.lon, lat: e.lat, category: f?.properties.category ?? '', name: f?.properties.name ?? '', op: 'move' });
      }
    }
  }
  source(map, 'planned').setData({
    type: 'FeatureCollection',
    features: planned.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { ...p, group: groupOfCategory(p.category) } })),
  });
  map.removeFeatureState({ source: 'facilities' });
  for (const id of faded) map.setFeatureState({ source: 'facilities', id: Number(id) }, { removed: true });
}

/** The region's buildable land, drawn green under the roads. */
export function setBuildable(map: MapLibreMap, land: FeatureCollection): void {
  source(map, 'buildable').setData(land);
}

export function setSuggested(map: MapLibreMap, sites: SuggestedSite[]): void {
  source(map, 'suggested').setData({
    type: 'FeatureCollection',
    features: sites.map((s) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] }, properties: { rank: s.rank, gain: s.gain.population } })),
  });
}

/**
 * Township shading: `value` per township code (a covered share 0..1, or an indicator's value over its
 * target) and the verdict that colours the outline.
 *
 * @example setShading(map, townships, new Map([['511621001', { value: 0.82, verdict: 'fail' }]]), 'coverage');
 */
export function setShading(map: MapLibreMap, townships: Townships, values: Map<string, { value: number | null; verdict: Verdict }>, ramp: 'coverage' | 'indicator'): void {
  map.setPaintProperty('township-shading', 'fill-color', shadingColor(ramp));
  for (const f of townships.features) {
    const v = values.get(f.properties.code);
    map.setFeatureState({ source: 'townships', id: f.properties.code }, { value: v?.value ?? null, verdict: v?.verdict ?? null });
  }
}

/** Outlines one township (or none) and zooms to it. */
export function selectTownship(map: MapLibreMap, townships: Townships, code: string | null, zoom = true): void {
  map.setFilter('township-selected', ['==', ['get', 'code'], code ?? '']);
  const f = code ? townships.features.find((x) => x.properties.code === code) : undefined;
  if (!f || !zoom) return;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const poly of polys) for (const [x, y] of poly[0]) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); }
  map.fitBounds([[w, s], [e, n]] as LngLatBoundsLike, { padding: FIT_PADDING, duration: 600, maxZoom: 14 });
}

export function setToggle(map: MapLibreMap, toggle: ToggleId, on: boolean): void {
  for (const id of TOGGLE_LAYERS[toggle]) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
}

/** Shows one population measure (or none). */
export function setPopulation(map: MapLibreMap, measure: PopulationMeasure | null): void {
  for (const [m, id] of Object.entries(POPULATION_LAYER)) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', m === measure ? 'visible' : 'none');
  }
}

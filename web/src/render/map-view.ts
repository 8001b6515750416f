import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type ErrorEvent, type LngLatBoundsLike } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { RegionData } from '../source/region-data.ts';
import { drawSymbols } from '../style/category-symbols.ts';
import { LOCAL_IDEOGRAPH_FONT_FAMILY } from '../style/local-fonts.ts';
import { mapStyle } from '../style/map-style.ts';
import { tileLayers, type TileSetting } from '../style/tile-source.ts';
import { addPopulationLayers } from './population-layer.ts';

// the worker is bundled beside the app as its own module file; MapLibre would otherwise look for it next
// to its own (bundled-away) module URL
setWorkerUrl(workerUrl);

const ZH_LOCALE: Record<string, string> = {
  'NavigationControl.ZoomIn': '放大',
  'NavigationControl.ZoomOut': '缩小',
  'NavigationControl.ResetBearing': '拖动旋转地图，点击恢复正北',
  'AttributionControl.ToggleAttribution': '显示或隐藏版权信息',
  'Popup.Close': '关闭',
  'ScaleControl.Meters': '米',
  'ScaleControl.Kilometers': '公里',
  'Map.Title': '地图',
};

// MapLibre's own English strings for the same keys, for a switch back from Chinese
const EN_LOCALE: Record<string, string> = {
  'NavigationControl.ZoomIn': 'Zoom in',
  'NavigationControl.ZoomOut': 'Zoom out',
  'NavigationControl.ResetBearing': 'Drag to rotate map, click to reset north',
  'AttributionControl.ToggleAttribution': 'Toggle attribution',
  'Popup.Close': 'Close popup',
  'ScaleControl.Meters': 'm',
  'ScaleControl.Kilometers': 'km',
  'Map.Title': 'Map',
};

let scale: ScaleControl | null = null;

/**
 * Switches the map's own words (scale bar, control titles) with the panel's language.
 *
 * @example onLangChange((l) => setMapLanguage(map, l));
 */
export function setMapLanguage(map: MapLibreMap, lang: 'zh' | 'en'): void {
  Object.assign((map as unknown as { _locale: Record<string, string> })._locale, lang === 'zh' ? ZH_LOCALE : EN_LOCALE);
  // the scale bar writes its unit when it is placed and on every move
  if (scale) map.removeControl(scale);
  scale = new ScaleControl({ unit: 'metric' });
  map.addControl(scale, 'bottom-right');
  for (const button of Array.from(map.getContainer().querySelectorAll<HTMLButtonElement>('.maplibregl-ctrl-zoom-in, .maplibregl-ctrl-zoom-out'))) {
    const key = button.classList.contains('maplibregl-ctrl-zoom-in') ? 'NavigationControl.ZoomIn' : 'NavigationControl.ZoomOut';
    const text = (lang === 'zh' ? ZH_LOCALE : EN_LOCALE)[key];
    button.title = text;
    button.setAttribute('aria-label', text);
  }
}

export interface CreateMapOptions {
  container: HTMLElement;
  data: RegionData;
  tiles: TileSetting;
  lang: 'zh' | 'en';
}

/** Padding that keeps the county clear of the map's edges and controls. */
export const FIT_PADDING = { top: 40, bottom: 40, left: 40, right: 40 };

/**
 * Creates the map on the offline style, adds the canvas-drawn symbols and the population grid, and resolves
 * once the style has loaded (the first frame may still be drawing).
 *
 * @example const map = await createMap({ container, data, tiles: { kind: 'none' }, lang: 'zh' });
 */
export function createMap(options: CreateMapOptions): Promise<MapLibreMap> {
  const { data } = options;
  const [w, s, e, n] = data.bbox;
  const padX = (e - w) * 0.6, padY = (n - s) * 0.6;
  const map = new MapLibreMap({
    container: options.container,
    style: mapStyle(data, options.tiles),
    bounds: data.bbox as LngLatBoundsLike,
    fitBoundsOptions: { padding: FIT_PADDING },
    // keep the county in reach; there is nothing to see far outside it offline
    maxBounds: [[w - padX, s - padY], [e + padX, n + padY]],
    localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
    locale: options.lang === 'zh' ? ZH_LOCALE : {},
    attributionControl: { compact: false },
    // the PNG export reads the canvas back after the frame
    canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
    maxZoom: 18,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-left');
  scale = new ScaleControl({ unit: 'metric' });
  map.addControl(scale, 'bottom-right');
  for (const s of drawSymbols()) map.addImage(s.id, s.data, { pixelRatio: s.pixelRatio });
  return new Promise((resolve, reject) => {
    const fail = (ev: ErrorEvent) => reject(ev.error ?? new Error('map failed to load'));
    map.on('error', fail);
    map.once('load', () => {
      map.off('error', fail);
      if (data.population) addPopulationLayers(map, data.population, 'township-shading');
      resolve(map);
    });
  });
}

/**
 * Swaps the online tile layer (or removes it) without rebuilding the style, so the analysis layers keep
 * their data and state.
 *
 * @example setTileSource(map, { kind: 'tianditu', key });
 */
export function setTileSource(map: MapLibreMap, setting: TileSetting): void {
  for (const id of ['tiles-labels', 'tiles-base']) {
    if (map.getLayer(id)) map.removeLayer(id);
    if (map.getSource(id)) map.removeSource(id);
  }
  const { sources, layers } = tileLayers(setting);
  for (const [id, source] of Object.entries(sources)) map.addSource(id, source);
  for (const layer of layers) map.addLayer(layer, 'county-fill');
  const online = setting.kind !== 'none';
  map.setPaintProperty('county-fill', 'fill-opacity', online ? 0.25 : 1);
}

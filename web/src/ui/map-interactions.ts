import { Marker, Popup, type Map as MapLibreMap, type MapGeoJSONFeature, type MapMouseEvent } from 'maplibre-gl';
import type { FacilityProperties } from '../source/api-types.ts';
import { shownRun, type Store } from './app-state.ts';
import type { Controller } from './controller.ts';
import { categoryName, facilityPopup, gapPopup, townshipPopup } from './map-popups.ts';
import { addFacility, isPlanned, moveFacility, removeFacility } from './scenario-edits.ts';
import { pick, t } from './i18n.ts';
import { circleRows, indicatorRows } from './township-rows.ts';

const CLICKABLE = ['planned', 'facilities', 'suggested', 'gaps-tint', 'township-shading'];
// a press that moves less than this many pixels is a click, not a drag
const DRAG_THRESHOLD = 4;

/**
 * What the mouse does on the map: adds a planned facility where clicked (in adding mode), drags facilities
 * (planned ones move their add, existing ones get a move edit), and opens popups for facilities, gaps and
 * townships (a township click also selects it in the table).
 *
 * @example wireMapInteractions(map, store, controller, () => categorySelect.value);
 */
export function wireMapInteractions(map: MapLibreMap, store: Store, controller: Controller, plannedCategory: () => string): void {
  const popup = new Popup({ closeButton: true, maxWidth: '320px', focusAfterOpen: false });
  let hovered: number | string | undefined;

  const topFeature = (e: MapMouseEvent): MapGeoJSONFeature | undefined => {
    const layers = CLICKABLE.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
    return map.queryRenderedFeatures(e.point, { layers })[0];
  };

  map.on('mousemove', (e) => {
    const f = topFeature(e);
    map.getCanvas().style.cursor = store.get().adding ? 'crosshair' : f ? 'pointer' : '';
    const gapId = f?.layer.id === 'gaps-tint' ? f.id : undefined;
    if (hovered !== gapId) {
      if (hovered !== undefined) map.setFeatureState({ source: 'gaps', id: hovered }, { hover: false });
      if (gapId !== undefined) map.setFeatureState({ source: 'gaps', id: gapId }, { hover: true });
      hovered = gapId;
    }
  });

  map.on('click', (e) => {
    const s = store.get();
    if (s.adding) {
      const category = plannedCategory();
      const edits = addFacility(s.edits, {
        id: controller.nextFacilityId(), lon: e.lngLat.lng, lat: e.lngLat.lat, category, name: t('plannedName', { cat: categoryName(category) }),
      });
      store.set({ adding: false });
      controller.setEdits(edits);
      return;
    }
    const f = topFeature(e);
    if (!f) return void popup.remove();
    const layer = f.layer.id;
    if (layer === 'planned' || layer === 'facilities') {
      const p = f.properties as FacilityProperties & { op?: string };
      const planned = layer === 'planned' && p.op === 'add';
      const content = facilityPopup(p, planned, () => {
        popup.remove();
        controller.setEdits(removeFacility(store.get().edits, planned ? String(p.id) : Number(p.id)));
      });
      popup.setLngLat(e.lngLat).setDOMContent(content).addTo(map);
    } else if (layer === 'gaps-tint') {
      const gap = s.gaps?.features[Number(f.id)];
      const reach = s.analysis?.summary.reach;
      const standard = reach ? [...new Set([reach.urban?.text, reach.rural?.text].filter((x) => x).map((x) => pick(x!)))].join(' / ') : undefined;
      if (gap) popup.setLngLat(e.lngLat).setDOMContent(gapPopup(gap.properties, standard)).addTo(map);
    } else if (layer === 'township-shading') {
      const code = String(f.properties.code);
      const rows = s.selection.kind === 'circle'
        ? circleRows(shownRun(s))
        : indicatorRows(s.indicators?.find((i) => i.id === s.selection.id) ?? { units: [] } as never);
      const r = rows.find((x) => x.code === code);
      store.set({ township: code });
      if (r) popup.setLngLat(e.lngLat).setDOMContent(townshipPopup(r)).addTo(map);
    }
  });

  // dragging a facility: a ghost marker follows the pointer, the edit is made on release
  let press: { id: string | number; planned: boolean; x: number; y: number; ghost: Marker | null } | null = null;
  const startDrag = (e: MapMouseEvent & { features?: MapGeoJSONFeature[] }, layer: 'planned' | 'facilities') => {
    const f = e.features?.[0];
    if (!f || store.get().adding || e.originalEvent.button !== 0) return;
    const planned = layer === 'planned' && isPlanned(store.get().edits, String(f.properties.id));
    press = { id: planned ? String(f.properties.id) : Number(f.properties.id), planned, x: e.point.x, y: e.point.y, ghost: null };
    e.preventDefault();
  };
  map.on('mousedown', 'planned', (e) => startDrag(e, 'planned'));
  map.on('mousedown', 'facilities', (e) => startDrag(e, 'facilities'));
  map.on('mousemove', (e) => {
    if (!press) return;
    if (!press.ghost && Math.hypot(e.point.x - press.x, e.point.y - press.y) < DRAG_THRESHOLD) return;
    if (!press.ghost) {
      map.dragPan.disable();
      const ghost = document.createElement('div');
      ghost.className = 'drag-ghost';
      press.ghost = new Marker({ element: ghost }).setLngLat(e.lngLat).addTo(map);
      popup.remove();
    }
    press.ghost.setLngLat(e.lngLat);
  });
  map.on('mouseup', (e) => {
    if (!press) return;
    const { ghost, id } = press;
    press = null;
    if (!ghost) return;
    ghost.remove();
    map.dragPan.enable();
    controller.setEdits(moveFacility(store.get().edits, id, e.lngLat.lng, e.lngLat.lat));
  });

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && store.get().adding) store.set({ adding: false });
  });
  store.subscribe((s, changed) => {
    if (changed.has('adding')) map.getCanvas().style.cursor = s.adding ? 'crosshair' : '';
    if (changed.has('selection') || changed.has('analysis')) popup.remove();
  });
}

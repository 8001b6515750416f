import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';

/**
 * The optional online basemap under the region's own layers. Off by default: an intranet has no internet,
 * and the page must not reach out unless a planner asks it to.
 */
export type TileSetting =
  | { kind: 'none' }
  | { kind: 'tianditu'; key: string }
  | { kind: 'xyz'; url: string; attribution: string };

export const NO_TILES: TileSetting = { kind: 'none' };

const TIANDITU_ATTRIBUTION = '© <a href="https://www.tianditu.gov.cn/" target="_blank" rel="noopener">天地图 Tianditu</a>';

// Tianditu's Web-Mercator WMTS (CGCS2000, which matches WGS84 here, so no offset); eight hosts share the load
function tiandituTiles(layer: 'vec' | 'cva', key: string): string[] {
  return [0, 1, 2, 3, 4, 5, 6, 7].map((n) =>
    `https://t${n}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`);
}

/**
 * Checks a setting from the settings form; the message says what to fix.
 *
 * @example checkTileSetting({ kind: 'xyz', url: 'https://tiles.example/{z}/{x}/{y}.png', attribution: '© Example' }) // null
 */
export function checkTileSetting(s: TileSetting): string | null {
  if (s.kind === 'tianditu' && !/^[0-9a-f]{16,64}$/i.test(s.key.trim())) return 'Tianditu key: expected the hexadecimal key from console.tianditu.gov.cn';
  if (s.kind === 'xyz') {
    if (!/^https?:\/\//.test(s.url)) return 'tile URL: expected an http(s) address';
    for (const token of ['{z}', '{x}', '{y}']) if (!s.url.includes(token)) return `tile URL: expected ${token} in the address`;
    if (s.attribution.trim() === '') return 'attribution: the tile provider\'s notice is required';
  }
  return null;
}

/**
 * Raster sources and layers for a setting; empty for 'none'. The layers go right above the background.
 *
 * @example const { sources, layers } = tileLayers({ kind: 'tianditu', key });
 */
export function tileLayers(s: TileSetting): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] } {
  if (s.kind === 'none') return { sources: {}, layers: [] };
  if (s.kind === 'tianditu') {
    const raster = (layer: 'vec' | 'cva'): SourceSpecification => ({
      type: 'raster', tiles: tiandituTiles(layer, s.key.trim()), tileSize: 256, maxzoom: 18, attribution: TIANDITU_ATTRIBUTION,
    });
    return {
      sources: { 'tiles-base': raster('vec'), 'tiles-labels': raster('cva') },
      layers: [
        { id: 'tiles-base', type: 'raster', source: 'tiles-base' },
        { id: 'tiles-labels', type: 'raster', source: 'tiles-labels' },
      ],
    };
  }
  // the attribution is typed by the user and shown as HTML by MapLibre: escape it
  const attribution = s.attribution.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    sources: { 'tiles-base': { type: 'raster', tiles: [s.url], tileSize: 256, maxzoom: 19, attribution } },
    layers: [{ id: 'tiles-base', type: 'raster', source: 'tiles-base' }],
  };
}

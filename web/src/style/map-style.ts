import type { StyleSpecification } from 'maplibre-gl';
import type { RegionData } from '../source/region-data.ts';
import { basemapParts } from './basemap-style.ts';
import { overlayParts } from './overlay-layers.ts';
import type { TileSetting } from './tile-source.ts';

/**
 * The whole style: offline basemap and the (empty) analysis layers between its fills and its lines, labels
 * above them, and the scenario's planned and suggested sites above everything. It names no sprite and no glyphs (local-fonts.ts); symbols are canvas images added at load.
 *
 * @example new maplibregl.Map({ container, style: mapStyle(data, { kind: 'none' }) });
 */
export function mapStyle(data: RegionData, tiles: TileSetting): StyleSpecification {
  const base = basemapParts(data, tiles);
  const overlay = overlayParts();
  return {
    version: 8,
    name: `lifecircle ${data.region.name}`,
    sources: { ...base.sources, ...overlay.sources },
    layers: [...base.under, ...overlay.under, ...base.lines, ...overlay.over, ...base.labels, ...overlay.top],
  };
}

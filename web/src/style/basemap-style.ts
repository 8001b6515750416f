import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import type { RegionData } from '../source/region-data.ts';
import { TEXT_FONT } from './local-fonts.ts';
import { BASE, ROAD_CLASSES } from './palette.ts';
import { tileLayers, type TileSetting } from './tile-source.ts';

/** The basemap drawn from the region's own data, in the slots the overlay layers go between. */
export interface BasemapParts {
  sources: Record<string, SourceSpecification>;
  /** background, optional online tiles, county fill */
  under: LayerSpecification[];
  /** roads by class, township boundaries, county outline */
  lines: LayerSpecification[];
  /** township and seat names: always on top */
  labels: LayerSpecification[];
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

// road width grows with zoom: half at z9, the palette width at z12, four times at z16
function roadWidth(base: number, casing: number): ExpressionSpecification {
  return ['interpolate', ['exponential', 1.6], ['zoom'], 8, base * 0.35 + casing, 12, base + casing, 16, base * 4 + casing * 2];
}

/** The data notices the map must show: generated demo layers, and the outline's source (AMap terms). */
export function dataAttribution(data: RegionData): string {
  const meta = data.region.metadata;
  const parts: string[] = [];
  if (typeof meta.attribution === 'string' && meta.attribution !== '') parts.push(meta.attribution);
  // the outline's own source line, or the region's notice, says when it comes from AMap (whose terms ask for this)
  const outlineSource = `${String(data.outline?.properties?.source ?? '')} ${String(meta.notice ?? '')}`;
  if (/AMap|高德/i.test(outlineSource) && !parts.some((p) => /AMap|高德/.test(p))) parts.push('县界 outline: 高德地图 AMap');
  const synthetic = meta.synthetic === true || data.townships.features.some((f) => f.properties.synthetic === true);
  if (synthetic) parts.push('演示数据为生成数据 generated demo data');
  return parts.map((p) => p.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)).join(' · ');
}

/**
 * The offline basemap: county outline and fill, township boundaries, roads by class (OSM `highway` tags),
 * township labels at their seats; optionally an online tile layer underneath. No URL in it leaves the page's
 * own data: no tiles unless asked, no sprite, no glyphs (see local-fonts.ts).
 *
 * @example const parts = basemapParts(data, { kind: 'none' });
 */
export function basemapParts(data: RegionData, tiles: TileSetting): BasemapParts {
  const online = tileLayers(tiles);
  const withTiles = tiles.kind !== 'none';
  const attribution = dataAttribution(data);
  const sources: Record<string, SourceSpecification> = {
    ...online.sources,
    outline: { type: 'geojson', data: data.outline ?? EMPTY, attribution },
    townships: { type: 'geojson', data: data.townships, promoteId: 'code' },
    roads: { type: 'geojson', data: data.roads ?? EMPTY, tolerance: 0.5 },
    places: { type: 'geojson', data: data.places },
  };
  const under: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': BASE.background } },
    ...online.layers,
    // over online tiles the county fill is a light veil, so the tiles still read
    { id: 'county-fill', type: 'fill', source: 'outline', paint: { 'fill-color': BASE.county, 'fill-opacity': withTiles ? 0.25 : 1 } },
  ];
  const lines: LayerSpecification[] = [];
  // casings first (all classes), then fills, so junctions of different classes join cleanly
  ROAD_CLASSES.forEach((r, i) => {
    if (!r.casing) return;
    lines.push({
      id: `roads-casing-${i}`, type: 'line', source: 'roads', minzoom: r.minzoom,
      filter: ['in', ['get', 'highway'], ['literal', r.classes]],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': r.casing, 'line-width': roadWidth(r.width, 1), 'line-opacity': withTiles ? 0.5 : 1 },
    });
  });
  [...ROAD_CLASSES].reverse().forEach((r) => {
    const i = ROAD_CLASSES.indexOf(r);
    lines.push({
      id: `roads-${i}`, type: 'line', source: 'roads', minzoom: r.minzoom,
      filter: ['in', ['get', 'highway'], ['literal', r.classes]],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': r.color, 'line-width': roadWidth(r.width, 0), 'line-opacity': withTiles ? 0.6 : 1,
        ...(r.casing ? {} : { 'line-dasharray': [2, 1.5] }),
      },
    });
  });
  lines.push(
    { id: 'township-lines', type: 'line', source: 'townships', paint: { 'line-color': BASE.township, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 13, 2], 'line-dasharray': [3, 2] } },
    { id: 'county-line', type: 'line', source: 'outline', paint: { 'line-color': BASE.countyLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.6, 13, 3.5] } },
  );
  const labels: LayerSpecification[] = [
    {
      id: 'road-labels', type: 'symbol', source: 'roads', minzoom: 12,
      filter: ['all', ['has', 'name'], ['in', ['get', 'highway'], ['literal', ['motorway', 'trunk', 'primary', 'secondary', 'tertiary']]]],
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': TEXT_FONT, 'text-size': 12, 'symbol-spacing': 400 },
      paint: { 'text-color': '#5d4037', 'text-halo-color': BASE.labelHalo, 'text-halo-width': 1.5 },
    },
    {
      id: 'place-labels', type: 'symbol', source: 'places',
      layout: {
        'text-field': ['get', 'name'], 'text-font': TEXT_FONT, 'symbol-sort-key': ['get', 'rank'],
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 11, 12, 16],
        'text-variable-anchor': ['center', 'top', 'bottom'], 'text-radial-offset': 0.6, 'text-padding': 4,
      },
      paint: { 'text-color': BASE.label, 'text-halo-color': BASE.labelHalo, 'text-halo-width': 2 },
    },
  ];
  return { sources, under, lines, labels };
}

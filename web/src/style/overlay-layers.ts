import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { TEXT_FONT } from './local-fonts.ts';
import { BUILDABLE, CATCHMENT, COVERAGE_STOPS, GAP, INDICATOR_STOPS, ISOCHRONE_COLORS, VERDICT_COLORS } from './palette.ts';

/** The analysis layers, in the slots of the basemap they sit between. */
export interface OverlayParts {
  sources: Record<string, SourceSpecification>;
  /** under the roads: population grid, township shading, isochrone bands, catchment fill */
  under: LayerSpecification[];
  /** over the roads: gaps, catchment lines, selection, facilities */
  over: LayerSpecification[];
  /** over the labels: the scenario's planned facilities and suggested sites, what the planner works on */
  top: LayerSpecification[];
}

/** Layer ids grouped by the toggle that shows or hides them. */
export const TOGGLE_LAYERS = {
  choropleth: ['township-shading', 'township-verdict'],
  isochrones: ['isochrones-fill'],
  catchments: ['catchments-fill', 'catchments-line'],
  gaps: ['gaps-tint', 'gaps-fill', 'gaps-line'],
  facilities: ['facilities'],
  buildable: ['buildable-fill', 'buildable-line'],
} as const;

export type ToggleId = keyof typeof TOGGLE_LAYERS;

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const geojson = (extra: Record<string, unknown> = {}): SourceSpecification => ({ type: 'geojson', data: EMPTY, ...extra }) as unknown as SourceSpecification;

/** A ramp on the feature-state `value`, transparent where a township has none. */
export function shadingColor(ramp: 'coverage' | 'indicator'): ExpressionSpecification {
  const stops = (ramp === 'coverage' ? COVERAGE_STOPS : INDICATOR_STOPS).flat();
  return ['case', ['==', ['typeof', ['feature-state', 'value']], 'number'],
    ['interpolate', ['linear'], ['feature-state', 'value'], ...stops] as ExpressionSpecification,
    'rgba(0,0,0,0)'];
}

/**
 * Sources and layers of the analysis, all empty until a run fills them (render/overlay-data.ts). The
 * population grid is a canvas source added at run time (render/population-layer.ts), so it is not here.
 *
 * @example const { sources, under, over, top } = overlayParts();
 */
export function overlayParts(): OverlayParts {
  const sources: Record<string, SourceSpecification> = {
    gaps: geojson({ generateId: true }),
    catchments: geojson(),
    isochrones: geojson(),
    facilities: geojson({ promoteId: 'id' }),
    planned: geojson(),
    suggested: geojson(),
    'import-preview': geojson(),
    buildable: geojson(),
  };
  const under: LayerSpecification[] = [
    {
      id: 'township-shading', type: 'fill', source: 'townships',
      // light enough that the hatched gaps on top stay the strongest thing on the map
      paint: { 'fill-color': shadingColor('coverage'), 'fill-opacity': 0.38 },
    },
    {
      id: 'isochrones-fill', type: 'fill', source: 'isochrones', layout: { visibility: 'none' },
      paint: { 'fill-color': ['match', ['get', 'band'], 0, ISOCHRONE_COLORS[0], 1, ISOCHRONE_COLORS[1], 2, ISOCHRONE_COLORS[2], ISOCHRONE_COLORS[3]], 'fill-opacity': 0.45 },
    },
    { id: 'buildable-fill', type: 'fill', source: 'buildable', paint: { 'fill-color': BUILDABLE.fill, 'fill-opacity': 0.35 } },
    {
      id: 'catchments-fill', type: 'fill', source: 'catchments', layout: { visibility: 'none' },
      paint: { 'fill-color': CATCHMENT.fill, 'fill-opacity': 0.12 },
    },
  ];
  const over: LayerSpecification[] = [
    { id: 'buildable-line', type: 'line', source: 'buildable', paint: { 'line-color': BUILDABLE.line, 'line-width': 1, 'line-dasharray': [2, 1] } },
    { id: 'catchments-line', type: 'line', source: 'catchments', layout: { visibility: 'none' }, paint: { 'line-color': CATCHMENT.line, 'line-width': 1, 'line-opacity': 0.7 } },
    // a township's verdict as its outline colour, so pass/fail reads even with the shading off
    {
      id: 'township-verdict', type: 'line', source: 'townships',
      paint: {
        'line-color': ['match', ['feature-state', 'verdict'], 'fail', VERDICT_COLORS.fail, 'pass', VERDICT_COLORS.pass, 'rgba(0,0,0,0)'],
        'line-width': ['match', ['feature-state', 'verdict'], 'fail', 1.6, 0.8], 'line-opacity': 0.8,
      },
    },
    // gaps: a red tint, hatching and a dark outline, the most prominent thing on the map
    { id: 'gaps-tint', type: 'fill', source: 'gaps', paint: { 'fill-color': GAP.fill, 'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.4, 0.22] } },
    { id: 'gaps-fill', type: 'fill', source: 'gaps', paint: { 'fill-pattern': 'gap-hatch', 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 8, 0.55, 12, 0.9] } },
    {
      id: 'gaps-line', type: 'line', source: 'gaps',
      // thin at county scale, where hundreds of small gaps would otherwise merge into a dark mass
      paint: { 'line-color': GAP.line, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.4, 11, 1.2, 14, 2.5] },
    },
    {
      id: 'township-selected', type: 'line', source: 'townships', filter: ['==', ['get', 'code'], ''],
      paint: { 'line-color': '#0d47a1', 'line-width': 4, 'line-opacity': 0.9 },
    },
    {
      id: 'facilities', type: 'symbol', source: 'facilities',
      layout: {
        'icon-image': ['concat', 'facility-', ['get', 'group']],
        'icon-size': ['interpolate', ['linear'], ['zoom'], 8, 0.6, 12, 0.9, 15, 1.1],
        'icon-allow-overlap': true, 'icon-padding': 0,
        'symbol-sort-key': ['get', 'id'],
      },
      // a facility removed in the scenario stays visible, faded, so the planner sees what was taken away
      paint: { 'icon-opacity': ['case', ['boolean', ['feature-state', 'removed'], false], 0.25, 1] },
    },
  ];
  const top: LayerSpecification[] = [
    // a file being imported, before it is: its lines and outlines, then its points (red where a row is bad)
    {
      id: 'import-preview-line', type: 'line', source: 'import-preview', filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': '#6a1b9a', 'line-width': 2 },
    },
    {
      id: 'import-preview', type: 'circle', source: 'import-preview', filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 4, 14, 8],
        'circle-color': ['case', ['boolean', ['get', 'problem'], false], '#c62828', '#6a1b9a'],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5,
      },
    },
    // a planned facility adopted at a suggested site sits on top of its star
    {
      id: 'suggested', type: 'symbol', source: 'suggested',
      layout: {
        'icon-image': 'suggested-site', 'icon-allow-overlap': true, 'icon-ignore-placement': true,
        'text-field': ['to-string', ['get', 'rank']], 'text-font': TEXT_FONT, 'text-size': 12,
        // ranks never overprint each other: MapLibre tries the four sides, else drops the number (the list keeps it)
        'text-variable-anchor': ['top', 'bottom', 'left', 'right'], 'text-radial-offset': 1.1, 'text-allow-overlap': false, 'text-optional': true,
      },
      paint: { 'text-color': '#212121', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
    {
      id: 'planned', type: 'symbol', source: 'planned',
      layout: { 'icon-image': ['concat', 'facility-', ['get', 'group'], '-planned'], 'icon-size': 1.15, 'icon-allow-overlap': true, 'icon-ignore-placement': true },
    },
  ];
  return { sources, under, over, top };
}

import type { FacilityGroup } from '../source/facility-group.ts';

export type { FacilityGroup };

/** One colour per facility group; shapes differ too (category-symbols.ts), so colour is never the only cue. */
export const GROUP_COLORS: Record<FacilityGroup, string> = {
  health: '#c62828',
  elderly: '#e65100',
  education: '#1565c0',
  childcare: '#ad1457',
  culture: '#6a1b9a',
  sport: '#2e7d32',
  community: '#00838f',
  emergency: '#4e342e',
};

export const FACILITY_GROUPS = Object.keys(GROUP_COLORS) as FacilityGroup[];

/** Basemap colours: quiet, so the analysis layers carry the contrast (a projector washes pale tones out). */
export const BASE = {
  background: '#dfe3e6',
  county: '#f7f5f0',
  countyLine: '#37474f',
  township: '#78909c',
  water: '#a9cde8',
  label: '#263238',
  labelHalo: '#ffffff',
};

/** Road colours and widths by OSM highway class, widest first; widths are at zoom 12. */
export const ROAD_CLASSES: Array<{ classes: string[]; color: string; casing: string; width: number; minzoom: number }> = [
  { classes: ['motorway', 'motorway_link'], color: '#e8913a', casing: '#a0522d', width: 3.2, minzoom: 0 },
  { classes: ['trunk', 'trunk_link', 'primary', 'primary_link'], color: '#f4b860', casing: '#b7791f', width: 2.6, minzoom: 0 },
  { classes: ['secondary', 'secondary_link'], color: '#f8dc7a', casing: '#b59b3a', width: 2.0, minzoom: 7 },
  { classes: ['tertiary', 'tertiary_link'], color: '#ffffff', casing: '#9e9e9e', width: 1.5, minzoom: 9 },
  { classes: ['unclassified', 'residential', 'living_street', 'service', 'road'], color: '#ffffff', casing: '#b0b0b0', width: 1.0, minzoom: 10 },
  { classes: ['track', 'path', 'footway', 'cycleway', 'steps', 'pedestrian'], color: '#9e8c7a', casing: '', width: 0.7, minzoom: 11 },
];

/** Covered share 0..1 → red (poor) to green (good); the stops sit around the usual 90 % target. */
export const COVERAGE_STOPS: Array<[number, string]> = [
  [0, '#b71c1c'],
  [0.5, '#ef6c00'],
  [0.75, '#fdd835'],
  [0.9, '#9ccc65'],
  [1, '#2e7d32'],
];

/** Indicator value as a share of its target (1 = at target). */
export const INDICATOR_STOPS: Array<[number, string]> = [
  [0, '#b71c1c'],
  [0.5, '#ef6c00'],
  [0.99, '#fdd835'],
  [1, '#9ccc65'],
  [1.5, '#2e7d32'],
];

/** Residents per cell: a single-hue ramp that stays readable under the choropleth. */
export const POPULATION_STOPS: Array<[number, string]> = [
  [1, '#fff7bc'],
  [20, '#fec44f'],
  [80, '#fe9929'],
  [250, '#d95f0e'],
  [800, '#993404'],
];

export const GAP = { fill: '#d50000', line: '#7f0000', hatch: '#d50000' };
export const ISOCHRONE_COLORS = ['#1a9850', '#91cf60', '#d9ef8b', '#fee08b'];
export const CATCHMENT = { fill: '#1e88e5', line: '#0d47a1' };
export const SUGGESTED = '#ffd600';
/** buildable land: a green that reads as "land on offer" beside the red gaps */
export const BUILDABLE = { fill: '#43a047', line: '#1b5e20' };
export const VERDICT_COLORS = { pass: '#2e7d32', fail: '#c62828', 'no-data': '#757575' } as const;

/**
 * The colour of `value` on a stop list, interpolated in RGB (for the legend and canvas; the map uses
 * `interpolate` expressions on the same stops).
 *
 * @example rampColor(POPULATION_STOPS, 50) // between '#fec44f' and '#fe9929'
 */
export function rampColor(stops: Array<[number, string]>, value: number): string {
  if (value <= stops[0][0]) return stops[0][1];
  for (let i = 1; i < stops.length; i++) {
    const [v1, c1] = stops[i];
    if (value <= v1) {
      const [v0, c0] = stops[i - 1];
      const f = (value - v0) / (v1 - v0);
      const a = hexRgb(c0), b = hexRgb(c1);
      return `rgb(${Math.round(a[0] + (b[0] - a[0]) * f)},${Math.round(a[1] + (b[1] - a[1]) * f)},${Math.round(a[2] + (b[2] - a[2]) * f)})`;
    }
  }
  return stops[stops.length - 1][1];
}

export function hexRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * Where `value` sits along a ramp drawn with its stops evenly spaced (0..1), as the legend draws it: the
 * stops of population and coverage are far from evenly spread in value.
 *
 * @example rampPosition([[0, '#000'], [10, '#fff'], [100, '#f00']], 55) // 0.75
 */
export function rampPosition(stops: Array<[number, string]>, value: number): number {
  const n = stops.length - 1;
  if (value <= stops[0][0]) return 0;
  for (let i = 1; i <= n; i++) {
    if (value <= stops[i][0]) return (i - 1 + (value - stops[i - 1][0]) / (stops[i][0] - stops[i - 1][0])) / n;
  }
  return 1;
}

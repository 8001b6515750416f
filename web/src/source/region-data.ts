import type { Feature, FeatureCollection, Point, Position } from 'geojson';
import type { ApiClient } from './api-client.ts';
import { groupOfCategory } from './facility-group.ts';
import type { Facilities, Outline, PopulationGridJson, PresetInfo, RegionInfo, Roads, Townships } from './api-types.ts';

/** Everything the map draws before any analysis: the region's own layers, fetched once. */
export interface RegionData {
  region: RegionInfo;
  outline: Outline | null;
  townships: Townships;
  roads: Roads | null;
  population: PopulationGridJson | null;
  facilities: Facilities;
  /** buildable land (import kind buildable): where suggested sites may be drawn; empty when there is none */
  buildable: FeatureCollection;
  presets: PresetInfo[];
  /** a label point per township (its seat, else a point inside it) and one for the county seat */
  places: FeatureCollection<Point, { name: string; code: string; rank: number }>;
  bbox: [number, number, number, number];
}

/** A point inside a ring-set: the midpoint of the widest horizontal chord through the middle latitude. */
function interiorPoint(rings: Position[][]): Position {
  let minY = Infinity, maxY = -Infinity;
  for (const p of rings[0]) { minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]); }
  const y = (minY + maxY) / 2;
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x1, y1] = ring[i], [x2, y2] = ring[j];
      if ((y1 > y) !== (y2 > y)) xs.push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1));
    }
  }
  xs.sort((a, b) => a - b);
  let best: Position = rings[0][0], width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > width) { width = xs[i + 1] - xs[i]; best = [(xs[i] + xs[i + 1]) / 2, y]; }
  }
  return best;
}

function labelPoint(f: Townships['features'][number]): Position {
  const seat = f.properties.seat;
  if (Array.isArray(seat) && seat.length === 2 && seat.every(Number.isFinite)) return seat;
  const g = f.geometry;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  // the largest part by vertex count carries the label; a fair stand-in for area at township scale
  const largest = polys.reduce((a, b) => (b[0].length > a[0].length ? b : a));
  return interiorPoint(largest);
}

function bboxOf(fc: FeatureCollection, fallback: RegionInfo['bbox']): [number, number, number, number] {
  if (fallback) return fallback;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as number[];
      w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
    } else (c as unknown[]).forEach(walk);
  };
  for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) walk(f.geometry.coordinates);
  return Number.isFinite(w) ? [w, s, e, n] : [73.5, 18, 135, 53.5];
}

/** Facility features with the symbol group beside the category, so the style picks symbols by group. */
export function withGroups(fc: Facilities): Facilities {
  return { ...fc, features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, group: groupOfCategory(f.properties.category) } })) };
}

/** Loads a layer the basemap can do without (roads, population, outline): a failure is logged, not fatal. */
async function optional<T>(what: string, p: Promise<T>, warn: (m: string) => void): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    warn(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

/**
 * Fetches a region's layers in parallel; the townships, facilities and presets are required, the others
 * only make the map richer.
 *
 * @example const data = await loadRegionData(api, (await api.regions())[0], console.warn);
 */
export async function loadRegionData(api: ApiClient, region: RegionInfo, warn: (m: string) => void): Promise<RegionData> {
  const [townships, facilities, presets, outline, roads, population, buildable] = await Promise.all([
    api.townships(region.id),
    api.facilities(region.id),
    api.presets(),
    optional('outline', api.outline(region.id), warn),
    optional('roads', api.roads(region.id), warn),
    optional('population grid', api.population(region.id), warn),
    optional('buildable land', api.buildable(region.id), warn),
  ]);
  const places: RegionData['places'] = {
    type: 'FeatureCollection',
    features: townships.features.map((f): Feature<Point, { name: string; code: string; rank: number }> => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: labelPoint(f) },
      // streets (街道) hold the county seat: rank them first so their label wins a collision
      properties: { name: f.properties.name, code: f.properties.code, rank: f.properties.name.endsWith('街道') ? 0 : 1 },
    })),
  };
  return { region, outline, townships, roads, population, facilities: withGroups(facilities), buildable: buildable ?? { type: 'FeatureCollection', features: [] }, presets, places, bbox: bboxOf(townships, region.bbox) };
}

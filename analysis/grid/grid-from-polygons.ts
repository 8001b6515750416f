import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { foundValue } from '../errors/found-value.ts';
import { frameCellAt, gridFrameForBounds, gridFromCellShares, type GridFrame } from './grid-frame.ts';
import { latticeSampleCounts } from './lattice-sample-counts.ts';
import { MAX_POINT_POPULATION, UNKNOWN_CLASS, type GridOptions, type PopulationGrid } from './population-grid.ts';
import { urbanClassOf } from './urban-class-of.ts';

export interface PolygonGridOptions extends GridOptions {
  /** property holding each polygon's residents */
  populationField: string;
  /** property holding residents aged 60+; sets hasAged60 */
  aged60Field?: string;
  /** property holding 1/0 (urban/rural) */
  urbanField?: string;
  /** names the input in error messages, e.g. its file */
  source?: string;
}

/**
 * Spreads each polygon's population over the cells it covers in proportion to covered area (4×4 samples
 * per cell, holes excluded), then rescales so every polygon's total is kept exactly; a polygon too small
 * to catch a sample gives all of it to the cell holding its centroid.
 *
 * @example
 * const grid = gridFromPolygons(villages, { populationField: 'pop', cellSize: 100 });
 */
export function gridFromPolygons(
  fc: FeatureCollection<Geometry | null>,
  options: PolygonGridOptions,
): PopulationGrid {
  const where = (i: number) => `${options.source ? `${options.source} ` : ''}feature ${i}`;
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error(`${options.source ?? 'polygons'}: expected a GeoJSON FeatureCollection, found ${foundValue(fc?.type ?? fc)}`);
  }
  const cellSize = options.cellSize ?? 100;
  if (!(cellSize > 0)) throw new Error(`cellSize must be a positive number of metres, found ${cellSize}`);

  const kept: { geometry: Polygon | MultiPolygon; population: number; aged60: number; urban: number }[] = [];
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  fc.features.forEach((feature: Feature<Geometry | null>, i) => {
    const geometry = feature?.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      throw new Error(`${where(i)}: geometry must be a Polygon or MultiPolygon, found ${geometry ? geometry.type : 'null'}`);
    }
    const population = numberField(feature, options.populationField, where(i));
    const aged60 = options.aged60Field ? numberField(feature, options.aged60Field, where(i)) : 0;
    let urban = UNKNOWN_CLASS;
    if (options.urbanField) {
      const raw = feature.properties?.[options.urbanField];
      const cls = urbanClassOf(raw);
      if (cls === undefined) throw new Error(`${where(i)}: field '${options.urbanField}' must be 1 (urban), 0 (rural) or empty, found ${foundValue(raw)}`);
      urban = cls;
    }
    if (population === 0 && aged60 === 0) return;
    let vertices = 0;
    for (const ring of rings(geometry)) {
      for (const p of ring) {
        const lon = p[0], lat = p[1];
        if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
          throw new Error(`${where(i)}: coordinates must be lon in [-180, 180] and lat in [-90, 90] (WGS 84 degrees), found [${lon}, ${lat}]`);
        }
        if (lon < minLon) minLon = lon;
        if (lon > maxLon) maxLon = lon;
        if (lat < minLat) minLat = lat;
        if (lat > maxLat) maxLat = lat;
        vertices++;
      }
    }
    if (vertices === 0) throw new Error(`${where(i)}: ${geometry.type} must have coordinates, found none`);
    kept.push({ geometry, population, aged60, urban });
  });
  if (kept.length === 0) {
    throw new Error(`${options.source ?? 'polygons'}: expected features with '${options.populationField}' > 0, found none in ${fc.features.length} features`);
  }

  const frame = gridFrameForBounds(minLon, minLat, maxLon, maxLat, cellSize);
  const cell: number[] = [], population: number[] = [], aged60: number[] = [], urbanClass: number[] = [];
  for (const f of kept) {
    const flat = frameRings(frame, f.geometry);
    // a 4×4 lattice of samples per cell estimates each cell's share of the polygon's area
    const counts = latticeSampleCounts(frame, flat);
    let total = 0;
    for (const c of counts.values()) total += c;
    if (total === 0) {
      // smaller than the sample spacing: all of it to the centroid's cell
      const [x, y] = centroid(flat, f.geometry);
      counts.set(frameCellAt(frame, x, y), 1);
      total = 1;
    }
    for (const [c, count] of counts) {
      cell.push(c);
      population.push((f.population * count) / total);
      aged60.push((f.aged60 * count) / total);
      urbanClass.push(f.urban);
    }
  }
  return gridFromCellShares(frame, {
    cell, population,
    aged60: options.aged60Field ? aged60 : undefined,
    urbanClass: options.urbanField ? urbanClass : undefined,
  });
}

function numberField(feature: Feature<Geometry | null>, field: string, where: string): number {
  const properties = feature.properties ?? {};
  if (!(field in properties)) {
    const names = Object.keys(properties);
    throw new Error(`${where}: field '${field}' is missing; found ${names.length ? names.slice(0, 12).join(', ') : 'no properties'}`);
  }
  const raw: unknown = properties[field];
  // shapefile conversions often carry numbers as strings
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value < 0 || value > MAX_POINT_POPULATION) throw new Error(`${where}: field '${field}' must be a number in [0, 1e8], found ${foundValue(raw)}`);
  return value;
}

function rings(geometry: Polygon | MultiPolygon): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/** Rings as flat [x, y, …] in frame metres. */
function frameRings(frame: GridFrame, geometry: Polygon | MultiPolygon): Float64Array[] {
  const { kx, ky, lon0, lat0 } = frame.projection;
  return rings(geometry).map((ring) => {
    const flat = new Float64Array(ring.length * 2);
    ring.forEach((p, k) => {
      flat[2 * k] = (p[0] - lon0) * kx;
      flat[2 * k + 1] = (p[1] - lat0) * ky;
    });
    return flat;
  });
}

/** Area centroid (frame metres) of the largest outer ring; the vertex mean if that ring has no area. */
function centroid(flat: Float64Array[], geometry: Polygon | MultiPolygon): [number, number] {
  // outer rings: the first of each polygon, at these positions in the flattened list
  const shells: number[] = [];
  if (geometry.type === 'Polygon') shells.push(0);
  else geometry.coordinates.reduce((at, polygon) => (shells.push(at), at + polygon.length), 0);
  let best: [number, number] = [NaN, NaN], bestArea = -1;
  for (const s of shells) {
    const ring = flat[s];
    const n = ring ? ring.length >> 1 : 0;
    if (n === 0) continue;
    let a2 = 0, cx = 0, cy = 0, mx = 0, my = 0;
    for (let k = 0; k < n; k++) {
      const q = (k + 1) % n;
      const xa = ring[2 * k], ya = ring[2 * k + 1], xb = ring[2 * q], yb = ring[2 * q + 1];
      const cross = xa * yb - xb * ya;
      a2 += cross;
      cx += (xa + xb) * cross;
      cy += (ya + yb) * cross;
      mx += xa;
      my += ya;
    }
    const area = Math.abs(a2) / 2;
    if (area <= bestArea) continue;
    bestArea = area;
    best = a2 !== 0 ? [cx / (3 * a2), cy / (3 * a2)] : [mx / n, my / n];
  }
  return best;
}

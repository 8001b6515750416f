/**
 * Places the planned facilities: in the county core (weighted by residents), around a seat or at a village
 * centre, then next to a road, and always inside the stated township and the county.
 */
import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { FACILITY_CATEGORIES, categoryById } from '../../../analysis/facilities/categories.ts';
import { createRng } from './random.ts';
import { segmentDistance, toLonLat, toXY } from './frame.ts';
import type { PlannedFacility } from './facility-plan.ts';
import type { PopulationCells } from './population.ts';
import type { RoadLine } from './roads.ts';
import type { Settlements } from './settlements.ts';
import type { Township } from './townships.ts';

const PREFIX: Record<string, string> = {
  county_hospital: 'CH', health_center: 'HC', community_health_center: 'CHC', community_health_station: 'CHS', village_clinic: 'VC',
  elderly_complex: 'EC', elderly_station: 'ES', day_care_center: 'DC', meal_point: 'MP', nursing_home: 'NH', mutual_aid_home: 'MA',
  kindergarten: 'KG', childcare: 'CC', primary_school: 'PS', middle_school: 'MS', culture_center: 'CU', culture_station: 'CS',
  culture_room: 'CR', sports_ground: 'SG', community_service_center: 'SC', village_service_station: 'VS', market: 'MK',
  fire_station: 'FS', emergency_base: 'EB',
};

/** A facility is never further than this from a road (metres). */
export const FACILITY_ROAD_REACH = 100;

export interface PlacedFacility {
  plan: PlannedFacility;
  lon: number;
  lat: number;
}

/**
 * Places every planned facility; throws when one cannot be put inside its township.
 *
 * @example const placed = placeFacilities(plan, zones, settlements, cells, roads, outline.ring, 20240601);
 */
export function placeFacilities(
  plan: PlannedFacility[], zones: Township[], s: Settlements, cells: PopulationCells, roads: RoadLine[], outlineRing: [number, number][], seed: number,
): PlacedFacility[] {
  const rng = createRng(seed, 'facility-placement');
  const segs: [number, number, number, number][] = [];
  for (const l of roads) {
    if (l.highway === 'motorway' || l.highway === 'motorway_link') continue;
    for (let k = 0; k + 3 < l.coords.length; k += 2) segs.push([l.coords[k], l.coords[k + 1], l.coords[k + 2], l.coords[k + 3]]);
  }
  const index = new Flatbush(segs.length);
  for (const [ax, ay, bx, by] of segs) index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
  index.finish();
  const nearestRoad = (x: number, y: number): { x: number; y: number; d: number } => {
    for (let r = 200; ; r *= 2) {
      let best: { x: number; y: number; d: number } | null = null;
      for (const i of index.search(x - r, y - r, x + r, y + r)) {
        const [ax, ay, bx, by] = segs[i];
        const h = segmentDistance(x, y, ax, ay, bx, by);
        if (!best || h.d < best.d) best = { x: ax + h.t * (bx - ax), y: ay + h.t * (by - ay), d: h.d };
      }
      if (best && best.d <= r) return best;
      if (r > 100000) throw new Error(`facilities: no road near (${x.toFixed(0)}, ${y.toFixed(0)})`);
    }
  };
  // urban cells per street, weighted by residents, for facilities in the county core
  const coreCells = new Map<number, { idx: number[]; cum: number[] }>();
  for (let i = 0; i < cells.count; i++) {
    const ti = cells.township[i];
    if (!cells.urban[i] || !zones[ti].urban) continue;
    if (!coreCells.has(ti)) coreCells.set(ti, { idx: [], cum: [] });
    const c = coreCells.get(ti)!;
    c.idx.push(i);
    c.cum.push((c.cum[c.cum.length - 1] ?? 0) + cells.population[i]);
  }
  const pickCell = (ti: number, central: boolean): [number, number] => {
    const c = coreCells.get(ti);
    if (!c) throw new Error(`facilities: township ${zones[ti].name} has no urban cells for a county-core facility`);
    for (;;) {
      const u = rng.next() * c.cum[c.cum.length - 1];
      let lo = 0, hi = c.cum.length - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (c.cum[mid] > u) hi = mid; else lo = mid + 1; }
      const i = c.idx[lo];
      if (!central || s.core.relDistance(cells.x[i], cells.y[i]) < 0.35) return [cells.x[i], cells.y[i]];
    }
  };
  // tested against the written outline, as the tests do
  const outline = turf.polygon([outlineRing]);
  return plan.map((f) => {
    const z = zones[f.township];
    const zone: Feature<Polygon | MultiPolygon> = z.lonlat.length === 1 ? turf.polygon(z.lonlat[0]) : turf.multiPolygon(z.lonlat);
    for (let attempt = 0; attempt < 200; attempt++) {
      let x: number, y: number;
      if (f.where.at === 'core') [x, y] = pickCell(f.township, f.where.central);
      else if (f.where.at === 'seat') {
        const bu = s.seats[f.township];
        const a = rng.range(0, 2 * Math.PI), r = bu.radius * 0.7 * Math.sqrt(rng.next());
        x = bu.cx + r * Math.cos(a); y = bu.cy + r * Math.sin(a);
      } else {
        const v = s.villages[f.where.site];
        const a = rng.range(0, 2 * Math.PI), r = rng.range(25, 140);
        x = v.x + r * Math.cos(a); y = v.y + r * Math.sin(a);
      }
      x += rng.range(-30, 30); y += rng.range(-30, 30);
      const road = nearestRoad(x, y);
      if (road.d > FACILITY_ROAD_REACH - 10) {
        const k = 30 / road.d;
        x = road.x + k * (x - road.x); y = road.y + k * (y - road.y);
      }
      const [lon, lat] = toLonLat(x, y);
      const [rx, ry] = toXY(lon, lat);
      if (nearestRoad(rx, ry).d > FACILITY_ROAD_REACH) continue;
      const pt = turf.point([lon, lat]);
      if (turf.booleanPointInPolygon(pt, zone) && turf.booleanPointInPolygon(pt, outline)) return { plan: f, lon, lat };
    }
    throw new Error(`facilities: could not place ${f.name} inside ${z.name} within ${FACILITY_ROAD_REACH} m of a road`);
  });
}

/**
 * GeoJSON features in category order, with stable ids (YC-HC-001…) and `capacity` set from the main field.
 *
 * @example const features = facilityFeatures(placed, zones);
 */
export function facilityFeatures(placed: PlacedFacility[], zones: Township[]): Feature<Point>[] {
  const order = new Map(FACILITY_CATEGORIES.map((c, i) => [c.id, i]));
  const sorted = placed.map((p, i) => ({ p, i })).sort((a, b) => order.get(a.p.plan.category)! - order.get(b.p.plan.category)! || a.i - b.i);
  const counter = new Map<string, number>();
  return sorted.map(({ p }) => {
    const f = p.plan;
    const cat = categoryById(f.category);
    const n = (counter.get(f.category) ?? 0) + 1;
    counter.set(f.category, n);
    const main = f.fields[cat.capacityFields[0]];
    const properties: Record<string, unknown> = {
      id: `YC-${PREFIX[f.category]}-${String(n).padStart(3, '0')}`,
      name: f.name,
      category: f.category,
      township_code: zones[f.township].code,
      status: 'existing',
    };
    if (f.category === 'kindergarten' || f.category === 'childcare' || f.category === 'nursing_home') properties.ownership = f.ownership;
    properties.capacity = typeof main === 'number' ? main : null;
    for (const key of cat.capacityFields) properties[key] = f.fields[key];
    for (const [key, v] of Object.entries(f.fields)) if (!(key in properties)) properties[key] = v;
    properties.synthetic = true;
    return { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } };
  });
}

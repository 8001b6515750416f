/**
 * Buildable land: small parcels (储备地块, 0.5–3 ha rotated rectangles) in the settlements of every township,
 * beside a road and never across one. Invented, not the land-use plan; a bureau replaces them with its own
 * layer (import kind `buildable`). Drawn from their own seeded stream, so no other layer changes with them.
 */
import Flatbush from 'flatbush';
import type { Feature, Polygon } from 'geojson';
import { createRng } from './random.ts';
import { distanceToBoundary, pointInMulti, ringArea, segmentDistance, toLonLat, toXY, type Ring } from './frame.ts';
import type { PopulationCells } from './population.ts';
import type { RoadLine } from './roads.ts';
import type { Township } from './townships.ts';

/** A parcel's centre is at most this far from a road a vehicle may use (not the motorway). */
export const BUILDABLE_ROAD_REACH = 150;
/** Parcel areas, hectares. */
export const PARCEL_HA: [number, number] = [0.5, 3];
/** Cells with fewer residents are farmhouses, not a settlement. */
const MIN_RESIDENTS = 8;
// a seed cell lies this close to a road; the centre's jitter keeps the parcel within BUILDABLE_ROAD_REACH
const SEED_REACH = 100;
const JITTER = 12;
// clear gaps: to another parcel, to a road, to the township border
const GAP = 10, SETBACK = 5, BORDER = 5;

export interface BuildableParcel {
  township: number;
  /** 1-based within the township */
  number: number;
  /** closed ring in WGS84, counter-clockwise, rounded to 6 decimals: the geometry that is written */
  ring: [number, number][];
  /** area of the written ring, hectares */
  areaHa: number;
}

/** Parcels per township: a few everywhere, more where more people live. */
function quotas(zones: Township[], cells: PopulationCells): number[] {
  const pop = zones.map(() => 0);
  let total = 0;
  for (let i = 0; i < cells.count; i++) { pop[cells.township[i]] += cells.population[i]; total += cells.population[i]; }
  return pop.map((p) => 5 + Math.round((200 * p) / total));
}

// Liang–Barsky: does segment a→b (in the parcel's own frame) enter the box |u| <= hw, |v| <= hh?
function segmentHitsBox(au: number, av: number, bu: number, bv: number, hw: number, hh: number): boolean {
  let t0 = 0, t1 = 1;
  const du = bu - au, dv = bv - av;
  for (const [p, q] of [[-du, au + hw], [du, hw - au], [-dv, av + hh], [dv, hh - av]]) {
    if (p === 0) { if (q < 0) return false; continue; }
    const t = q / p;
    if (p < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
  }
  return true;
}

/**
 * Places the parcels township by township, in township order; throws when a township gets none.
 *
 * @example const parcels = buildBuildable(zones, cells, roads.lines, 20240601);
 */
export function buildBuildable(zones: Township[], cells: PopulationCells, roads: RoadLine[], seed: number): BuildableParcel[] {
  const rng = createRng(seed, 'buildable');
  // every road blocks (a parcel never straddles one); only roads a vehicle may use give access
  const segs: number[] = [], access: number[] = [];
  for (const l of roads) {
    const usable = l.highway !== 'motorway' && l.highway !== 'motorway_link' && l.highway !== 'footway';
    for (let k = 0; k + 3 < l.coords.length; k += 2) {
      if (usable) access.push(segs.length / 4);
      segs.push(l.coords[k], l.coords[k + 1], l.coords[k + 2], l.coords[k + 3]);
    }
  }
  const all = new Flatbush(segs.length / 4), usable = new Flatbush(access.length);
  for (let s = 0; s < segs.length / 4; s++) all.add(Math.min(segs[4 * s], segs[4 * s + 2]), Math.min(segs[4 * s + 1], segs[4 * s + 3]), Math.max(segs[4 * s], segs[4 * s + 2]), Math.max(segs[4 * s + 1], segs[4 * s + 3]));
  for (const s of access) usable.add(Math.min(segs[4 * s], segs[4 * s + 2]), Math.min(segs[4 * s + 1], segs[4 * s + 3]), Math.max(segs[4 * s], segs[4 * s + 2]), Math.max(segs[4 * s + 1], segs[4 * s + 3]));
  all.finish();
  usable.finish();
  const nearestAccess = (x: number, y: number, r: number): { d: number; angle: number } | null => {
    let best: { d: number; angle: number } | null = null;
    for (const j of usable.search(x - r, y - r, x + r, y + r)) {
      const s = access[j];
      const { d } = segmentDistance(x, y, segs[4 * s], segs[4 * s + 1], segs[4 * s + 2], segs[4 * s + 3]);
      if (d <= r && (!best || d < best.d)) best = { d, angle: Math.atan2(segs[4 * s + 3] - segs[4 * s + 1], segs[4 * s + 2] - segs[4 * s]) };
    }
    return best;
  };

  // seed cells: settled (not farmhouses) and beside a usable road, weighted by residents
  const seeds = zones.map(() => ({ idx: [] as number[], cum: [] as number[] }));
  for (let i = 0; i < cells.count; i++) {
    if (cells.population[i] < MIN_RESIDENTS || !nearestAccess(cells.x[i], cells.y[i], SEED_REACH)) continue;
    const c = seeds[cells.township[i]];
    c.idx.push(i);
    c.cum.push((c.cum[c.cum.length - 1] ?? 0) + cells.population[i]);
  }

  const out: BuildableParcel[] = [];
  const quota = quotas(zones, cells);
  zones.forEach((z, ti) => {
    const c = seeds[ti];
    if (c.idx.length === 0) throw new Error(`buildable: township ${z.name} has no settled cell within ${SEED_REACH} m of a road`);
    const placed: { x: number; y: number; r: number }[] = [];
    for (let attempt = 0; attempt < quota[ti] * 300 && placed.length < quota[ti]; attempt++) {
      const u = rng.next() * c.cum[c.cum.length - 1];
      let lo = 0, hi = c.cum.length - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (c.cum[mid] > u) hi = mid; else lo = mid + 1; }
      const cell = c.idx[lo];
      const ha = Math.exp(rng.range(Math.log(PARCEL_HA[0]), Math.log(PARCEL_HA[1])));
      const aspect = rng.range(1, 1.8);
      const w = Math.sqrt(ha * 1e4 * aspect), h = (ha * 1e4) / w;
      const x = cells.x[cell] + rng.range(-JITTER, JITTER), y = cells.y[cell] + rng.range(-JITTER, JITTER);
      const road = nearestAccess(x, y, BUILDABLE_ROAD_REACH - 10);
      if (!road) continue;
      // parcels face their road, give or take a few degrees
      const a = road.angle + rng.range(-0.14, 0.14);
      const r = Math.hypot(w, h) / 2;
      if (placed.some((p) => Math.hypot(p.x - x, p.y - y) < p.r + r + GAP)) continue;
      if (!pointInMulti(x, y, z.polys) || distanceToBoundary(x, y, z.polys) < r + BORDER) continue;
      const cos = Math.cos(a), sin = Math.sin(a);
      const crosses = all.search(x - r - SETBACK, y - r - SETBACK, x + r + SETBACK, y + r + SETBACK).some((s) => {
        const ax = segs[4 * s] - x, ay = segs[4 * s + 1] - y, bx = segs[4 * s + 2] - x, by = segs[4 * s + 3] - y;
        return segmentHitsBox(ax * cos + ay * sin, -ax * sin + ay * cos, bx * cos + by * sin, -bx * sin + by * cos, w / 2 + SETBACK, h / 2 + SETBACK);
      });
      if (crosses) continue;
      const corners: Ring = [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]].map(([du, dv]) => [x + du * cos - dv * sin, y + du * sin + dv * cos]);
      const ring = corners.map(([px, py]) => toLonLat(px, py));
      ring.push(ring[0]);
      const areaHa = Math.round(Math.abs(ringArea(ring.map(([lon, lat]) => toXY(lon, lat)))) / 100) / 100;
      placed.push({ x, y, r });
      out.push({ township: ti, number: placed.length, ring, areaHa });
    }
    if (placed.length === 0) throw new Error(`buildable: found no place for a parcel in ${z.name}`);
  });
  return out;
}

/**
 * The written features: 地块名称 and name `<township>-储备地块-NN`, the township's code and name, area_ha.
 *
 * @example const features = buildableFeatures(parcels, zones);
 */
export function buildableFeatures(parcels: BuildableParcel[], zones: Township[]): Feature<Polygon>[] {
  return parcels.map((p) => {
    const name = `${zones[p.township].name}-储备地块-${String(p.number).padStart(2, '0')}`;
    return {
      type: 'Feature',
      properties: { 地块名称: name, name, township_code: zones[p.township].code, township: zones[p.township].name, area_ha: p.areaHa, synthetic: true },
      geometry: { type: 'Polygon', coordinates: [p.ring] },
    };
  });
}

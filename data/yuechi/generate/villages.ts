/**
 * Village zones: one generated polygon per real village or community (村/社区) that partitions its township's
 * zone. Real village boundaries are not known here; a zone is the Voronoi cell of the village's generated
 * centre among its township's centres, clipped to the township, so the grid's clusters fall in their own zone.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { bboxOfMulti, toLonLat, type MultiRings } from './frame.ts';
import type { VillageSite } from './settlements.ts';
import type { Township } from './townships.ts';

export interface VillageZone {
  /** 12-digit 统计用区划代码 (real) */
  code: string;
  /** short name, e.g. 花园坪村 (real) */
  name: string;
  kind: VillageSite['kind'];
  /** index into the township list */
  township: number;
  /** zone in WGS84, rounded to 6 decimals: the geometry that is written */
  lonlat: [number, number][][][];
}

// rounding to 6 decimals can land two neighbours on one point: drop the repeat, keep the ring closed
function roundRing(ring: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [x, y] of ring) {
    const p = toLonLat(x, y), q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  if (out.length < 4) throw new Error(`villages: a ring of ${ring.length} points collapses to ${out.length} when rounded`);
  return out;
}

function asTurf(polys: MultiRings): Feature<Polygon | MultiPolygon> {
  return polys.length === 1 ? turf.polygon(polys[0]) : turf.multiPolygon(polys);
}

/**
 * Builds the zones of every township's villages, in the sites' (code) order. Deterministic: no randomness,
 * only the sites and township zones already generated.
 *
 * @example const zones = buildVillageZones(townships, settlements.villages);
 */
export function buildVillageZones(townships: Township[], sites: VillageSite[]): VillageZone[] {
  const out: VillageZone[] = [];
  townships.forEach((t, ti) => {
    const mine = sites.filter((s) => s.township === ti);
    if (mine.length === 0) throw new Error(`villages: township ${t.name} has no village in the village list`);
    const zone = asTurf(t.polys);
    const [x0, y0, x1, y1] = bboxOfMulti(t.polys);
    // the box only has to hold the township; its cells are cut to the township anyway
    const cells = mine.length === 1 ? null : turf.voronoi(turf.featureCollection(mine.map((s) => turf.point([s.x, s.y]))), { bbox: [x0 - 1000, y0 - 1000, x1 + 1000, y1 + 1000] });
    mine.forEach((s, k) => {
      let shape: Feature<Polygon | MultiPolygon> | null = zone;
      if (cells) {
        const cell = cells.features[k];
        if (!cell) throw new Error(`villages: no Voronoi cell for ${s.name} (${s.code}); two village centres of ${t.name} coincide`);
        shape = turf.intersect(turf.featureCollection([cell, zone])) as Feature<Polygon | MultiPolygon> | null;
      }
      if (!shape) throw new Error(`villages: the zone of ${s.name} (${s.code}) misses ${t.name}; its centre must lie inside the township`);
      const g = shape.geometry;
      const multi = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as [number, number][][][];
      out.push({ code: s.code, name: s.name, kind: s.kind, township: ti, lonlat: multi.map((rings) => rings.map(roundRing)) });
    });
  });
  return out;
}

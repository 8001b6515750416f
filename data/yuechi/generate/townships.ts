/**
 * Township zones: 27 generated polygons that partition the real outline. Seats other than the county seat are
 * invented (their real positions are not known here); borders are a Voronoi diagram of the seats, bent by a
 * smooth noise field so they do not look ruled, then clipped to the outline.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { createNoise, createRng } from './random.ts';
import { bboxOfMulti, pointInMulti, toLonLat, toXY, distanceToBoundary, type MultiRings, type Ring } from './frame.ts';
import { townshipType, type Division } from './sources.ts';

export interface Township {
  code: string;
  name: string;
  type: '街道' | '镇' | '乡';
  urban: boolean;
  /** seat in the metre frame */
  seat: [number, number];
  /** zone in WGS84, rounded to 6 decimals: the geometry that is written */
  lonlat: [number, number][][][];
  /** the same zone in metres, projected from the rounded coordinates */
  polys: MultiRings;
  /** 0–1, from the number of villages: drives seat size and rural density */
  size: number;
}

/** Real county seat (九龙街道) is the frame origin; 朝阳街道's seat is generated 2.6 km east-south-east of it. */
const JIULONG_SEAT: [number, number] = [0, 0];
const CHAOYANG_SEAT: [number, number] = [2550, -500];
const MIN_FROM_COUNTY_SEAT = 7600;
const MIN_FROM_BORDER = 2300;

/** Lattice points inside the polygons, by scanline (the even-odd rule of pointInMulti, row by row). */
function sampleInside(outline: MultiRings, step: number): [number, number][] {
  const [x0, y0, x1, y1] = bboxOfMulti(outline);
  const out: [number, number][] = [];
  for (let y = Math.ceil(y0 / step) * step; y <= y1; y += step) {
    const xs: number[] = [];
    for (const rings of outline) for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y)) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    }
    xs.sort((a, b) => a - b);
    for (let x = Math.ceil(x0 / step) * step, k = 0; x <= x1; x += step) {
      while (k < xs.length && xs[k] <= x) k++;
      if ((xs.length - k) % 2 === 1) out.push([x, y]);
    }
  }
  return out;
}

function nearest(p: [number, number], seats: [number, number][]): number {
  let best = 0, bd = Infinity;
  for (let i = 0; i < seats.length; i++) {
    const dx = seats[i][0] - p[0], dy = seats[i][1] - p[1], d = dx * dx + dy * dy;
    if (d < bd) { bd = d; best = i; }
  }
  return best;
}

/** Best-candidate seats, then a few damped Lloyd steps; the two street seats stay where they are. */
function placeSeats(outline: MultiRings, count: number, seed: number): [number, number][] {
  const rng = createRng(seed, 'township-seats');
  const samples = sampleInside(outline, 250);
  const ok = (p: [number, number]) => Math.hypot(p[0], p[1]) >= MIN_FROM_COUNTY_SEAT && distanceToBoundary(p[0], p[1], outline) >= MIN_FROM_BORDER;
  const seats: [number, number][] = [JIULONG_SEAT, CHAOYANG_SEAT];
  while (seats.length < count + 2) {
    let best: [number, number] | null = null, bestD = -1;
    for (let k = 0; k < 30; k++) {
      const c = samples[Math.floor(rng.next() * samples.length)];
      if (!ok(c)) continue;
      let d = Infinity;
      for (const s of seats) d = Math.min(d, Math.hypot(s[0] - c[0], s[1] - c[1]));
      if (d > bestD) { bestD = d; best = c; }
    }
    if (best) seats.push([best[0], best[1]]);
  }
  for (let it = 0; it < 6; it++) {
    const sx = new Float64Array(seats.length), sy = new Float64Array(seats.length), n = new Float64Array(seats.length);
    for (const p of samples) {
      const i = nearest(p, seats);
      sx[i] += p[0]; sy[i] += p[1]; n[i]++;
    }
    for (let i = 2; i < seats.length; i++) {
      if (n[i] === 0) continue;
      const cand: [number, number] = [seats[i][0] + 0.55 * (sx[i] / n[i] - seats[i][0]), seats[i][1] + 0.55 * (sy[i] / n[i] - seats[i][1])];
      if (pointInMulti(cand[0], cand[1], outline) && ok(cand)) seats[i] = cand;
    }
  }
  return seats;
}

/** Zone area (km²) per seat, by nearest-seat counting on a 250 m lattice. */
function zoneAreas(outline: MultiRings, seats: [number, number][]): number[] {
  const n = new Array(seats.length).fill(0);
  for (const p of sampleInside(outline, 250)) n[nearest(p, seats)]++;
  return n.map((c) => (c * 250 * 250) / 1e6);
}

function densify(a: [number, number], b: [number, number], step: number): [number, number][] {
  // interpolate from the lexically smaller end, so the two zones sharing this edge get identical points
  const flip = a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
  const [p, q] = flip ? [b, a] : [a, b];
  const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
  const n = Math.max(1, Math.ceil(len / step));
  const pts: [number, number][] = [];
  for (let k = 0; k < n; k++) pts.push([p[0] + ((q[0] - p[0]) * k) / n, p[1] + ((q[1] - p[1]) * k) / n]);
  pts.push([q[0], q[1]]);
  if (flip) pts.reverse();
  return pts.slice(0, -1);
}

/**
 * The outline cut to the bbox of `ring` plus `pad` (Sutherland–Hodgman), so the exact clip runs on a few hundred
 * vertices instead of the whole county; edges the cut leaves along the box lie outside `ring`.
 */
function clipRingToBox(outline: Ring, ring: Ring, pad: number): Ring {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of ring) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  x0 -= pad; y0 -= pad; x1 += pad; y1 += pad;
  let pts: Ring = outline.slice(0, -1);
  const edges: [(p: [number, number]) => boolean, (a: [number, number], b: [number, number]) => [number, number]][] = [
    [(p) => p[0] >= x0, (a, b) => [x0, a[1] + ((b[1] - a[1]) * (x0 - a[0])) / (b[0] - a[0])]],
    [(p) => p[0] <= x1, (a, b) => [x1, a[1] + ((b[1] - a[1]) * (x1 - a[0])) / (b[0] - a[0])]],
    [(p) => p[1] >= y0, (a, b) => [a[0] + ((b[0] - a[0]) * (y0 - a[1])) / (b[1] - a[1]), y0]],
    [(p) => p[1] <= y1, (a, b) => [a[0] + ((b[0] - a[0]) * (y1 - a[1])) / (b[1] - a[1]), y1]],
  ];
  for (const [inside, cut] of edges) {
    const out: Ring = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i], prev = pts[(i + pts.length - 1) % pts.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cut(prev, cur));
    }
    pts = out;
  }
  if (pts.length < 3) throw new Error('townships: a zone lies outside the outline; its seat must be inside the county');
  return [...pts, [pts[0][0], pts[0][1]]];
}

function geometryToMulti(g: Polygon | MultiPolygon): [number, number][][][] {
  return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as [number, number][][][];
}

/**
 * Builds the 27 zones. `villageCount[code]` (from the real village list) ranks towns by size, so towns with
 * more villages get larger zones and seats.
 *
 * @example const zones = buildTownships(outlineXY, divisions, counts, 20240601);
 */
export function buildTownships(outline: MultiRings, divisions: Division[], villageCount: Map<string, number>, seed: number): Township[] {
  const streets = divisions.filter((d) => townshipType(d.name) === '街道');
  const towns = divisions.filter((d) => townshipType(d.name) !== '街道');
  if (streets.length !== 2 || streets[0].name !== '九龙街道' || streets[1].name !== '朝阳街道') {
    throw new Error(`townships: expected the streets 九龙街道 and 朝阳街道 first, found ${streets.map((s) => s.name).join(', ')}`);
  }
  const seats = placeSeats(outline, towns.length, seed);
  const areas = zoneAreas(outline, seats);
  const rng = createRng(seed, 'township-names');
  // the largest zones go to the towns with most villages, with some shuffling so the match is loose
  const townOrder = towns.map((t, i) => ({ i, key: (villageCount.get(t.code) ?? 5) * rng.range(0.75, 1.3) })).sort((a, b) => b.key - a.key || a.i - b.i);
  const seatOrder = seats.slice(2).map((_, k) => ({ k: k + 2, a: areas[k + 2] })).sort((a, b) => b.a - a.a || a.k - b.k);
  const seatOf = new Map<string, number>();
  streets.forEach((s, i) => seatOf.set(s.code, i));
  townOrder.forEach((t, r) => seatOf.set(towns[t.i].code, seatOrder[r].k));

  const maxVillages = Math.max(...towns.map((t) => villageCount.get(t.code) ?? 0));
  const [bx0, by0, bx1, by1] = bboxOfMulti(outline);
  const pad = 20000;
  const pts = turf.featureCollection(seats.map((s, i) => turf.point(s, { i })));
  const cells = turf.voronoi(pts, { bbox: [bx0 - pad, by0 - pad, bx1 + pad, by1 + pad] });
  const wiggleX = createNoise(seed + 11, 3800, 3), wiggleY = createNoise(seed + 12, 3800, 3);
  const AMP = 560;

  return divisions.map((d) => {
    const k = seatOf.get(d.code)!;
    const cell = cells.features[k];
    if (!cell) throw new Error(`townships: Voronoi cell missing for seat ${k} (${d.name}); seats must be distinct`);
    const ring = cell.geometry.coordinates[0] as [number, number][];
    const bent: Ring = [];
    for (let i = 0; i + 1 < ring.length; i++) {
      for (const p of densify(ring[i], ring[i + 1], 250)) {
        bent.push([p[0] + AMP * (2 * wiggleX(p[0], p[1]) - 1), p[1] + AMP * (2 * wiggleY(p[0], p[1]) - 1)]);
      }
    }
    bent.push([bent[0][0], bent[0][1]]);
    const near = turf.polygon([clipRingToBox(outline[0][0], bent, 50)]);
    const clipped = turf.intersect(turf.featureCollection([turf.polygon([bent]), near])) as Feature<Polygon | MultiPolygon> | null;
    if (!clipped) throw new Error(`townships: zone of ${d.name} does not meet the outline; its seat lies outside the county`);
    const lonlat = geometryToMulti(clipped.geometry).map((rings) => rings.map((r) => r.map(([x, y]) => toLonLat(x, y))));
    const polys: MultiRings = lonlat.map((rings) => rings.map((r) => r.map(([lon, lat]) => toXY(lon, lat))));
    const type = townshipType(d.name);
    const size = type === '街道' ? 1 : Math.min(1, (villageCount.get(d.code) ?? 5) / maxVillages);
    return { code: d.code, name: d.name, type, urban: type === '街道', seat: seats[k], lonlat, polys, size };
  });
}

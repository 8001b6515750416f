import { createLocalProjection, type LocalProjection } from '../../../analysis/geo/local-projection.ts';

/** A polygon as rings of [x, y] (first ring outer, the rest holes); a zone may have several polygons. */
export type Ring = [number, number][];
export type Rings = Ring[];
export type MultiRings = Rings[];

/** The generator's working frame: metres east/north of the county seat. */
export const SEAT_LON = 106.437;
export const SEAT_LAT = 30.536;
export const frame: LocalProjection = createLocalProjection(SEAT_LON, SEAT_LAT);

/** Rounds to 6 decimals (≈0.1 m), the precision every output coordinate is written with. */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

export function toLonLat(x: number, y: number): [number, number] {
  const [lon, lat] = frame.inverse(x, y);
  return [round6(lon), round6(lat)];
}

export function toXY(lon: number, lat: number): [number, number] {
  return frame.forward(lon, lat);
}

/** Even-odd point-in-polygon over all rings of all polygons (holes included), as the crossing-number test. */
export function pointInMulti(x: number, y: number, polys: MultiRings): boolean {
  for (const rings of polys) {
    let inside = false;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}

export function bboxOfMulti(polys: MultiRings): [number, number, number, number] {
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  for (const rings of polys) for (const [x, y] of rings[0]) {
    if (x < a) a = x;
    if (y < b) b = y;
    if (x > c) c = x;
    if (y > d) d = y;
  }
  return [a, b, c, d];
}

/** Signed shoelace area of a ring (positive counter-clockwise). */
export function ringArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}

export function multiArea(polys: MultiRings): number {
  let s = 0;
  for (const rings of polys) rings.forEach((r, k) => { s += k === 0 ? Math.abs(ringArea(r)) : -Math.abs(ringArea(r)); });
  return s;
}

/** Area-weighted centroid of the largest polygon. */
export function centroidOfMulti(polys: MultiRings): [number, number] {
  let best = polys[0], bestA = -1;
  for (const p of polys) {
    const a = Math.abs(ringArea(p[0]));
    if (a > bestA) { bestA = a; best = p; }
  }
  const ring = best[0];
  let cx = 0, cy = 0, a2 = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
    a2 += f;
  }
  return [cx / (3 * a2), cy / (3 * a2)];
}

/** Distance from (px,py) to segment (ax,ay)-(bx,by), and the parameter of the nearest point. */
export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): { d: number; t: number } {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  if (t < 0) t = 0; else if (t > 1) t = 1;
  const ex = ax + t * dx - px, ey = ay + t * dy - py;
  return { d: Math.sqrt(ex * ex + ey * ey), t };
}

/** Distance from a point to the boundary of a set of polygons. */
export function distanceToBoundary(x: number, y: number, polys: MultiRings): number {
  let best = Infinity;
  for (const rings of polys) for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const { d } = segmentDistance(x, y, ring[j][0], ring[j][1], ring[i][0], ring[i][1]);
      if (d < best) best = d;
    }
  }
  return best;
}

/** A boolean mask of polygons on a square lattice, for cheap inside tests of many sample points. */
export interface Mask {
  inside(x: number, y: number): boolean;
}

/**
 * Rasterises polygons at `step` metres by scanlines (cell centres, even-odd rule).
 *
 * @example const m = createMask(outline, 50); m.inside(120, -40);
 */
export function createMask(polys: MultiRings, step: number): Mask {
  const [x0, y0, x1, y1] = bboxOfMulti(polys);
  const cols = Math.ceil((x1 - x0) / step) + 1, rows = Math.ceil((y1 - y0) / step) + 1;
  const bits = new Uint8Array(cols * rows);
  const cross: number[][] = Array.from({ length: rows }, () => []);
  for (const rings of polys) for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      const r0 = Math.max(0, Math.floor((Math.min(yi, yj) - y0) / step) - 1);
      const r1 = Math.min(rows - 1, Math.ceil((Math.max(yi, yj) - y0) / step) + 1);
      for (let r = r0; r <= r1; r++) {
        const y = y0 + (r + 0.5) * step;
        if ((yi > y) !== (yj > y)) cross[r].push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    }
  }
  for (let r = 0; r < rows; r++) {
    const xs = cross[r].sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(0, Math.ceil((xs[k] - x0) / step - 0.5)), c1 = Math.min(cols - 1, Math.floor((xs[k + 1] - x0) / step - 0.5));
      for (let c = c0; c <= c1; c++) bits[r * cols + c] = 1;
    }
  }
  return {
    inside: (x, y) => {
      const c = Math.floor((x - x0) / step), r = Math.floor((y - y0) / step);
      return c >= 0 && r >= 0 && c < cols && r < rows && bits[r * cols + c] === 1;
    },
  };
}

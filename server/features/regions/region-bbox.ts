import type { Geometry } from 'geojson';

export type BBox = [number, number, number, number];

/**
 * Bounding box [minLon, minLat, maxLon, maxLat] of geometries and loose points; null when there are none.
 *
 * @example bboxOf([outline], []) // [106.1, 30.3, 106.7, 30.8]
 */
export function bboxOf(geometries: (Geometry | null)[], points: { lon: ArrayLike<number>; lat: ArrayLike<number> }[] = []): BBox | null {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number) => {
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  };
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') add(c[0], c[1] as number);
    else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  for (const g of geometries) {
    if (!g) continue;
    if (g.type === 'GeometryCollection') g.geometries.forEach((x) => walk('coordinates' in x ? x.coordinates : []));
    else walk(g.coordinates);
  }
  for (const p of points) for (let i = 0; i < p.lon.length; i++) add(p.lon[i], p.lat[i]);
  return b[0] <= b[2] ? b : null;
}

/** The union of two boxes, either of which may be missing. */
export function unionBBox(a: BBox | null, b: BBox | null): BBox | null {
  if (!a) return b;
  if (!b) return a;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

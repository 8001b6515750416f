import type { MultiPolygon, Polygon, Position } from 'geojson';

/**
 * Whether (lon, lat) lies inside a Polygon or MultiPolygon, holes excluded (even-odd ray casting over
 * every ring, so a hole's ring cancels its shell). Points exactly on an edge may fall either way.
 *
 * @example
 * pointInPolygon(0.5, 0.5, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] }) // true
 */
export function pointInPolygon(lon: number, lat: number, geometry: Polygon | MultiPolygon): boolean {
  let inside = false;
  if (geometry.type === 'Polygon') {
    for (const ring of geometry.coordinates) if (crossesOdd(lon, lat, ring)) inside = !inside;
  } else {
    for (const polygon of geometry.coordinates) {
      for (const ring of polygon) if (crossesOdd(lon, lat, ring)) inside = !inside;
    }
  }
  return inside;
}

/** Whether a ray east from the point crosses the ring an odd number of times; closed or open rings alike. */
function crossesOdd(x: number, y: number, ring: Position[]): boolean {
  let odd = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
    // half-open in y so a vertex on the ray is counted once
    if ((yi > y) !== (yj > y) && x < xj + ((y - yj) * (xi - xj)) / (yi - yj)) odd = !odd;
  }
  return odd;
}

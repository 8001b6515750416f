import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon } from 'geojson';

/**
 * A flatbush index of polygon bounding boxes in lon/lat, item i = polygons[i]; an empty polygon gets a box no
 * point falls in. `check` sees every position first (to reject projected coordinates, say).
 *
 * @example const index = polygonIndex(units.map((f) => f.geometry)); index.search(lon, lat, lon, lat);
 */
export function polygonIndex(polygons: ReadonlyArray<Polygon | MultiPolygon>, check?: (p: number[]) => void): Flatbush {
  const index = new Flatbush(Math.max(1, polygons.length));
  for (const g of polygons) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const ring of g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()) {
      for (const p of ring) {
        check?.(p);
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
    }
    if (minX > maxX) index.add(Infinity, Infinity, Infinity, Infinity);
    else index.add(minX, minY, maxX, maxY);
  }
  if (polygons.length === 0) index.add(Infinity, Infinity, Infinity, Infinity);
  index.finish();
  return index;
}

import type { MultiPolygon, Polygon, Position } from 'geojson';
// single Turf modules: the whole @turf/turf takes ~0.4 s to load, most of a CLI start
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { polygon as turfPolygon } from '@turf/helpers';
import { kinks } from '@turf/kinks';
import unkinkPolygon from '@turf/unkink-polygon';

/**
 * Why a polygon is not valid in the OGC sense PostGIS's ST_IsValid applies, or null: a ring with fewer than 4
 * positions, a ring crossing itself or another ring (a bow tie), a hole outside its shell. Overlapping parts of
 * a MultiPolygon are not looked for.
 *
 * @example polygonProblem({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] }) // 'self-intersection at [0.5, 0.5]'
 */
export function polygonProblem(g: Polygon | MultiPolygon): string | null {
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (let p = 0; p < parts.length; p++) {
    const rings = parts[p];
    const at = parts.length > 1 ? ` (part ${p})` : '';
    for (let r = 0; r < rings.length; r++) {
      if (rings[r].length < 4) return `ring ${r}${at} has ${rings[r].length} positions, a ring needs at least 4 (first = last)`;
    }
    const crossing = kinks(turfPolygon(rings)).features[0];
    if (crossing) return `self-intersection at [${crossing.geometry.coordinates.map((c) => +c.toFixed(6)).join(', ')}]${at}`;
    const shell = turfPolygon([rings[0]]);
    for (let r = 1; r < rings.length; r++) {
      if (!booleanPointInPolygon(rings[r][0] as Position, shell)) return `hole ${r}${at} lies outside its shell`;
    }
  }
  return null;
}

/**
 * The repair an explicit `make-valid` option applies: self-crossing rings split at their crossings into a
 * MultiPolygon, as ST_MakeValid does for a bow tie. What it cannot mend stays invalid and is reported.
 *
 * @example makeValid(bowTie).type // 'MultiPolygon'
 */
export function makeValid(g: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const out: Position[][][] = [];
  for (const rings of parts) {
    const poly = turfPolygon(rings);
    if (kinks(poly).features.length === 0) out.push(rings);
    else for (const f of unkinkPolygon(poly).features) out.push(f.geometry.coordinates);
  }
  return out.length === 1 ? { type: 'Polygon', coordinates: out[0] } : { type: 'MultiPolygon', coordinates: out };
}

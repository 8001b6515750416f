import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { parseFeatureCollection } from './parse-feature-collection.ts';
import { polygonProblem } from './polygon-validity.ts';
import { readTextFile } from './read-text-file.ts';

/**
 * Reads buildable-land polygons (.geojson/.json, optionally .gz) in WGS 84: every feature a valid Polygon or
 * MultiPolygon, else an error naming the feature; an empty layer is refused (siting on it would choose nothing).
 *
 * @example const parcels = await readBuildable('data/yuechi/buildable.geojson.gz'); parcels[0].properties.name;
 */
export async function readBuildable(path: string): Promise<Feature<Polygon | MultiPolygon>[]> {
  if (!/\.(geo)?json(\.gz)?$/i.test(path)) throw new Error(`${path}: unknown buildable-land format; expected .geojson, .json or .geojson.gz`);
  const fc = parseFeatureCollection(await readTextFile(path), path);
  if (fc.features.length === 0) throw new Error(`${path}: expected buildable-land polygons, found an empty FeatureCollection`);
  return fc.features.map((f, i) => {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) throw new Error(`${path} feature ${i}: geometry must be a Polygon or MultiPolygon, found ${g ? g.type : 'null'}`);
    for (const ring of g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()) {
      for (const p of ring) {
        if (!(Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90)) throw new Error(`${path} feature ${i}: coordinates must be lon/lat degrees (WGS 84), found [${p[0]}, ${p[1]}]`);
      }
    }
    const problem = polygonProblem(g);
    if (problem) throw new Error(`${path} feature ${i}: not a valid polygon: ${problem}`);
    return f as Feature<Polygon | MultiPolygon>;
  });
}

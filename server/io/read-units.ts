import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AdminUnits } from '../../analysis/grid/assign-units.ts';
import { parseFeatureCollection } from './parse-feature-collection.ts';
import { readTextFile } from './read-text-file.ts';

const NAME_FIELDS = ['name', 'NAME', '名称'];
const CODE_FIELDS = ['code', 'adcode', 'id'];

/**
 * Reads administrative-unit polygons (.geojson/.json, optionally .gz): name from name/NAME/名称, code
 * from code/adcode/id (or the feature id), each falling back to the feature's index.
 *
 * @example const townships = await readUnits('data/yuechi/townships.geojson');
 */
export async function readUnits(path: string): Promise<AdminUnits> {
  if (!/\.(geo)?json(\.gz)?$/i.test(path)) {
    throw new Error(`${path}: unknown admin-unit format; expected .geojson, .json or .geojson.gz`);
  }
  const fc = parseFeatureCollection(await readTextFile(path), path);
  if (fc.features.length === 0) throw new Error(`${path}: expected admin-unit polygons, found an empty FeatureCollection`);
  const names: string[] = [], codes: string[] = [], features: Feature<Polygon | MultiPolygon>[] = [];
  fc.features.forEach((f, i) => {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      throw new Error(`${path} feature ${i}: geometry must be a Polygon or MultiPolygon, found ${g ? g.type : 'null'}`);
    }
    // projected coordinates would silently match no cell; catch them here
    for (const ring of g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()) {
      for (const p of ring) {
        if (!(Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90)) {
          throw new Error(`${path} feature ${i}: coordinates must be lon/lat degrees (WGS 84), found [${p[0]}, ${p[1]}]`);
        }
      }
    }
    const props = f.properties ?? {};
    const name = NAME_FIELDS.map((k) => props[k]).find(present);
    const code = [...CODE_FIELDS.map((k) => props[k]), f.id].find(present);
    names.push(name === undefined ? String(i) : String(name));
    codes.push(code === undefined ? String(i) : String(code));
    features.push(f as Feature<Polygon | MultiPolygon>);
  });
  return { names, codes, features };
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

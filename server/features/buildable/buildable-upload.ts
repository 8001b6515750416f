import booleanIntersects from '@turf/boolean-intersects';
import type { BBox, MultiPolygon, Polygon } from 'geojson';
import { AppError } from '../../app/app-error.ts';
import { polygonProblem } from '../../io/polygon-validity.ts';
import type { RowProblem } from '../../io/row-problem.ts';
import { uploadFeatures, type Upload } from '../imports/upload-sources.ts';
import type { BuildableParcel } from './buildable.repository.ts';
import { parcelName } from './parcel-name-fields.ts';


/**
 * Buildable-land polygons from an upload: every feature a valid Polygon or MultiPolygon that touches the
 * region (its outline, or its bbox when it has none). A bad feature is a 4xx naming it; with `problems`,
 * each is listed and reading goes on (the preview). An empty layer is refused: siting on it would choose nothing.
 *
 * @example const parcels = await buildableFromUpload(upload, { name: '岳池县', outline, bbox });
 */
export async function buildableFromUpload(u: Upload, region: { name: string; outline: Polygon | MultiPolygon | null; bbox: BBox | null }, problems?: RowProblem[]): Promise<BuildableParcel[]> {
  const fc = await uploadFeatures(u);
  if (fc.features.length === 0) {
    throw new AppError('invalid_file', `${u.fileName}: the buildable layer is empty; expected at least one polygon of buildable land`, { field: 'geometry', expected: 'at least one polygon', found: 'no features' });
  }
  const b = region.bbox;
  const area = region.outline ?? (b && { type: 'Polygon' as const, coordinates: [[[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]], [b[0], b[1]]]] });
  const parcels: BuildableParcel[] = [];
  fc.features.forEach((f, i) => {
    const props = f.properties ?? {};
    const name = parcelName(props);
    const label = `${u.fileName} feature ${i}${name ? ` (${name})` : ''}`;
    const fail = (code: 'invalid_geojson' | 'validation_failed', expected: string, found: string, message: string) => {
      const e = new AppError(code, `${label}: ${message}`, { feature: i, field: 'geometry', expected, found });
      if (!problems) throw e;
      problems.push({ feature: i, field: 'geometry', expected, found, message });
    };
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return fail('invalid_geojson', 'a Polygon or MultiPolygon', g ? g.type : 'no geometry', `expected a Polygon or MultiPolygon of buildable land, found ${g ? g.type : 'no geometry'}`);
    const problem = polygonProblem(g);
    if (problem) return fail('invalid_geojson', 'a valid polygon (ST_IsValid)', problem, `not a valid polygon: ${problem}`);
    if (area && !booleanIntersects(g, area)) return fail('validation_failed', `land inside ${region.name}`, 'a polygon outside the region', `lies outside ${region.name}; expected buildable land inside the region (check the CRS)`);
    parcels.push({ name, geometry: g, properties: props });
  });
  return parcels;
}

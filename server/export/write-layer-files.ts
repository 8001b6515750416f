import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureCollection, Geometry } from 'geojson';
import { bbox as turfBbox } from '@turf/bbox';
import { chooseGkZone, getCrs } from '../../analysis/crs/crs-registry.ts';
import { exportGeoJson } from './export-geojson.ts';
import { shapefileZip } from './write-shapefile-zip.ts';

/**
 * Writes a layer for planners and for the bureau's GIS: `NAME.geojson` (RFC 7946, WGS84) always, and in the
 * requested CRS `NAME.<code>.geojson` (with a named-CRS member) plus `NAME.<code>.shp.zip`. `crs` 'gk' picks the
 * Gauss-Krüger zone of the data's centre. Returns the files written and any CRS warning.
 *
 * @example await writeLayerFiles(gaps, 'out', 'gaps', 'EPSG:4544');
 */
export async function writeLayerFiles(
  fc: FeatureCollection<Geometry | null>, dir: string, name: string, crs = 'EPSG:4326',
): Promise<{ files: string[]; crs: string; warning?: string }> {
  await mkdir(dir, { recursive: true });
  let target = crs;
  let warning: string | undefined;
  if (crs.toLowerCase() === 'gk') {
    const bbox = fc.features.length > 0 ? (turfBbox(fc as Parameters<typeof turfBbox>[0]) as [number, number, number, number]) : [0, 0, 0, 0] as [number, number, number, number];
    const choice = chooseGkZone(bbox);
    target = choice.crs.name;
    warning = choice.warning ? `${choice.warning.en} / ${choice.warning.zh}` : undefined;
  }
  const info = getCrs(target);
  const files = [join(dir, `${name}.geojson`)];
  await writeFile(files[0], JSON.stringify(exportGeoJson(fc, 'EPSG:4326')) + '\n');
  const code = info.name.replace(/[^A-Za-z0-9]+/g, '');
  const shp = join(dir, `${name}.${code}.shp.zip`);
  await writeFile(shp, await shapefileZip(fc, { crs: info.name, layerName: name }));
  files.push(shp);
  if (info.name !== 'EPSG:4326') {
    const gj = join(dir, `${name}.${code}.geojson`);
    await writeFile(gj, JSON.stringify(exportGeoJson(fc, info.name)) + '\n');
    files.push(gj);
  }
  return { files, crs: info.name, warning };
}

import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { foundValue } from '../../analysis/errors/found-value.ts';

/**
 * Parses GeoJSON text into a FeatureCollection (a lone Feature is wrapped); geometries are not checked
 * here, each reader checks the kinds it takes.
 *
 * @example const fc = parseFeatureCollection(text, 'units.geojson');
 */
export function parseFeatureCollection(text: string, file: string): FeatureCollection<Geometry | null> {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const type = json !== null && typeof json === 'object' ? (json as { type?: unknown }).type : undefined;
  if (type === 'Feature') return { type: 'FeatureCollection', features: [json as Feature<Geometry | null>] };
  if (type !== 'FeatureCollection' || !Array.isArray((json as { features?: unknown }).features)) {
    throw new Error(`${file}: expected a GeoJSON FeatureCollection, found ${type === undefined ? foundValue(json) : `type ${foundValue(type)}`}`);
  }
  const fc = json as FeatureCollection<Geometry | null>;
  fc.features.forEach((f, i) => {
    if (f === null || typeof f !== 'object' || f.type !== 'Feature') {
      throw new Error(`${file} feature ${i}: expected a GeoJSON Feature, found ${foundValue(f?.type ?? f)}`);
    }
  });
  return fc;
}

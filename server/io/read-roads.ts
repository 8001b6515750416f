import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { Worker } from 'node:worker_threads';
import type { RoadSource, RoadWay } from '../../analysis/network/road-network.ts';

/**
 * Reads roads from an OpenStreetMap PBF extract or from GeoJSON LineStrings whose properties are OSM-like
 * tags (`highway`, `oneway`, …). Lines meet where they share a vertex, as OSM ways share nodes.
 *
 * @example const roads = await readRoads('data/yuechi/roads.geojson.gz');
 */
export async function readRoads(path: string): Promise<RoadSource> {
  await stat(path).catch(() => { throw new Error(`${path}: file not found`); });
  if (/\.pbf$/i.test(path)) return readPbf(path);
  if (/\.(geo)?json(\.gz)?$/i.test(path)) return roadsFromGeoJson(await readJson(path), path);
  throw new Error(`${path}: unknown road format; expected .osm.pbf, .geojson, .json or .geojson.gz`);
}

async function readJson(path: string): Promise<unknown> {
  let buf = await readFile(path);
  if (path.endsWith('.gz')) {
    try { buf = gunzipSync(buf); } catch (e) { throw new Error(`${path}: not a valid gzip file (${(e as Error).message})`); }
  }
  try { return JSON.parse(buf.toString('utf8')); } catch (e) { throw new Error(`${path}: not valid JSON (${(e as Error).message})`); }
}

function readPbf(path: string): Promise<RoadSource> {
  // parsed in a worker: a corrupt block makes the library throw where no caller can catch it
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pbf-worker.mjs', import.meta.url), { workerData: { path } });
    let settled = false;
    const done = (f: () => void) => { if (!settled) { settled = true; f(); } };
    worker.once('message', (m: { error?: string; lon: Float64Array; lat: Float64Array; ways: RoadWay[]; nodes: number; rawWays: number }) => done(() => {
      void worker.terminate();
      if (m.error !== undefined) return reject(new Error(`${path}: not a readable OSM PBF file (${m.error})`));
      if (m.nodes === 0 && m.rawWays === 0) return reject(new Error(`${path}: no nodes or ways found; is it an OSM PBF file?`));
      resolve({ lon: m.lon, lat: m.lat, ways: m.ways });
    }));
    worker.once('error', (e) => done(() => reject(new Error(`${path}: not a readable OSM PBF file (${e.message})`))));
    worker.once('exit', (code) => done(() => reject(new Error(`${path}: the PBF reader stopped (exit ${code}) before finishing`))));
  });
}

/** Roads from a GeoJSON FeatureCollection of LineString/MultiLineString features with OSM-like properties. */
export function roadsFromGeoJson(json: unknown, source = 'roads'): RoadSource {
  const fc = json as { type?: string; features?: unknown[] };
  if (fc === null || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error(`${source}: expected a GeoJSON FeatureCollection of LineStrings, found ${fc === null ? 'null' : typeof fc === 'object' ? `type ${fc.type}` : typeof fc}`);
  }
  const index = new Map<string, number>();
  const lon: number[] = [], lat: number[] = [];
  const ways: RoadWay[] = [];
  const nodeOf = (c: unknown, f: number): number => {
    if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number' || Math.abs(c[0]) > 180 || Math.abs(c[1]) > 90) {
      throw new Error(`${source}: feature ${f}: expected [lon, lat] positions with lon in [-180,180] and lat in [-90,90], found ${JSON.stringify(c)}`);
    }
    // lines meet where vertices coincide to 1e-7° (about 1 cm)
    const key = `${Math.round(c[0] * 1e7)},${Math.round(c[1] * 1e7)}`;
    let k = index.get(key);
    if (k === undefined) { k = lon.length; lon.push(c[0]); lat.push(c[1]); index.set(key, k); }
    return k;
  };
  fc.features.forEach((raw, f) => {
    const feat = raw as { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> | null; id?: string | number };
    const g = feat?.geometry;
    if (!g || (g.type !== 'LineString' && g.type !== 'MultiLineString')) {
      throw new Error(`${source}: feature ${f}: geometry must be a LineString or MultiLineString, found ${g?.type ?? 'none'}`);
    }
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(feat.properties ?? {})) if (v !== null && v !== undefined && typeof v !== 'object') tags[k] = String(v);
    if (tags.highway === undefined) throw new Error(`${source}: feature ${f}: property "highway" is required (e.g. "residential"), found none`);
    const lines = (g.type === 'LineString' ? [g.coordinates] : g.coordinates) as unknown[];
    if (!Array.isArray(lines)) throw new Error(`${source}: feature ${f}: coordinates missing`);
    for (const line of lines) {
      if (!Array.isArray(line) || line.length < 2) throw new Error(`${source}: feature ${f}: a line needs at least 2 positions`);
      ways.push({ nodes: line.map((c) => nodeOf(c, f)), tags, id: feat.id ?? tags.id ?? f });
    }
  });
  return { lon: Float64Array.from(lon), lat: Float64Array.from(lat), ways };
}

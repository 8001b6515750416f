import Flatbush from 'flatbush';
import { foundValue } from '../errors/found-value.ts';
import { createLocalProjection, haversineMeters } from '../geo/local-projection.ts';
import { getCrs, listCrs } from './crs-registry.ts';
import type { CrsInfo, CrsWarning } from './crs-registry.ts';
import { positionTransform } from './transform-coordinates.ts';

/** What can look wrong with a layer's coordinates. */
export type CoordinateWarningCode =
  | 'not-finite'
  | 'projected'
  | 'not-projected'
  | 'swapped'
  | 'zone-mismatch'
  | 'offset'
  | 'outside-china'
  | 'outside-expected';

/** One kind of problem, with how many points show it and the index of the first. */
export interface CoordinateWarning extends CrsWarning {
  readonly code: CoordinateWarningCode;
  readonly count: number;
  readonly first: number;
  /** the CRS or axis order that would explain the values, when one does */
  readonly suggestion?: string;
}

type BBox = readonly [number, number, number, number];
type Columns = { lon: ArrayLike<number>; lat: ArrayLike<number> };

export interface CheckCoordinatesOptions {
  /** where the points should be, lon/lat [west, south, east, north], e.g. the county */
  expectedBbox?: BBox;
  /** the CRS the user named; default EPSG:4326. For a projected CRS `lon` holds x and `lat` holds y as given. */
  declared?: string;
  /** WGS84 points known to be right (facilities from a survey, OSM road vertices) to detect GCJ-02/BD-09 offsets */
  reference?: Columns;
}

// mainland, Hainan and the South China Sea islands; also the box gcoord treats as "in China"
const CHINA: BBox = [73, 3, 136, 54];
const MIN_POINTS_FOR_OFFSET = 3;
// an offset "explains" the mismatch when it at least halves the median distance and removes 50 m of it
const OFFSET_RATIO = 0.5;
const OFFSET_GAIN_M = 50;

interface Tally {
  count: number;
  first: number;
  votes: Map<string, number>;
}

/**
 * Looks for the usual coordinate mistakes before analysis: Gauss-Krüger metres given as degrees, lon/lat
 * swapped (EPSG:4490's lat-first order), GCJ-02/BD-09 offsets (needs `reference` points in WGS84), points
 * outside China or outside `expectedBbox`. Returns one warning per kind, in English and Chinese.
 *
 * @example
 * checkCoordinates({ lon: [30.536], lat: [106.437] })[0].code // 'swapped'
 */
export function checkCoordinates(points: Columns, options: CheckCoordinatesOptions = {}): CoordinateWarning[] {
  const { lon, lat } = points ?? ({} as Columns);
  if (!lon || !lat || typeof lon.length !== 'number' || lon.length !== lat.length) {
    throw new Error(`points must be { lon, lat } arrays of equal length, found lengths ${foundValue(lon?.length)} and ${foundValue(lat?.length)}`);
  }
  const declared = getCrs(options.declared ?? 'EPSG:4326');
  const expected = options.expectedBbox;
  if (expected !== undefined && !(expected.length === 4 && expected.every(Number.isFinite) && expected[0] <= expected[2] && expected[1] <= expected[3])) {
    throw new Error(`expectedBbox must be [west, south, east, north] in degrees, found ${foundValue(expected)}`);
  }
  const n = lon.length;
  const tallies = new Map<CoordinateWarningCode, Tally>();
  const note = (code: CoordinateWarningCode, i: number, suggestion?: string): void => {
    let t = tallies.get(code);
    if (!t) tallies.set(code, (t = { count: 0, first: i, votes: new Map() }));
    t.count++;
    if (suggestion) t.votes.set(suggestion, (t.votes.get(suggestion) ?? 0) + 1);
  };

  // positions read as lon/lat under the declared CRS (projected ones inverted, GCJ-02/BD-09 kept raw for the offset test)
  const rawLon = new Float64Array(n).fill(NaN);
  const rawLat = new Float64Array(n).fill(NaN);
  const inverse = declared.kind === 'projected' ? positionTransform(declared.name) : undefined;
  for (let i = 0; i < n; i++) {
    const a = lon[i];
    const b = lat[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      note('not-finite', i);
      continue;
    }
    if (declared.kind === 'projected') {
      const problem = projectedProblem(a, b, declared, expected);
      if (problem) {
        note(problem.code, i, problem.suggestion);
        if (problem.code !== 'swapped') continue;
      }
      const [x, y] = problem?.code === 'swapped' ? [b, a] : [a, b];
      [rawLon[i], rawLat[i]] = inverse!.inverse(x, y);
      continue;
    }
    if (Math.abs(a) > 180 || Math.abs(b) > 180) {
      note('projected', i, guessProjectedCrs(a, b, expected));
      continue;
    }
    if (looksSwapped(a, b, expected)) {
      note('swapped', i, 'latlon');
      continue;
    }
    if (Math.abs(b) > 90) {
      note('not-finite', i);
      continue;
    }
    rawLon[i] = a;
    rawLat[i] = b;
  }

  // a point already counted as outside China is not counted again as outside the expected box
  const toWgs = declared.kind === 'offset' ? positionTransform(declared.name) : undefined;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(rawLon[i])) continue;
    const [x, y] = toWgs ? toWgs.inverse(rawLon[i], rawLat[i]) : [rawLon[i], rawLat[i]];
    // with an expected box only leaving it counts: a region abroad (Porto Alegre) is not "outside China"
    if (expected) { if (!inside(expected, x, y)) note(inside(CHINA, x, y) ? 'outside-expected' : 'outside-china', i); }
    else if (!inside(CHINA, x, y)) note('outside-china', i);
  }

  const warnings: CoordinateWarning[] = [];
  for (const [code, t] of tallies) warnings.push(describe(code, t, n, declared, expected));
  if (options.reference) {
    const offset = offsetWarning(rawLon, rawLat, declared, options.reference);
    if (offset) warnings.push(offset);
  }
  const order: CoordinateWarningCode[] = ['not-finite', 'projected', 'not-projected', 'swapped', 'zone-mismatch', 'offset', 'outside-china', 'outside-expected'];
  return warnings.sort((p, q) => order.indexOf(p.code) - order.indexOf(q.code));
}

function inside(b: BBox, x: number, y: number): boolean {
  return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
}

function looksSwapped(a: number, b: number, expected: BBox | undefined): boolean {
  // impossible as lon/lat but fine as lat/lon
  if (Math.abs(b) > 90 && Math.abs(a) <= 90) return true;
  if (expected) return !inside(expected, a, b) && inside(expected, b, a);
  // in China a latitude (3–54) never reaches a longitude (73–136)
  return a >= 3 && a <= 54 && b >= 73 && b <= 136;
}

function isNorthing(v: number): boolean {
  return v >= 300_000 && v <= 6_200_000;
}

function isEasting(v: number): boolean {
  return (v >= 50_000 && v < 1_000_000) || (v >= 13_000_000 && v < 46_000_000);
}

/** The Gauss-Krüger CRS that best explains a metre pair (either order), as an EPSG name, or undefined. */
function guessProjectedCrs(a: number, b: number, expected: BBox | undefined): string | undefined {
  let e: number, nn: number;
  if (isEasting(a) && isNorthing(b)) [e, nn] = [a, b];
  else if (isEasting(b) && isNorthing(a)) [e, nn] = [b, a];
  else return undefined;
  if (e >= 1_000_000) {
    const zone = Math.floor(e / 1_000_000);
    if (zone >= 25 && zone <= 45) return `EPSG:${4513 + zone - 25}`;
    if (zone >= 13 && zone <= 23) return `EPSG:${4491 + zone - 13}`;
    return undefined;
  }
  if (!expected) return undefined;
  // without a prefix the zone is unknown: take the 3-degree zone that puts the point inside the expected box
  for (const crs of listCrs()) {
    if (crs.kind !== 'projected' || crs.zonePrefix || crs.zoneWidth !== 3) continue;
    const [x, y] = positionTransform(crs.name).inverse(e, nn);
    if (inside(expected, x, y)) return crs.name;
  }
  return undefined;
}

function projectedProblem(
  a: number,
  b: number,
  crs: CrsInfo,
  expected: BBox | undefined,
): { code: CoordinateWarningCode; suggestion?: string } | undefined {
  if (Math.abs(a) <= 180 && Math.abs(b) <= 90) return { code: 'not-projected', suggestion: 'EPSG:4326' };
  const fe = crs.falseEasting!;
  const east = (v: number): boolean => Math.abs(v - fe) < 400_000;
  if (east(a) && isNorthing(b)) return undefined;
  if (east(b) && isNorthing(a)) return { code: 'swapped', suggestion: 'latlon' };
  return { code: 'zone-mismatch', suggestion: guessProjectedCrs(a, b, expected) };
}

function suggestionOf(t: Tally): string | undefined {
  let best: string | undefined;
  let most = 0;
  for (const [s, c] of t.votes) if (c > most) [best, most] = [s, c];
  return best;
}

function describe(code: CoordinateWarningCode, t: Tally, n: number, declared: CrsInfo, expected: BBox | undefined): CoordinateWarning {
  const s = suggestionOf(t);
  const of = `${t.count} of ${n} points (first: #${t.first})`;
  const zhOf = `${n} 个点中有 ${t.count} 个(首个:#${t.first})`;
  const base = { code, count: t.count, first: t.first, ...(s ? { suggestion: s } : {}) };
  switch (code) {
    case 'not-finite':
      return { ...base, en: `${of} have no usable coordinates (missing, not a number, or |lat| > 90)`, zh: `${zhOf}坐标缺失、不是数字或纬度绝对值大于 90` };
    case 'projected': {
      const name = s ?? 'EPSG:4544';
      return {
        ...base,
        en: `${of} look like Gauss-Krüger metres, not degrees; name the CRS, e.g. ${name}${s ? '' : ' (CGCS2000 3-degree zone CM 105°E)'}`,
        zh: `${zhOf}看起来是高斯-克吕格投影坐标(米),不是经纬度;请指定坐标系,例如 ${name}`,
      };
    }
    case 'not-projected':
      return {
        ...base,
        en: `${of} look like lon/lat degrees although ${declared.name} (${declared.title}) is in metres; declare EPSG:4326 or EPSG:4490`,
        zh: `${zhOf}看起来是经纬度(度),但声明的 ${declared.name} 是投影坐标(米);请声明为 EPSG:4326 或 EPSG:4490`,
      };
    case 'swapped':
      return declared.kind === 'projected'
        ? {
            ...base,
            en: `${of} give northing before easting (the EPSG X/Y order of ${declared.name}); they are read easting first`,
            zh: `${zhOf}为北坐标在前、东坐标在后(${declared.name} 的 EPSG 轴序 X=北);已按东坐标在前读取`,
          }
        : {
            ...base,
            en: `${of}: lon/lat look swapped (EPSG:4490 axis order is lat, lon?); give lon first or set axisOrder 'latlon'`,
            zh: `${zhOf}经纬度看起来颠倒了(EPSG:4490 的轴序为纬度在前?);请经度在前,或设置 axisOrder 为 'latlon'`,
          };
    case 'zone-mismatch':
      return {
        ...base,
        en: `${of} have eastings that do not fit ${declared.name} (false easting ${declared.falseEasting} m)${s ? `; they fit ${s}` : ''}: check the zone and its prefix`,
        zh: `${zhOf}的东坐标与 ${declared.name}(东伪偏移 ${declared.falseEasting} m)不符${s ? `,符合 ${s}` : ''};请核对带号及是否带带号前缀`,
      };
    case 'outside-china':
      return { ...base, en: `${of} lie outside China (73–136°E, 3–54°N)`, zh: `${zhOf}位于中国范围(73–136°E,3–54°N)之外` };
    case 'outside-expected':
    default:
      return {
        ...base,
        en: `${of} lie outside the expected area [${expected?.join(', ')}]`,
        zh: `${zhOf}位于预期范围 [${expected?.join(', ')}] 之外`,
      };
  }
}

/** Median distance from each point to its nearest reference point, in metres. */
function medianNearest(xs: Float64Array, ys: Float64Array, ref: Columns, index: Flatbush, project: (lon: number, lat: number) => [number, number]): number {
  const d: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const [px, py] = project(xs[i], ys[i]);
    const j = index.neighbors(px, py, 1)[0];
    d.push(haversineMeters(xs[i], ys[i], ref.lon[j], ref.lat[j]));
  }
  d.sort((p, q) => p - q);
  const m = d.length >> 1;
  return d.length % 2 ? d[m] : (d[m - 1] + d[m]) / 2;
}

/** Reads the points as WGS84, GCJ-02 and BD-09 in turn; warns when another reading fits the reference far better. */
function offsetWarning(rawLon: Float64Array, rawLat: Float64Array, declared: CrsInfo, ref: Columns): CoordinateWarning | undefined {
  if (!ref.lon || !ref.lat || ref.lon.length !== ref.lat.length) {
    throw new Error(`reference must be { lon, lat } arrays of equal length, found lengths ${foundValue(ref.lon?.length)} and ${foundValue(ref.lat?.length)}`);
  }
  const keep: number[] = [];
  for (let i = 0; i < rawLon.length; i++) if (!Number.isNaN(rawLon[i]) && inside(CHINA, rawLon[i], rawLat[i])) keep.push(i);
  if (keep.length < MIN_POINTS_FOR_OFFSET || ref.lon.length === 0) return undefined;

  let cx = 0;
  let cy = 0;
  for (let j = 0; j < ref.lon.length; j++) {
    cx += ref.lon[j];
    cy += ref.lat[j];
  }
  const proj = createLocalProjection(cx / ref.lon.length, cy / ref.lat.length);
  const index = new Flatbush(ref.lon.length);
  for (let j = 0; j < ref.lon.length; j++) {
    const [x, y] = proj.forward(ref.lon[j], ref.lat[j]);
    index.add(x, y, x, y);
  }
  index.finish();

  const readings = ['EPSG:4326', 'GCJ-02', 'BD-09'];
  const asDeclared = declared.kind === 'offset' ? declared.name : 'EPSG:4326';
  const medians = new Map<string, number>();
  for (const reading of readings) {
    const t = positionTransform(reading);
    const xs = new Float64Array(keep.length);
    const ys = new Float64Array(keep.length);
    keep.forEach((i, k) => ([xs[k], ys[k]] = t.inverse(rawLon[i], rawLat[i])));
    medians.set(reading, medianNearest(xs, ys, ref, index, proj.forward));
  }
  const base = medians.get(asDeclared)!;
  let best = asDeclared;
  for (const [reading, m] of medians) if (m < medians.get(best)!) best = reading;
  const better = medians.get(best)!;
  if (best === asDeclared || better > base * OFFSET_RATIO || base - better < OFFSET_GAIN_M) return undefined;

  const label: Record<string, [string, string]> = {
    'EPSG:4326': ['WGS84 (GPS, OSM, Tianditu)', 'WGS84(GPS、OSM、天地图)'],
    'GCJ-02': ['GCJ-02 (AMap, Tencent)', 'GCJ-02(高德、腾讯)'],
    'BD-09': ['BD-09 (Baidu)', 'BD-09(百度)'],
  };
  const wasProjected = declared.kind === 'projected' ? [` before projection to ${declared.name}`, `(投影到 ${declared.name} 之前)`] : ['', ''];
  const advice = declared.kind === 'projected' ? ['convert from that system before projecting', '请先从该坐标系转换再投影'] : [`declare the CRS as ${best}`, `请将坐标系声明为 ${best}`];
  const m = (v: number): string => `${Math.round(v)} m`;
  return {
    code: 'offset',
    count: keep.length,
    first: keep[0],
    suggestion: best,
    en:
      `median distance to the ${ref.lon.length} reference points is ${m(base)} read as ${label[asDeclared][0]} but ${m(better)} ` +
      `read as ${label[best][0]}: the points look ${label[best][0]}${wasProjected[0]}; ${advice[0]}`,
    zh:
      `与 ${ref.lon.length} 个参考点的中位距离:按 ${label[asDeclared][1]} 解读为 ${m(base)},按 ${label[best][1]} 解读仅 ${m(better)};` +
      `这些点看起来是 ${label[best][1]} 坐标${wasProjected[1]};${advice[1]}`,
  };
}

import type { Feature, FeatureCollection, Geometry, GeoJsonProperties, Position } from 'geojson';
import { zipSync, strToU8 } from 'fflate';
import { getCrs, prjWkt } from '../../analysis/crs/crs-registry.ts';
import { fromWgs84 } from '../../analysis/crs/transform-coordinates.ts';
import { foundValue } from '../../analysis/errors/found-value.ts';
import { encodeGbk } from './encode-gbk.ts';

// @mapbox/shp-write does not fit: its dbf writer stores each UTF-16 unit as one byte (Chinese text is lost),
// it neither orients rings nor writes a .cpg, and it splits Polygon and MultiPolygon into two layers.
// The format is simple binary (ESRI Shapefile Technical Description, 1998), so it is written here.

export type ShapefileEncoding = 'UTF-8' | 'GBK';

export interface ShapefileZipOptions {
  /** target CRS name: 'EPSG:4326', 'EPSG:4490' or a Gauss-Krüger zone such as 'EPSG:4544' */
  crs: string;
  /** base name of the .shp/.shx/.dbf/.prj/.cpg files */
  layerName: string;
  /** DBF text encoding; default UTF-8 (.cpg 'UTF-8'); GBK writes .cpg '936' and language driver 0x4D */
  encoding?: ShapefileEncoding;
}

/** One DBF column and the GeoJSON property it holds. */
export interface DbfField {
  /** at most 10 bytes in the DBF encoding, unique ignoring case */
  readonly name: string;
  readonly property: string;
  readonly type: 'C' | 'N' | 'L';
  readonly length: number;
  readonly decimals: number;
}

const SHAPE = { Null: 0, Point: 1, PolyLine: 3, Polygon: 5, MultiPoint: 8 } as const;
type ShapeType = (typeof SHAPE)[keyof typeof SHAPE];
const SHAPE_OF: Record<string, ShapeType> = {
  Point: SHAPE.Point,
  MultiPoint: SHAPE.MultiPoint,
  LineString: SHAPE.PolyLine,
  MultiLineString: SHAPE.PolyLine,
  Polygon: SHAPE.Polygon,
  MultiPolygon: SHAPE.Polygon,
};
const SHAPE_SUFFIX: Record<number, string> = { 0: 'null', 1: 'point', 3: 'line', 5: 'polygon', 8: 'multipoint' };
const SHAPE_LABEL: Record<number, string> = { 0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint' };

const utf8 = new TextEncoder();
const encoders: Record<ShapefileEncoding, (s: string) => Uint8Array> = {
  'UTF-8': (s) => utf8.encode(s),
  GBK: encodeGbk,
};

/**
 * A zipped Shapefile of `fc` (WGS84 lon/lat, as everywhere in the service) in the target CRS: .shp, .shx, .dbf,
 * .prj (ESRI WKT), .cpg, and fields.txt listing each DBF field name (≤ 10 bytes) with the property it holds.
 * Polygon rings are written outer clockwise, holes counter-clockwise; Z values are dropped. Features of
 * several shape types go to one layer per type (`<layer>_point`, `<layer>_polygon`, …).
 *
 * @example
 * const zip = await shapefileZip(gaps, { crs: 'EPSG:4544', layerName: 'gaps' });
 * await writeFile('gaps.zip', zip);
 */
export async function shapefileZip(fc: FeatureCollection<Geometry | null>, options: ShapefileZipOptions): Promise<Uint8Array> {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error(`shapefile input must be a GeoJSON FeatureCollection, found ${foundValue((fc as { type?: unknown })?.type ?? fc)}`);
  }
  const { layerName } = options;
  if (typeof layerName !== 'string' || !/^[\p{L}\p{N}_-][\p{L}\p{N}_.-]{0,100}$/u.test(layerName)) {
    throw new Error(`layerName must be letters, digits, '_', '-' or '.' (no path), found ${foundValue(layerName)}`);
  }
  const encoding = options.encoding ?? 'UTF-8';
  if (!(encoding in encoders)) throw new Error(`encoding must be 'UTF-8' or 'GBK', found ${foundValue(encoding)}`);
  const crs = getCrs(options.crs);
  const prj = prjWkt(crs.name);
  const projected = fromWgs84(fc, crs.name);
  const encode = encoders[encoding];

  const fields = dbfFields(projected.features, encoding);
  const shapes = projected.features.map((f, i) => shapeOf(f.geometry, i));
  const groups = groupByShapeType(shapes);
  const files: Record<string, Uint8Array> = {};
  const summary: string[] = [];
  for (const [type, members] of groups) {
    const base = groups.size === 1 ? layerName : `${layerName}_${SHAPE_SUFFIX[type]}`;
    const { shp, shx } = writeShp(type, members.map((i) => shapes[i].parts));
    const { dbf, truncated } = writeDbf(fields, members.map((i) => projected.features[i].properties), encode, encoding);
    files[`${base}.shp`] = shp;
    files[`${base}.shx`] = shx;
    files[`${base}.dbf`] = dbf;
    files[`${base}.prj`] = strToU8(prj);
    files[`${base}.cpg`] = strToU8(encoding === 'GBK' ? '936' : 'UTF-8');
    summary.push(`${base}.shp\t${SHAPE_LABEL[type]}\t${members.length} features${truncated ? `\t${truncated} text values cut to 254 bytes` : ''}`);
  }
  files['fields.txt'] = strToU8(fieldsText(layerName, crs.name, crs.title, encoding, summary, fields));
  return zipSync(files, { level: 6 });
}

function fieldsText(layer: string, crs: string, title: string, encoding: string, summary: string[], fields: DbfField[]): string {
  return [
    `# lifecircle shapefile export / 生活圈 Shapefile 导出: ${layer}`,
    `# CRS / 坐标系: ${crs} (${title}); DBF encoding / 编码: ${encoding}`,
    ...summary.map((s) => `# ${s}`),
    '# DBF field names hold at most 10 bytes; this table maps them back to the GeoJSON properties.',
    '# DBF 字段名最多 10 字节;下表列出字段名与 GeoJSON 属性的对应关系。',
    'dbf_field\tproperty\ttype',
    ...fields.map((f) => `${f.name}\t${f.property}\t${f.type}(${f.length}${f.type === 'N' ? `,${f.decimals}` : ''})`),
    '',
  ].join('\n');
}

interface Shape {
  type: ShapeType;
  /** points (one part), line parts, or rings; empty for a null shape */
  parts: Position[][];
}

function shapeOf(g: Geometry | null, featureIndex: number): Shape {
  if (g === null || g === undefined) return { type: SHAPE.Null, parts: [] };
  const type = SHAPE_OF[g.type];
  if (type === undefined) {
    throw new Error(`feature ${featureIndex}: geometry type must be Point…MultiPolygon for a shapefile, found ${foundValue(g.type)}`);
  }
  let parts: Position[][];
  switch (g.type) {
    case 'Point':
      parts = [[g.coordinates]];
      break;
    case 'MultiPoint':
      parts = g.coordinates.length ? [g.coordinates] : [];
      break;
    case 'LineString':
      parts = g.coordinates.length ? [g.coordinates] : [];
      break;
    case 'MultiLineString':
      parts = g.coordinates.filter((l) => l.length > 0);
      break;
    case 'Polygon':
      parts = orientRings(g.coordinates, featureIndex);
      break;
    case 'MultiPolygon':
      parts = g.coordinates.flatMap((poly) => orientRings(poly, featureIndex));
      break;
    default:
      parts = [];
  }
  return parts.length ? { type, parts } : { type: SHAPE.Null, parts: [] };
}

function signedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return a / 2;
}

/** Closed rings, the outer one clockwise and holes counter-clockwise, as the shapefile specification wants. */
function orientRings(rings: Position[][], featureIndex: number): Position[][] {
  return rings.map((ring, r) => {
    const closed = ring.length > 0 && (ring[0][0] !== ring[ring.length - 1][0] || ring[0][1] !== ring[ring.length - 1][1]) ? [...ring, ring[0]] : ring;
    if (closed.length < 4) {
      throw new Error(`feature ${featureIndex}: polygon ring ${r} must have at least 4 positions, found ${ring.length}`);
    }
    const clockwise = signedArea(closed) < 0;
    return (r === 0) === clockwise ? closed : [...closed].reverse();
  });
}

/** Feature indexes per shape type in order of first appearance; null shapes join the first type. */
function groupByShapeType(shapes: Shape[]): Map<ShapeType, number[]> {
  const groups = new Map<ShapeType, number[]>();
  for (let i = 0; i < shapes.length; i++) {
    if (shapes[i].type !== SHAPE.Null && !groups.has(shapes[i].type)) groups.set(shapes[i].type, []);
  }
  if (groups.size === 0) groups.set(SHAPE.Null, []);
  const firstType = groups.keys().next().value as ShapeType;
  for (let i = 0; i < shapes.length; i++) groups.get(shapes[i].type === SHAPE.Null ? firstType : shapes[i].type)!.push(i);
  return groups;
}

function contentBytes(type: ShapeType, parts: Position[][]): number {
  if (parts.length === 0) return 4;
  const points = parts.reduce((s, p) => s + p.length, 0);
  if (type === SHAPE.Point) return 20;
  if (type === SHAPE.MultiPoint) return 40 + 16 * points;
  return 44 + 4 * parts.length + 16 * points;
}

function writeShp(type: ShapeType, records: Position[][][]): { shp: Uint8Array; shx: Uint8Array } {
  const sizes = records.map((parts) => contentBytes(type, parts));
  const shpLength = 100 + sizes.reduce((s, n) => s + 8 + n, 0);
  const shxLength = 100 + 8 * records.length;
  const shp = new DataView(new ArrayBuffer(shpLength));
  const shx = new DataView(new ArrayBuffer(shxLength));
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const parts of records) for (const part of parts) for (const p of part) extend(box, p);
  if (!Number.isFinite(box[0])) box.fill(0);
  for (const [view, length] of [[shp, shpLength], [shx, shxLength]] as const) {
    // file code and length are big-endian, the rest little-endian; lengths count 16-bit words
    view.setInt32(0, 9994, false);
    view.setInt32(24, length / 2, false);
    view.setInt32(28, 1000, true);
    view.setInt32(32, type, true);
    for (let k = 0; k < 4; k++) view.setFloat64(36 + 8 * k, box[k], true);
  }
  let offset = 100;
  records.forEach((parts, i) => {
    shx.setInt32(100 + 8 * i, offset / 2, false);
    shx.setInt32(104 + 8 * i, sizes[i] / 2, false);
    shp.setInt32(offset, i + 1, false);
    shp.setInt32(offset + 4, sizes[i] / 2, false);
    let o = offset + 8;
    if (parts.length === 0) {
      shp.setInt32(o, SHAPE.Null, true);
    } else if (type === SHAPE.Point) {
      shp.setInt32(o, type, true);
      shp.setFloat64(o + 4, parts[0][0][0], true);
      shp.setFloat64(o + 12, parts[0][0][1], true);
    } else {
      shp.setInt32(o, type, true);
      const b = [Infinity, Infinity, -Infinity, -Infinity];
      for (const part of parts) for (const p of part) extend(b, p);
      for (let k = 0; k < 4; k++) shp.setFloat64(o + 4 + 8 * k, b[k], true);
      o += 36;
      const points = parts.reduce((s, p) => s + p.length, 0);
      if (type !== SHAPE.MultiPoint) {
        shp.setInt32(o, parts.length, true);
        o += 4;
      }
      shp.setInt32(o, points, true);
      o += 4;
      if (type !== SHAPE.MultiPoint) {
        let start = 0;
        for (const part of parts) {
          shp.setInt32(o, start, true);
          o += 4;
          start += part.length;
        }
      }
      for (const part of parts) {
        for (const p of part) {
          shp.setFloat64(o, p[0], true);
          shp.setFloat64(o + 8, p[1], true);
          o += 16;
        }
      }
    }
    offset += 8 + sizes[i];
  });
  return { shp: new Uint8Array(shp.buffer), shx: new Uint8Array(shx.buffer) };
}

function extend(box: number[], p: Position): void {
  if (p[0] < box[0]) box[0] = p[0];
  if (p[1] < box[1]) box[1] = p[1];
  if (p[0] > box[2]) box[2] = p[0];
  if (p[1] > box[3]) box[3] = p[1];
}

// common words of this service's property names, so `uncovered_population` reads as `uncov_pop`
const ABBREVIATIONS: Record<string, string> = {
  access: 'acc',
  accessibility: 'acc',
  average: 'avg',
  capacity: 'cap',
  category: 'cat',
  children: 'chld',
  count: 'cnt',
  covered: 'cov',
  demand: 'dem',
  difference: 'diff',
  distance: 'dist',
  elderly: 'eld',
  facilities: 'fac',
  facility: 'fac',
  household: 'hh',
  households: 'hh',
  kilometres: 'km',
  kilometers: 'km',
  kindergarten: 'kg',
  maximum: 'max',
  metres: 'm',
  meters: 'm',
  minimum: 'min',
  minutes: 'min',
  nearest: 'near',
  number: 'num',
  percent: 'pct',
  percentage: 'pct',
  population: 'pop',
  seconds: 'sec',
  standard: 'std',
  threshold: 'thr',
  total: 'tot',
  township: 'town',
  travel: 'trav',
  uncovered: 'uncov',
};

/**
 * DBF field names for GeoJSON property names: at most 10 bytes in `encoding`, unique ignoring case, assigned
 * deterministically — names that fit are kept, longer ones abbreviated word by word (`uncovered_population` →
 * `uncov_pop`), then cut, and clashes numbered (`_2`, `_3`).
 *
 * @example dbfFieldNames(['name', 'uncovered_population']).get('uncovered_population') // 'uncov_pop'
 */
export function dbfFieldNames(properties: readonly string[], encoding: ShapefileEncoding = 'UTF-8'): Map<string, string> {
  const bytes = (s: string): number => encoders[encoding](s).length;
  const taken = new Set<string>();
  const out = new Map<string, string>();
  const clean = properties.map((p) => sanitize(p));
  // names that already fit go first, so a short name is never renamed to make room for a shortened long one
  for (const pass of [0, 1]) {
    properties.forEach((p, i) => {
      if (out.has(p)) return;
      const fits = bytes(clean[i]) <= 10 && clean[i] === p;
      if ((pass === 0) !== fits) return;
      let name = fits ? p : shorten(clean[i], bytes);
      for (let k = 2; taken.has(name.toUpperCase()); k++) name = cutToBytes(shorten(clean[i], bytes), 10 - String(k).length - 1, bytes) + `_${k}`;
      taken.add(name.toUpperCase());
      out.set(p, name);
    });
  }
  return new Map(properties.filter((p, i, a) => a.indexOf(p) === i).map((p) => [p, out.get(p)!]));
}

function sanitize(property: string): string {
  const s = String(property)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f\s]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (s === '') return 'field';
  return /^[0-9]/.test(s) ? `f${s}` : s;
}

function shorten(name: string, bytes: (s: string) => number): string {
  if (bytes(name) <= 10) return name;
  const words = name.split('_').filter(Boolean).map((w) => ABBREVIATIONS[w.toLowerCase()] ?? w);
  let joined = words.join('_');
  // trim the longest word (the last of equals) one character at a time, down to three characters
  while (bytes(joined) > 10) {
    let longest = -1;
    for (let i = 0; i < words.length; i++) if ([...words[i]].length > 3 && (longest < 0 || [...words[i]].length >= [...words[longest]].length)) longest = i;
    if (longest < 0) break;
    words[longest] = [...words[longest]].slice(0, -1).join('');
    joined = words.join('_');
  }
  if (bytes(joined) > 10) joined = words.join('');
  return cutToBytes(joined, 10, bytes);
}

/** The longest prefix of `s` that encodes to at most `max` bytes, cut between characters. */
function cutToBytes(s: string, max: number, bytes: (s: string) => number): string {
  let used = 0;
  let end = 0;
  for (const ch of s) {
    used += bytes(ch);
    if (used > max) break;
    end += ch.length;
  }
  return s.slice(0, end);
}

function dbfFields(features: Feature<Geometry | null>[], encoding: ShapefileEncoding): DbfField[] {
  const order: string[] = [];
  const seen = new Set<string>();
  for (const f of features) for (const k of Object.keys(f.properties ?? {})) if (!seen.has(k)) seen.add(k), order.push(k);
  if (order.length > 255) throw new Error(`a DBF holds at most 255 fields, found ${order.length} properties`);
  const names = dbfFieldNames(order, encoding);
  const encode = encoders[encoding];
  const fields = order.map((property): DbfField => {
    const values = features.map((f) => f.properties?.[property]).filter((v) => v !== null && v !== undefined);
    const name = names.get(property)!;
    if (values.length > 0 && values.every((v) => typeof v === 'boolean')) return { name, property, type: 'L', length: 1, decimals: 0 };
    const numbers = values.filter((v): v is number => typeof v === 'number');
    if (values.length > 0 && numbers.length === values.length && numbers.every((v) => !Number.isFinite(v) || Math.abs(v) < 1e17)) {
      const finite = numbers.filter(Number.isFinite);
      if (finite.every((v) => Number.isInteger(v) && Math.abs(v) < 1e15)) {
        return { name, property, type: 'N', length: Math.max(1, ...finite.map((v) => String(v).length)), decimals: 0 };
      }
      const intDigits = Math.max(1, ...finite.map((v) => String(Math.trunc(Math.abs(v))).length));
      // GDAL's default width for reals; decimals shrink only when the integer part needs the room
      return { name, property, type: 'N', length: 24, decimals: Math.max(0, Math.min(15, 24 - 2 - intDigits)) };
    }
    const length = Math.min(254, Math.max(1, ...values.map((v) => encode(textOf(v)).length)));
    return { name, property, type: 'C', length, decimals: 0 };
  });
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  if (recordLength > 65535) throw new Error(`a DBF record holds at most 65535 bytes, found ${recordLength}`);
  return fields;
}

function textOf(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function writeDbf(
  fields: DbfField[],
  rows: GeoJsonProperties[],
  encode: (s: string) => Uint8Array,
  encoding: ShapefileEncoding,
): { dbf: Uint8Array; truncated: number } {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const out = new Uint8Array(headerLength + recordLength * rows.length + 1);
  const view = new DataView(out.buffer);
  const now = new Date();
  out[0] = 0x03; // dBASE III without memo
  out[1] = now.getUTCFullYear() - 1900;
  out[2] = now.getUTCMonth() + 1;
  out[3] = now.getUTCDate();
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  // language driver: 0x4D is code page 936 (GBK); UTF-8 has none, the .cpg says it
  out[29] = encoding === 'GBK' ? 0x4d : 0x00;
  fields.forEach((f, i) => {
    const at = 32 + 32 * i;
    out.set(encode(f.name).subarray(0, 10), at);
    out[at + 11] = f.type.charCodeAt(0);
    out[at + 16] = f.length;
    out[at + 17] = f.decimals;
  });
  out[headerLength - 1] = 0x0d;
  let truncated = 0;
  let o = headerLength;
  for (const row of rows) {
    out[o++] = 0x20; // not deleted
    for (const f of fields) {
      const v = row?.[f.property];
      out.fill(0x20, o, o + f.length);
      if (v !== null && v !== undefined) {
        if (f.type === 'L') out[o] = v ? 0x54 : 0x46;
        else if (f.type === 'N') {
          if (typeof v === 'number' && Number.isFinite(v)) {
            const text = f.decimals === 0 ? String(v) : v.toFixed(f.decimals);
            out.set(strToU8(text), o + f.length - text.length);
          }
        } else {
          let bytes = encode(textOf(v));
          if (bytes.length > f.length) {
            bytes = encode(cutToBytes(textOf(v), f.length, (s) => encode(s).length));
            truncated++;
          }
          out.set(bytes, o);
        }
      } else if (f.type === 'L') out[o] = 0x3f;
      o += f.length;
    }
  }
  out[o] = 0x1a;
  return { dbf: out, truncated };
}

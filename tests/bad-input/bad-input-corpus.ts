/**
 * The bad-input corpus: files and requests a hostile or careless user sends, written by seeded code (no
 * hand-made binaries). Every case names the layer it is for and the answer it must get. Run it to look at
 * the files: `npx tsx tests/bad-input/bad-input-corpus.ts tmp/corpus` writes each one and an index.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, deflateSync } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import { writeArrayBuffer } from 'geotiff';
import { positionTransform } from '../../analysis/crs/transform-coordinates.ts';
import { encodeGbk } from '../../server/export/encode-gbk.ts';
import { shapefileZip } from '../../server/export/write-shapefile-zip.ts';
import { seededRandom } from '../support/seeded-random.ts';

export type LayerKind = 'facilities' | 'population' | 'roads' | 'units';

/** One bad file: the layer it is uploaded as, the status and code the API must answer, a word the reason names. */
export interface FileCase {
  name: string;
  kind: LayerKind;
  bytes: Uint8Array;
  /** extra form fields of the upload */
  fields?: Record<string, string>;
  status: number;
  code: string;
  /** what the one-line reason must say besides the file name */
  says: RegExp;
  /** what the case is, for the index */
  why: string;
  /** the unpacked-size cap (MB) the case is run under, for the decompression bombs */
  capMb?: number;
}

// the fixture region (server/features/regions/fixture-region.ts) spans 106.42–106.46 E, 30.53–30.55 N
export const REGION_BOX = [106.42, 30.53, 106.46, 30.55] as const;
const IN: [number, number][] = [[106.431, 30.533], [106.449, 30.544], [106.455, 30.548]];

const text = (s: string) => Buffer.from(s, 'utf8');
const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const point = (c: unknown, props: Record<string, unknown> = { name: '站', category: 'elderly_station' }) => ({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: c } });
const square = (w: number, s: number, e: number, n: number) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
const unit = (rings: unknown, name: unknown = '测试街道') => ({ type: 'Feature', properties: { name, code: '999001001' }, geometry: { type: 'Polygon', coordinates: rings } });
const road = (coords: [number, number][], props: Record<string, unknown> = { highway: 'residential' }) => ({ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates: coords } });

/** A valid file of each layer, inside the fixture region's box; the CLI's cases put one bad file among these. */
export function validFiles(): Record<LayerKind, { name: string; bytes: Uint8Array }> {
  const rows = ['lon,lat,population,population_60plus'];
  // corners first, so the population's box is the region's box and messages name the same span
  for (const [x, y] of [[106.42, 30.53], [106.46, 30.55]]) rows.push(`${x},${y},1,0`);
  for (let i = 1; i < 40; i++) for (let j = 1; j < 20; j++) rows.push(`${(106.42 + i * 0.001).toFixed(3)},${(30.53 + j * 0.001).toFixed(3)},${20 + ((i * 7 + j * 13) % 30)},5`);
  const lines: unknown[] = [];
  for (let x = 106.42; x <= 106.4601; x += 0.004) lines.push(road([[x, 30.53], [x, 30.55]]));
  for (let y = 30.53; y <= 30.5501; y += 0.004) lines.push(road([[106.42, y], [106.46, y]]));
  return {
    population: { name: 'people.csv', bytes: text(rows.join('\n') + '\n') },
    facilities: { name: 'stations.geojson', bytes: text(fc(IN.map((c, i) => point(c, { name: `站${i}`, category: 'elderly_station' })))) },
    roads: { name: 'roads.geojson', bytes: text(fc(lines)) },
    units: { name: 'towns.geojson', bytes: text(fc([unit(square(106.42, 30.53, 106.44, 30.55)), unit(square(106.44, 30.53, 106.46, 30.55), '测试镇')])) },
  };
}

/** An .xlsx of one sheet 'Sheet1' with these rows, written by exceljs (another tool than the reader's code). */
export async function workbook(rows: unknown[][], sheet = 'Sheet1'): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

function cut(bytes: Uint8Array, share = 0.5): Uint8Array {
  return bytes.subarray(0, Math.floor(bytes.length * share));
}

/** Bytes from the seeded generator: the same garbage on every run. */
function garbage(random: () => number, n: number, head: number[] = []): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
  out.set(head);
  return out;
}

function withoutParts(zip: Uint8Array, drop: RegExp): Uint8Array {
  const entries = unzipSync(zip);
  return zipSync(Object.fromEntries(Object.entries(entries).filter(([n]) => !drop.test(n))));
}

// an OSM PBF frame: 4-byte length, a BlobHeader of `type`, then the blob
function pbfFrame(blob: Uint8Array, type = 'OSMHeader', declared = blob.length): Uint8Array {
  const header = Buffer.concat([Buffer.from([0x0a, type.length]), Buffer.from(type), Buffer.from([0x18, declared & 0x7f | (declared > 127 ? 0x80 : 0), ...(declared > 127 ? [declared >> 7] : [])])]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(header.length);
  return new Uint8Array(Buffer.concat([size, header, blob]));
}

/**
 * Every bad file of the corpus, from `seed`. Facilities, population, roads and units each get truncated and
 * garbage files of every format they take, non-finite and huge numbers, swapped and projected coordinates,
 * places outside the region, bombs, deep nesting, and the value checks (category, text length, polygons).
 *
 * @example for (const c of await fileCases(7)) await upload(c.bytes, c.name, { kind: c.kind });
 */
export async function fileCases(seed = 7): Promise<FileCase[]> {
  const random = seededRandom(seed);
  const gk = positionTransform('EPSG:4544');
  const [gx, gy] = gk.forward(106.44, 30.54);
  const shp = await shapefileZip({ type: 'FeatureCollection', features: IN.map((c, i) => point(c, { name: `站${i}`, category: 'elderly_station' })) } as never, { crs: 'EPSG:4326', layerName: 'stations' });
  const goodFacilities = text(fc(IN.map((c) => point(c))));
  const tif = new Uint8Array(writeArrayBuffer(new Float32Array(800).fill(3), { width: 40, height: 20, ModelPixelScale: [1 / 1200, 1 / 1200, 0], ModelTiepoint: [0, 0, 0, 106.42, 30.55, 0], GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2 }));
  let deep = '1';
  for (let i = 0; i < 5000; i++) deep = `{"a":${deep}}`;
  const F = 'facilities', P = 'population', R = 'roads', U = 'units';
  const cases: FileCase[] = [
    // facilities: GeoJSON
    { name: 'f-truncated.geojson', kind: F, bytes: cut(goodFacilities), status: 422, code: 'invalid_geojson', says: /truncated/, why: 'GeoJSON cut in half' },
    { name: 'f-garbage.geojson', kind: F, bytes: garbage(random, 300, [0x7b]), status: 422, code: 'invalid_file', says: /not UTF-8/, why: 'seeded random bytes after a {' },
    { name: 'f-nan.geojson', kind: F, bytes: text(fc([point(['NaN_', 30.54])]).replace('"NaN_"', 'NaN')), status: 422, code: 'invalid_geojson', says: /not valid JSON/, why: 'a NaN literal, which JSON does not have' },
    { name: 'f-infinity.geojson', kind: F, bytes: text(fc([point([106.44, 30.54]), point(['INF_', 30.54])]).replace('"INF_"', '1e400')), status: 422, code: 'invalid_geojson', says: /feature 1: a coordinate is Infinity/, why: '1e400 parses to Infinity' },
    { name: 'f-far.geojson', kind: F, bytes: text(fc([point(IN[0]), point([-70, -30])])), status: 422, code: 'invalid_crs', says: /feature 1: .*outside/, why: 'a facility in Chile in a Sichuan region' },
    { name: 'f-deep.geojson', kind: F, bytes: text(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[106.44,30.54]},"properties":{"name":"x","category":"elderly_station","deep":${deep}}}]}`), status: 422, code: 'invalid_geojson', says: /nests deeper than 64/, why: 'a property nested 5,000 deep' },
    { name: 'f-line.geojson', kind: F, bytes: text(fc([road(IN.slice(0, 2), { name: 'x', category: 'elderly_station' })])), status: 422, code: 'invalid_file', says: /feature 0: geometry must be a Point/, why: 'a LineString as a facility' },
    { name: 'f-empty.geojson', kind: F, bytes: text(fc([])), status: 422, code: 'invalid_file', says: /at least one facility/, why: 'an empty FeatureCollection' },
    { name: 'f-array.geojson', kind: F, bytes: text('[1,2,3]'), status: 422, code: 'invalid_geojson', says: /expected a GeoJSON FeatureCollection/, why: 'JSON that is not GeoJSON' },
    // facilities: CSV, GBK CSV, .csv.gz
    { name: 'f-huge.csv', kind: F, bytes: text('name,category,lon,lat\n站,elderly_station,1e308,30.54\n'), status: 422, code: 'invalid_crs', says: /line 2/, why: 'a longitude of 1e308' },
    { name: 'f-swapped.csv', kind: F, bytes: text(`name,category,lon,lat\n${IN.map(([x, y]) => `站,elderly_station,${y},${x}`).join('\n')}\n`), status: 422, code: 'invalid_crs', says: /swapped|lat\/lon|latitude/i, why: 'lat and lon swapped' },
    { name: 'f-projected.csv', kind: F, bytes: text(`name,category,lon,lat\n站,elderly_station,${gx.toFixed(1)},${gy.toFixed(1)}\n`), status: 422, code: 'invalid_crs', says: /EPSG:45|projected|metres/i, why: 'Gauss-Krüger metres without a crs field' },
    { name: 'f-beijing.csv', kind: F, bytes: text('name,category,lon,lat\n站,elderly_station,106.44,30.54\n北京站,elderly_station,116.40,39.90\n'), status: 422, code: 'invalid_crs', says: /line 3: .*outside/, why: 'a point in Beijing in a Yuechi region' },
    { name: 'f-spaceport.csv', kind: F, bytes: text('name,category,lon,lat\n站,elderly_station,106.44,30.54\n发射场,spaceport,106.45,30.54\n'), status: 422, code: 'invalid_file', says: /line 3: category 'spaceport' is not one the circles know/, why: 'an unknown category' },
    { name: 'f-longname.csv', kind: F, bytes: text(`name,category,lon,lat\n${'名'.repeat(700_000)},elderly_station,106.44,30.54\n`), status: 422, code: 'invalid_file', says: /line 2: field 'name' must be at most 500 characters, found 700000/, why: 'a 2 MB name' },
    { name: 'f-unclosed-quote.csv', kind: F, bytes: text('name,category,lon,lat\n"站,elderly_station,106.44,30.54\n'), status: 422, code: 'invalid_file', says: /quote|line/i, why: 'a quote never closed (a truncated CSV)' },
    { name: 'f-nolat.csv', kind: F, bytes: text('name,category,lon\n站,elderly_station,106.44\n'), status: 422, code: 'missing_field', says: /column 'lat' is required/, why: 'no lat column' },
    { name: 'f-garbage.csv', kind: F, bytes: garbage(random, 400), status: 422, code: 'invalid_file', says: /./, why: 'seeded random bytes named .csv' },
    { name: 'f-gbk-broken.csv', kind: F, bytes: new Uint8Array([...encodeGbk('name,category,lon,lat\n养老站'), 0x81, 0x20, 0xff, ...encodeGbk(',elderly_station,106.44,30.54\n')]), status: 422, code: 'invalid_file', says: /line 2: bytes that are neither UTF-8 nor GBK/, why: 'GBK with an invalid byte pair' },
    { name: 'f-truncated.csv.gz', kind: F, bytes: cut(gzipSync(text('name,category,lon,lat\n' + '站,elderly_station,106.44,30.54\n'.repeat(200)))), status: 422, code: 'invalid_file', says: /gzip data is truncated/, why: 'a .csv.gz cut in half' },
    { name: 'f-bomb.csv.gz', kind: F, bytes: gzipSync(Buffer.concat([text('name,category,lon,lat\n'), Buffer.alloc(8 * 1024 * 1024, 0x30)])), status: 413, code: 'payload_too_large', says: /unpacks to more than 4 MB/, why: '8 MB of zeros in 8 KB', capMb: 4 },
    // facilities: zipped Shapefile, and formats the layer does not take
    { name: 'f-truncated.zip', kind: F, bytes: cut(shp), status: 422, code: 'invalid_file', says: /zip/, why: 'a zipped Shapefile cut in half' },
    { name: 'f-garbage.zip', kind: F, bytes: garbage(random, 500, [0x50, 0x4b, 0x03, 0x04]), status: 422, code: 'invalid_file', says: /zip/, why: 'a zip signature then random bytes' },
    { name: 'f-nodbf.zip', kind: F, bytes: withoutParts(shp, /\.dbf$/i), fields: { category: 'elderly_station' }, status: 422, code: 'invalid_file', says: /no \.dbf/, why: 'a Shapefile without its attribute table' },
    { name: 'f-noprj.zip', kind: F, bytes: withoutParts(shp, /\.prj$/i), fields: { category: 'elderly_station' }, status: 422, code: 'invalid_crs', says: /no \.prj/, why: 'a Shapefile without its CRS' },
    { name: 'f-bomb.zip', kind: F, bytes: zipSync({ 'a.shp': new Uint8Array(8 * 1024 * 1024), 'a.dbf': new Uint8Array(10) }), status: 413, code: 'payload_too_large', says: /unpacks to more than 4 MB/, why: '8 MB of zeros in a small zip', capMb: 4 },
    { name: 'f-sheet.xlsx', kind: F, bytes: zipSync({ '[Content_Types].xml': text('<Types/>'), 'xl/workbook.xml': text('<workbook/>') }), status: 422, code: 'invalid_file', says: /every sheet is empty/, why: 'a zip that only looks like a workbook: no sheets' },
    { name: 'f-truncated.xlsx', kind: F, bytes: cut(await workbook([['名称', '经度', '纬度', '类别'], ['站', 106.44, 30.54, 'elderly_station']])), status: 422, code: 'invalid_file', says: /not a readable \.xlsx workbook/, why: 'a real workbook cut in half' },
    { name: 'f-noheader.xlsx', kind: F, bytes: await workbook([['岳池县养老设施'], ['站', 106.44, 30.54]]), status: 422, code: 'invalid_file', says: /\[Sheet1\]: no heading row in rows 1–20/, why: 'a sheet without a heading row' },
    { name: 'f-formula.xlsx', kind: F, bytes: await workbook([['名称', '经度', '纬度', '类别'], ['站', { formula: '106+0.44', result: 106.44 }, 30.54, 'elderly_station']]), status: 422, code: 'invalid_file', says: /\[Sheet1\] row 2 column B: a formula \(=106\+0\.44\)/, why: 'a formula where a value belongs' },
    { name: 'f-password.xlsx', kind: F, bytes: garbage(random, 1024, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), status: 422, code: 'invalid_file', says: /password-protected \(encrypted\) workbook/, why: 'Excel saves a password-protected workbook as an encrypted OLE file, not a zip' },
    { name: 'f-empty.xlsx', kind: F, bytes: await workbook([]), status: 422, code: 'invalid_file', says: /every sheet is empty/, why: 'a workbook of empty sheets' },
    { name: 'f-old.xls', kind: F, bytes: garbage(random, 512, [0xd0, 0xcf, 0x11, 0xe0]), status: 415, code: 'unsupported_format', says: /Excel 97–2003 workbook/, why: 'the old binary Excel format' },
    { name: 'f-far.xlsx', kind: F, bytes: await workbook([['名称', '经度', '纬度', '类别'], ['站', 106.44, 30.54, 'elderly_station'], ['远', -70, -30, 'elderly_station']]), status: 422, code: 'invalid_crs', says: /\[Sheet1\] line 3: .*outside/, why: 'Chile in a Sichuan region, from Excel' },
    { name: 'f-raster.tif', kind: F, bytes: tif, status: 415, code: 'unsupported_format', says: /geojson, csv, xlsx, shapefile-zip/, why: 'a GeoTIFF as facilities' },
    // population
    { name: 'p-1e308.csv', kind: P, bytes: text('lon,lat,population\n106.44,30.54,1e308\n106.45,30.54,12\n'), status: 422, code: 'invalid_file', says: /line 2: column 'population' must be a number in \[0, 1e8\]/, why: 'an implausible population' },
    { name: 'p-nan.csv', kind: P, bytes: text('lon,lat,population\n106.44,30.54,NaN\n'), status: 422, code: 'invalid_file', says: /line 2/, why: 'NaN residents' },
    { name: 'p-negative.csv', kind: P, bytes: text('lon,lat,population\n106.44,30.54,-5\n'), status: 422, code: 'invalid_file', says: /line 2/, why: 'negative residents' },
    { name: 'p-allzero.csv', kind: P, bytes: text('lon,lat,population\n106.44,30.54,0\n106.45,30.54,0\n'), status: 422, code: 'invalid_file', says: /expected populated cells, found none/, why: 'every value 0' },
    { name: 'p-header-only.csv', kind: P, bytes: text('lon,lat,population\n'), status: 422, code: 'invalid_file', says: /rows after the header/, why: 'a header and no rows' },
    { name: 'p-swapped.csv', kind: P, bytes: text('lon,lat,population\n30.54,106.44,10\n30.545,106.45,10\n'), status: 422, code: 'invalid_crs', says: /line 2/, why: 'lat and lon swapped' },
    { name: 'p-truncated.tif', kind: P, bytes: cut(tif, 0.6), status: 422, code: 'invalid_file', says: /./, why: 'a GeoTIFF cut at 60 %' },
    { name: 'p-garbage.tif', kind: P, bytes: garbage(random, 600, [0x49, 0x49, 0x2a, 0x00]), status: 422, code: 'invalid_file', says: /./, why: 'a TIFF signature then random bytes' },
    { name: 'p-infinity.geojson', kind: P, bytes: text(fc([{ type: 'Feature', properties: { population: 10 }, geometry: { type: 'Polygon', coordinates: [[[106.43, 30.54], ['INF_', 30.54], [106.44, 30.545], [106.43, 30.54]]] } }]).replace('"INF_"', '1e400')), status: 422, code: 'invalid_geojson', says: /feature 0: a coordinate is Infinity/, why: 'a polygon vertex at 1e400' },
    // roads: OSM PBF and GeoJSON
    { name: 'r-garbage.osm.pbf', kind: R, bytes: pbfFrame(new Uint8Array([0x10, 16, 0x1a, ...deflateSync(Buffer.alloc(16, 0xff)).subarray(0, 10)])), status: 422, code: 'invalid_file', says: /not a readable OSM PBF/, why: 'valid block framing, a garbage blob (killed the server once)' },
    { name: 'r-truncated.osm.pbf', kind: R, bytes: pbfFrame(garbage(random, 20), 'OSMHeader', 300), status: 422, code: 'invalid_file', says: /truncated|ends|PBF/i, why: 'a block declaring 300 bytes with 20 present' },
    { name: 'r-random.osm.pbf', kind: R, bytes: garbage(random, 256, [0, 0, 0, 0x0d]), status: 422, code: 'invalid_file', says: /PBF/, why: 'seeded random bytes named .osm.pbf' },
    { name: 'r-points.geojson', kind: R, bytes: text(fc([point(IN[0], { highway: 'residential' })])), status: 422, code: 'invalid_file', says: /LineString/, why: 'points as roads' },
    { name: 'r-nohighway.geojson', kind: R, bytes: text(fc([road([IN[0], IN[1]], { name: '路' })])), status: 422, code: 'missing_field', says: /'highway' is required/, why: 'lines without a highway tag' },
    { name: 'r-elsewhere.geojson', kind: R, bytes: text(fc([road([[116.40, 39.90], [116.41, 39.91]])])), status: 422, code: 'invalid_crs', says: /outside/, why: 'roads wholly in Beijing' },
    // units
    { name: 'u-unclosed.geojson', kind: U, bytes: text(fc([unit([[[106.42, 30.53], [106.44, 30.53], [106.44, 30.55], [106.42, 30.55]]])])), status: 422, code: 'invalid_geojson', says: /feature 0/, why: 'a ring that is not closed' },
    { name: 'u-bowtie.geojson', kind: U, bytes: text(fc([unit([[[106.42, 30.53], [106.44, 30.55], [106.44, 30.53], [106.42, 30.55], [106.42, 30.53]]])])), status: 422, code: 'invalid_geojson', says: /feature 0 \(测试街道\): not a valid polygon: self-intersection at \[106\.43, 30\.54\].*repair=make-valid/, why: 'a bow tie (ST_IsValid false; repairable on request)' },
    { name: 'u-hole-outside.geojson', kind: U, bytes: text(fc([unit([...square(106.42, 30.53, 106.43, 30.54), [[106.45, 30.545], [106.455, 30.545], [106.455, 30.548], [106.45, 30.545]]])])), status: 422, code: 'invalid_geojson', says: /hole 1 lies outside its shell/, why: 'a hole outside its shell' },
    { name: 'u-noname.geojson', kind: U, bytes: text(fc([{ ...unit(square(106.42, 30.53, 106.44, 30.55)), properties: { code: '1' } }])), status: 422, code: 'missing_field', says: /property 'name' is required/, why: 'a township without a name' },
    { name: 'u-longname.geojson', kind: U, bytes: text(fc([unit(square(106.42, 30.53, 106.44, 30.55), '镇'.repeat(300))])), status: 422, code: 'invalid_file', says: /at most 200 characters/, why: 'a 300-character township name' },
    { name: 'u-projected.geojson', kind: U, bytes: text(fc([unit([[[gx, gy], [gx + 2000, gy], [gx + 2000, gy + 2000], [gx, gy]]])])), status: 422, code: 'invalid_crs', says: /EPSG:45|projected|metres/i, why: 'Gauss-Krüger metres as degrees' },
  ];
  return cases;
}

/** One bad request (not a file): the path under /api, what is sent, the status it must get. */
export interface RequestCase {
  name: string;
  method: 'POST' | 'PATCH';
  /** `{region}` is replaced by the region's id, `{facility}` by one of its facilities' */
  path: string;
  headers?: Record<string, string>;
  body: string;
  status: number;
  says: RegExp;
}

const json = (v: unknown) => JSON.stringify(v);
const facility = (over: Record<string, unknown>) => json({ category: 'elderly_station', name: '站', lon: 106.44, lat: 30.54, ...over });

/** Requests with wrong content types, encodings, ids and values; each must be a 4xx naming the field. */
export function requestCases(): RequestCase[] {
  const J = { 'content-type': 'application/json' };
  return [
    { name: 'import without multipart', method: 'POST', path: '/regions/{region}/imports', headers: J, body: json({ kind: 'facilities' }), status: 400, says: /multipart\/form-data/ },
    { name: 'import of an unknown kind', method: 'POST', path: '/regions/{region}/imports?kind=spaceships', headers: J, body: '{}', status: 400, says: /field 'kind'/ },
    { name: 'text/plain region', method: 'POST', path: '/regions', headers: { 'content-type': 'text/plain' }, body: 'name=岳池', status: 400, says: /JSON|content-type|object/i },
    { name: 'gzip header on a plain body', method: 'POST', path: '/regions', headers: { ...J, 'content-encoding': 'gzip' }, body: json({ name: 'x' }), status: 400, says: /Content-Encoding/ },
    { name: 'unknown content encoding', method: 'POST', path: '/regions', headers: { ...J, 'content-encoding': 'x-lzma' }, body: json({ name: 'x' }), status: 415, says: /encoding/i },
    { name: '100,000 [', method: 'POST', path: '/analyses', headers: J, body: '['.repeat(100_000), status: 400, says: /./ },
    { name: 'truncated JSON', method: 'POST', path: '/regions', headers: J, body: '{"name": "岳', status: 400, says: /JSON/ },
    { name: 'regionId 1.5', method: 'POST', path: '/analyses', headers: J, body: json({ regionId: 1.5, preset: 'elderly-care-15min' }), status: 400, says: /regionId/ },
    { name: 'regionId 2^60', method: 'POST', path: '/analyses', headers: J, body: json({ regionId: 2 ** 60, preset: 'elderly-care-15min' }), status: 400, says: /regionId/ },
    { name: 'facility NaN-like lon', method: 'POST', path: '/regions/{region}/facilities', headers: J, body: facility({ lon: 'NaN' }), status: 400, says: /field 'lon'/ },
    { name: 'facility lon 1e308', method: 'POST', path: '/regions/{region}/facilities', headers: J, body: facility({ lon: 1e308 }), status: 400, says: /field 'lon'/ },
    { name: 'facility in Chile', method: 'POST', path: '/regions/{region}/facilities', headers: J, body: facility({ lon: -70, lat: -30 }), status: 400, says: /must lie within the region/ },
    { name: 'facility moved to Beijing', method: 'PATCH', path: '/facilities/{facility}', headers: J, body: json({ lon: 116.4, lat: 39.9 }), status: 400, says: /must lie within the region/ },
    { name: 'facility category spaceport', method: 'POST', path: '/regions/{region}/facilities', headers: J, body: facility({ category: 'spaceport' }), status: 400, says: /'spaceport' is not one the circles know.*newCategory: true/ },
    { name: 'facility 100 kB name', method: 'POST', path: '/regions/{region}/facilities', headers: J, body: facility({ name: '名'.repeat(30_000) }), status: 400, says: /field 'name'/ },
    { name: 'facility 2 MB name', method: 'POST', path: '/regions/{region}/facilities', headers: J, body: facility({ name: '名'.repeat(700_000) }), status: 413, says: /./ },
    { name: 'facility deep properties', method: 'POST', path: '/regions/{region}/facilities', headers: J, body: facility({ properties: JSON.parse('{"a":'.repeat(2000) + '1' + '}'.repeat(2000)) }), status: 400, says: /./ },
  ];
}

// `npx tsx tests/bad-input/bad-input-corpus.ts DIR` writes the files and an index a person can read
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const dir = process.argv[2] ?? 'tmp/bad-input-corpus';
  mkdirSync(dir, { recursive: true });
  const cases = await fileCases();
  for (const c of cases) writeFileSync(join(dir, c.name), c.bytes);
  writeFileSync(join(dir, 'INDEX.md'), ['| file | layer | answer | why |', '| --- | --- | --- | --- |', ...cases.map((c) => `| ${c.name} | ${c.kind} | ${c.status} ${c.code} | ${c.why} |`)].join('\n') + '\n');
  process.stdout.write(`${cases.length} files written to ${dir}\n`);
}

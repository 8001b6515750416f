import { deflateSync, gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { writeArrayBuffer } from 'geotiff';
import { expect, it } from 'vitest';
import { positionTransform } from '../../analysis/crs/transform-coordinates.ts';
import { encodeGbk } from '../../server/export/encode-gbk.ts';
import { shapefileZip } from '../../server/export/write-shapefile-zip.ts';
import { rowCounts, TOKEN, uploadForm, type Harness } from './service-harness.ts';

const CSV = 'id,name,category,lon,lat,capacity,beds\nN1,新养老站一,elderly_station,106.435,30.541,10,10\nN2,新养老站二,elderly_station,106.451,30.536,,8\nN3,新幼儿园,kindergarten,106.445,30.547,120,\n';

function points(coords: [number, number][], props: (i: number) => Record<string, unknown> = (i) => ({ name: `点${i}`, category: 'elderly_station' })) {
  return { type: 'FeatureCollection', features: coords.map((c, i) => ({ type: 'Feature', properties: props(i), geometry: { type: 'Point', coordinates: c } })) };
}

const IN_REGION: [number, number][] = [[106.431, 30.533], [106.449, 30.544], [106.455, 30.548]];

/** Imports: each format, all-or-nothing, and the malformed files that must leave the database as it was. */
export function importsSuite(h: () => Harness): void {
  const post = (form: FormData) => h().api(`/regions/${h().regionId}/imports`, { form });

  async function rejected(form: FormData, status: number, code: string, ...words: (string | RegExp)[]): Promise<Record<string, unknown>> {
    const before = await rowCounts(h());
    const r = await post(form);
    const body = await r.json();
    expect({ status: r.status, code: body.error?.code }).toEqual({ status, code });
    for (const w of words) expect(body.error.message).toMatch(w);
    expect(await rowCounts(h())).toEqual(before);
    return body.error;
  }

  it('imports facilities from UTF-8 CSV, keeping extra columns as properties', async () => {
    const before = await rowCounts(h());
    const r = await post(uploadForm(CSV, '../../etc/设施.csv', { kind: 'facilities', status: 'planned' }));
    expect(r.status).toBe(201);
    const body = await r.json();
    expect(body.import).toMatchObject({ kind: 'facilities', format: 'csv', rowCount: 3, fileName: '设施.csv' });
    expect(await rowCounts(h())).toMatchObject({ facilities: before.facilities + 3, imports: before.imports + 1 });
    const { facilities } = await (await h().api(`/regions/${h().regionId}/facilities?status=planned&category=kindergarten`)).json();
    expect(facilities[0]).toMatchObject({ externalId: 'N3', name: '新幼儿园', capacity: 120, properties: { beds: null } });
    expect(facilities[0].source).toContain(`import:${body.import.id}`);
  });

  it('imports GBK-encoded CSV (Chinese Excel export)', async () => {
    const gbk = encodeGbk('name,category,lon,lat\n岳池养老服务驿站,elderly_station,106.433,30.539\n');
    const r = await post(uploadForm(gbk, 'gbk.csv', { kind: 'facilities', status: 'candidate' }));
    expect(r.status).toBe(201);
    const { facilities } = await (await h().api(`/regions/${h().regionId}/facilities?status=candidate&category=elderly_station`)).json();
    expect(facilities.map((f: { name: string }) => f.name)).toContain('岳池养老服务驿站');
  });

  it('imports facilities from Excel (.xlsx) as from the equivalent CSV: Chinese headings, a merged title row, numbers stored as text', async () => {
    // the workbook is written with exceljs here, as another tool would: a merged banner, then 名称/经度/纬度/类别/床位数
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('养老设施');
    ws.addRow(['岳池县养老设施清单（2024）']);
    ws.mergeCells('A1:E1');
    ws.addRow(['名称', '经度', '纬度', '类别', '床位数']);
    ws.addRow(['表格养老站一', '106.4351', '30.5412', 'elderly_station', '12']);
    ws.addRow(['表格养老站二', 106.4512, 30.5363, 'elderly_station', 8]);
    const xlsx = new Uint8Array(await book.xlsx.writeBuffer());
    const csv = 'name,lon,lat,category,beds\n表格养老站一,106.4351,30.5412,elderly_station,12\n表格养老站二,106.4512,30.5363,elderly_station,8\n';
    const pick = (fs: Array<Record<string, unknown>>) => fs.map((f) => ({ name: f.name, lon: f.lon, lat: f.lat, category: f.category, properties: f.properties }));
    const region = await (await h().api('/regions', { body: { name: '表格' } })).json();
    const at = (id: number, form: FormData) => h().api(`/regions/${id}/imports`, { form });
    const x = await at(region.id, uploadForm(xlsx, '设施.xlsx', { kind: 'facilities' }));
    expect(x.status).toBe(201);
    expect((await x.json()).import).toMatchObject({ format: 'xlsx', rowCount: 2 });
    const fromXlsx = (await (await h().api(`/regions/${region.id}/facilities`)).json()).facilities;
    const other = await (await h().api('/regions', { body: { name: '表格对照' } })).json();
    expect((await at(other.id, uploadForm(csv, '设施.csv', { kind: 'facilities' }))).status).toBe(201);
    const fromCsv = (await (await h().api(`/regions/${other.id}/facilities`)).json()).facilities;
    expect(pick(fromXlsx)).toEqual(pick(fromCsv));
    expect(fromXlsx[0].properties).toEqual({ beds: 12 });
    // a bad row is named by its sheet and Excel row number
    const bad = new ExcelJS.Workbook();
    const bs = bad.addWorksheet('养老设施');
    bs.addRow(['标题']); bs.addRow(['名称', '经度', '纬度', '类别']); bs.addRow(['站', 'abc', 30.54, 'elderly_station']);
    const r = await at(region.id, uploadForm(new Uint8Array(await bad.xlsx.writeBuffer()), 'bad.xlsx', { kind: 'facilities' }));
    expect(r.status).toBe(422);
    expect((await r.json()).error.message).toMatch(/^bad\.xlsx \[养老设施\] line 3: /);
    for (const id of [region.id, other.id]) expect((await h().api(`/regions/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('imports GeoJSON points, gzipped too, and a zipped Shapefile', async () => {
    const fc = points(IN_REGION);
    expect((await post(uploadForm(JSON.stringify(fc), 'pts.geojson', { kind: 'facilities', status: 'candidate' }))).status).toBe(201);
    expect((await post(uploadForm(gzipSync(JSON.stringify(fc)), 'pts.geojson.gz', { kind: 'facilities', status: 'candidate' }))).status).toBe(201);
    const zip = await shapefileZip(points(IN_REGION, (i) => ({ name: `站${i}` })) as never, { crs: 'EPSG:4544', layerName: 'stations' });
    const r = await post(uploadForm(zip, 'stations.zip', { kind: 'facilities', category: 'meal_point', status: 'candidate' }));
    expect(r.status).toBe(201);
    const { facilities } = await (await h().api(`/regions/${h().regionId}/facilities?category=meal_point`)).json();
    // the .prj put the Gauss-Krüger metres back on the region
    expect(facilities.length).toBe(3);
    for (const f of facilities) expect(Math.abs(f.lon - 106.44)).toBeLessThan(0.05);
  });

  it('converts coordinates from a CRS the client names', async () => {
    const gk = positionTransform('EPSG:4544');
    const fc = points(IN_REGION.map(([x, y]) => gk.forward(x, y)), (i) => ({ name: `GK${i}`, category: 'culture_room' }));
    const r = await post(uploadForm(JSON.stringify(fc), 'gk.geojson', { kind: 'facilities', crs: 'EPSG:4544' }));
    expect(r.status).toBe(201);
    const { facilities } = await (await h().api(`/regions/${h().regionId}/facilities?category=culture_room`)).json();
    expect(facilities[0].lon).toBeCloseTo(106.431, 5);
  });

  it('rejects invalid GeoJSON naming the feature, and writes nothing', async () => {
    const fc = points(IN_REGION);
    (fc.features[1].geometry as { coordinates: number[] }).coordinates = [106.4];
    const error = await rejected(uploadForm(JSON.stringify(fc), 'bad.geojson', { kind: 'facilities' }), 422, 'invalid_geojson', /feature 1/);
    expect(error.details).toMatchObject({ feature: 1 });
  });

  it('rejects projected coordinates given as degrees (wrong CRS), and writes nothing', async () => {
    const gk = positionTransform('EPSG:4544');
    const fc = points(IN_REGION.map(([x, y]) => gk.forward(x, y)));
    await rejected(uploadForm(JSON.stringify(fc), 'gk.geojson', { kind: 'facilities' }), 422, 'invalid_crs', /feature 0/, /Gauss-Kr/);
    const swapped = points(IN_REGION.map(([x, y]) => [y, x]));
    await rejected(uploadForm(JSON.stringify(swapped), 'swapped.geojson', { kind: 'facilities' }), 422, 'invalid_crs', /swapped/);
    const far = points([[116.4, 39.9]]);
    await rejected(uploadForm(JSON.stringify(far), 'beijing.geojson', { kind: 'facilities' }), 422, 'invalid_crs', /region spans/);
    await rejected(uploadForm(JSON.stringify(points(IN_REGION)), 'x.geojson', { kind: 'facilities', crs: 'EPSG:1234' }), 422, 'invalid_crs', /unknown CRS/);
  });

  it('rejects a CSV without a required column, naming it, and writes nothing', async () => {
    const error = await rejected(uploadForm('name,category,lon\nA,elderly_station,106.44\n', 'nolat.csv', { kind: 'facilities' }), 422, 'missing_field', /column 'lat' is required/, /found columns 'name', 'category', 'lon'/);
    expect(error.details).toMatchObject({ field: 'lat', line: 1 });
    await rejected(uploadForm('name,lon,lat\nA,106.44,30.54\n', 'nocat.csv', { kind: 'facilities' }), 422, 'missing_field', /'category'/);
    await rejected(uploadForm('lon,lat\n106.44,30.54\n', 'nopop.csv', { kind: 'population' }), 422, 'missing_field', /'population'/);
    const roads = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'x' }, geometry: { type: 'LineString', coordinates: [[106.43, 30.54], [106.44, 30.54]] } }] };
    await rejected(uploadForm(JSON.stringify(roads), 'roads.geojson', { kind: 'roads' }), 422, 'missing_field', /feature 0: property 'highway'/);
  });

  it('rejects truncated files, and writes nothing', async () => {
    const text = JSON.stringify(points(IN_REGION));
    await rejected(uploadForm(text.slice(0, Math.floor(text.length * 0.6)), 'cut.geojson', { kind: 'facilities' }), 422, 'invalid_geojson', /truncated/);
    const gz = gzipSync(CSV);
    await rejected(uploadForm(gz.subarray(0, gz.length - 12), 'cut.csv.gz', { kind: 'facilities' }), 422, 'invalid_file', /truncated/);
    const zip = await shapefileZip(points(IN_REGION) as never, { crs: 'EPSG:4326', layerName: 'cut' });
    await rejected(uploadForm(zip.subarray(0, Math.floor(zip.length / 2)), 'cut.zip', { kind: 'facilities' }), 422, 'invalid_file', /cut\.zip/);
    // a CSV cut mid-row leaves the last row without its latitude
    await rejected(uploadForm(CSV.slice(0, CSV.lastIndexOf(',106.445') + 8), 'cut.csv', { kind: 'facilities' }), 422, 'invalid_file', /line 4/, /'lat'/);
  });

  it('writes nothing when one row deep in the file is bad (all or nothing)', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `S${i},站${i},elderly_station,${(106.43 + i * 0.0005).toFixed(4)},30.54`);
    rows[41] = 'S41,站41,elderly_station,106.44,abc';
    await rejected(uploadForm(`id,name,category,lon,lat\n${rows.join('\n')}\n`, 'rows.csv', { kind: 'facilities' }), 422, 'invalid_file', /line 43/);
    const dup = ['D1,a,elderly_station,106.44,30.54', 'D1,b,elderly_station,106.45,30.54'];
    await rejected(uploadForm(`id,name,category,lon,lat\n${dup.join('\n')}\n`, 'dup.csv', { kind: 'facilities' }), 422, 'invalid_file', /used twice/);
  });

  it('rejects formats a layer does not take, unknown kinds and missing files', async () => {
    await rejected(uploadForm(Uint8Array.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]), 'x.tif', { kind: 'facilities' }), 415, 'unsupported_format', /geojson, csv, xlsx, shapefile-zip/);
    await rejected(uploadForm(CSV, 'x.csv', { kind: 'schools' }), 400, 'validation_failed', /field 'kind'/);
    const form = new FormData();
    form.append('kind', 'facilities');
    await rejected(form, 400, 'validation_failed', /named 'file'/);
  });

  it('imports a GeoTIFF population raster; a truncated one writes nothing', async () => {
    const width = 40, height = 20;
    const data = new Float32Array(width * height).map((_, i) => (i % 7) + 1);
    const tif = new Uint8Array(writeArrayBuffer(data, { width, height, ModelPixelScale: [1 / 1200, 1 / 1200, 0], ModelTiepoint: [0, 0, 0, 106.42, 30.55, 0], GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2 }));
    await rejected(uploadForm(tif.subarray(0, Math.floor(tif.length * 0.6)), 'pop.tif', { kind: 'population' }), 422, 'invalid_file', /pop\.tif/);
    const region = await (await h().api('/regions', { body: { name: '栅格区域' } })).json();
    const r = await h().api(`/regions/${region.id}/imports`, { form: uploadForm(tif, 'pop.tif', { kind: 'population', cellSize: '200' }) });
    expect(r.status).toBe(201);
    expect((await r.json()).import).toMatchObject({ format: 'geotiff', rowCount: expect.any(Number) });
    const view = await (await h().api(`/regions/${region.id}`)).json();
    expect(view.layers.grid).toMatchObject({ cellSize: 200, metadata: { population: data.reduce((a, b) => a + b, 0) } });
    expect(view.bbox[0]).toBeCloseTo(106.42, 2);
    expect((await h().api(`/regions/${region.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('refuses hostile files with a 4xx naming the file, stays up, and writes nothing (issue 11)', async () => {
    const health = async () => expect((await h().api('/health')).status).toBe(200);
    // OSM PBF block framing around garbage: a bad blob, and a valid zlib stream of garbage (the parser used to
    // throw from a zlib callback and take the process down)
    const frame = (blob: Buffer) => {
      const header = Buffer.concat([Buffer.from([0x0a, 7]), Buffer.from('OSMData'), Buffer.from([0x18, blob.length])]);
      const size = Buffer.alloc(4); size.writeUInt32BE(header.length);
      return new Uint8Array(Buffer.concat([size, header, blob]));
    };
    const z = deflateSync(Buffer.alloc(16, 0xff));
    for (const pbf of [frame(Buffer.alloc(8, 0xff)), frame(Buffer.concat([Buffer.from([0x10, 16, 0x1a, z.length]), z]))]) {
      await rejected(uploadForm(pbf, 'garbage.osm.pbf', { kind: 'roads' }), 422, 'invalid_file', /garbage\.osm\.pbf: not a readable OSM PBF file/);
      await health();
    }
    // nesting that would overflow a recursive validator or writer
    let deep = '1';
    for (let i = 0; i < 5000; i++) deep = `{"a":${deep}}`;
    const deepFile = `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[106.44,30.54]},"properties":{"name":"x","category":"elderly_station","deep":${deep}}}]}`;
    await rejected(uploadForm(deepFile, 'deep.geojson', { kind: 'facilities' }), 422, 'invalid_geojson', /deep\.geojson: nests deeper than 64 levels/);
    const deepGeometry = `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":${'['.repeat(5000)}${']'.repeat(5000)}},"properties":{}}]}`;
    await rejected(uploadForm(deepGeometry, 'deep2.geojson', { kind: 'facilities' }), 422, 'invalid_geojson', /nests deeper/);
    // decompression bombs: refused once the unpacked bytes pass the cap, before they are parsed
    const cap = process.env.LIFECIRCLE_MAX_UNPACKED_MB;
    process.env.LIFECIRCLE_MAX_UNPACKED_MB = '4';
    try {
      const bomb = gzipSync(Buffer.concat([Buffer.from('lon,lat,population\n'), Buffer.alloc(8 * 1024 * 1024, 0x30)]));
      expect(bomb.length).toBeLessThan(64 * 1024);
      await rejected(uploadForm(bomb, 'zeros.csv.gz', { kind: 'population' }), 413, 'payload_too_large', /zeros\.csv\.gz: unpacks to more than 4 MB/);
      const zipBomb = zipSync({ 'a.shp': new Uint8Array(8 * 1024 * 1024), 'a.dbf': new Uint8Array(10) });
      await rejected(uploadForm(zipBomb, 'zeros.zip', { kind: 'facilities' }), 413, 'payload_too_large', /zeros\.zip: unpacks to more than 4 MB/);
    } finally {
      if (cap === undefined) delete process.env.LIFECIRCLE_MAX_UNPACKED_MB; else process.env.LIFECIRCLE_MAX_UNPACKED_MB = cap;
    }
    await health();
  });

  it('refuses an implausible population (1e308) and takes the repair afterwards', async () => {
    const region = await (await h().api('/regions', { body: { name: '人口检查' } })).json();
    const at = (text: string) => h().api(`/regions/${region.id}/imports`, { form: uploadForm(text, 'pop.csv', { kind: 'population' }) });
    const bad = await at('lon,lat,population\n106.44,30.54,1e308\n106.45,30.54,12\n');
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.message).toMatch(/pop\.csv line 2: column 'population' must be a number in \[0, 1e8\], found '1e308'/);
    const good = await at('lon,lat,population\n106.44,30.54,10\n106.45,30.54,12\n');
    expect(good.status).toBe(201);
    const view = await (await h().api(`/regions/${region.id}`)).json();
    expect(view.bbox.every((x: unknown) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
    expect(view.layers.grid.metadata.population).toBe(22);
    expect((await h().api(`/regions/${region.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('answers malformed requests with a 400, never a 500', async () => {
    for (const regionId of [1.5, 2 ** 60, -1, '1']) {
      const r = await h().api('/analyses', { body: { regionId, preset: 'elderly-care-15min' } });
      expect({ regionId, status: r.status }).toEqual({ regionId, status: 400 });
      expect((await r.json()).error.message).toMatch(/regionId/);
    }
    const plain = await h().api('/analyses', { body: { preset: 'elderly-care-15min' }, headers: { 'content-encoding': 'gzip' } });
    expect(plain.status).toBe(400);
    expect((await plain.json()).error.message).toMatch(/Content-Encoding/);
    const brackets = await fetch(`${h().url}/api/analyses`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '['.repeat(100_000) });
    expect(brackets.status).toBe(400);
    // HSTS over plain HTTP would lock a bureau's browsers out of its http:// intranet address
    expect((await h().api('/health')).headers.get('strict-transport-security')).toBeNull();
  });

  it('rejects uploads over the size limit', async () => {
    const r = await post(uploadForm(new Uint8Array(5 * 1024 * 1024), 'big.csv', { kind: 'facilities' }));
    expect(r.status).toBe(413);
    expect((await r.json()).error.code).toBe('payload_too_large');
  });

  it('builds a new region from uploads and analyses it', async () => {
    const created = await (await h().api('/regions', { body: { name: '上传区域', code: '999002' } })).json();
    const at = (kind: string, text: string, name: string) => h().api(`/regions/${created.id}/imports`, { form: uploadForm(text, name, { kind }) });
    const box = (w: number, e: number) => [[[w, 30.53], [e, 30.53], [e, 30.55], [w, 30.55], [w, 30.53]]];
    const units = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: '甲街道', code: 'A', type: '街道' }, geometry: { type: 'Polygon', coordinates: box(106.42, 106.44) } }, { type: 'Feature', properties: { name: '乙镇', code: 'B', type: '镇' }, geometry: { type: 'Polygon', coordinates: box(106.44, 106.46) } }] };
    expect((await at('units', JSON.stringify(units), 'units.geojson')).status).toBe(201);
    const pop = ['lon,lat,population,population_60plus', ...Array.from({ length: 30 }, (_, i) => `${(106.421 + i * 0.0013).toFixed(4)},30.54,100,30`)].join('\n');
    expect((await at('population', pop, 'pop.csv')).status).toBe(201);
    const road = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[106.42, 30.5401], [106.46, 30.5401]] } }] };
    expect((await at('roads', JSON.stringify(road), 'roads.geojson')).status).toBe(201);
    expect((await at('facilities', 'name,category,lon,lat\n站,elderly_station,106.43,30.5402\n', 'f.csv')).status).toBe(201);
    const run = await h().api('/analyses', { body: { regionId: created.id, preset: 'elderly-care-15min' } });
    expect(run.status).toBe(201);
    const body = await run.json();
    expect(body.units.map((u: { name: string }) => u.name)).toEqual(['甲街道', '乙镇']);
    expect(body.summary.aged60.total).toBe(900);
    const imports = (await (await h().api(`/regions/${created.id}/imports`)).json()).imports;
    expect(imports.map((i: { kind: string }) => i.kind).sort()).toEqual(['facilities', 'population', 'roads', 'units']);
    expect((await h().api(`/regions/${created.id}`, { method: 'DELETE' })).status).toBe(204);
  });
}

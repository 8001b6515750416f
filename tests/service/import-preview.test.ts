// The dry run of an import (POST /api/regions/:id/imports/preview) and the column mapping both it and the
// import take, on the real app over PGlite: nothing written, every bad row named, mapped headers imported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteDatabase, rowCounts, startHarness, uploadForm, type Harness } from './service-harness.ts';

const MAPPED = '机构名称,X坐标,Y坐标,类型\n映射养老站一,106.436,30.540,elderly_station\n映射养老站二,106.447,30.545,elderly_station\n映射幼儿园,106.452,30.538,kindergarten\n';
const COLUMNS = JSON.stringify({ name: '机构名称', lon: 'X坐标', lat: 'Y坐标', category: '类型' });

describe('import preview and column mapping (PGlite)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(await pgliteDatabase());
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  const preview = (form: FormData) => h.api(`/regions/${h.regionId}/imports/preview`, { form });
  const commit = (form: FormData) => h.api(`/regions/${h.regionId}/imports`, { form });

  it('previews a good file without writing a row: features, headers and the columns it read', async () => {
    const csv = 'id,name,category,lon,lat,capacity\nP1,预览站一,elderly_station,106.435,30.541,10\nP2,预览站二,elderly_station,106.451,30.536,\n';
    const before = await rowCounts(h);
    const r = await preview(uploadForm(csv, '预览.csv', { kind: 'facilities' }));
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(await rowCounts(h)).toEqual(before);
    expect(body).toMatchObject({ kind: 'facilities', fileName: '预览.csv', format: 'csv', total: 2, ok: true, errorCount: 0, errors: [] });
    expect(body.headers).toEqual(['id', 'name', 'category', 'lon', 'lat', 'capacity']);
    expect(body.columns).toMatchObject({ lon: 'lon', lat: 'lat', name: 'name', category: 'category', id: 'id', capacity: 'capacity', status: null });
    expect(body.features.features.map((f: { properties: { name: string; line: number } }) => [f.properties.name, f.properties.line])).toEqual([['预览站一', 2], ['预览站二', 3]]);
    expect(body.features.features[0].geometry).toEqual({ type: 'Point', coordinates: [106.435, 30.541] });
  });

  it('lists every bad row of one file, each with its line, column, expected and found; the import of it stays all or nothing', async () => {
    const csv = [
      'name,类型,lon,lat,capacity,status',
      '好站一,x,106.435,30.541,10,existing',
      '坏纬度,x,106.440,abc,5,existing',
      '好站二,x,106.445,30.543,,existing',
      '坏容量,x,106.446,30.544,-3,existing',
      '坏类别,x,106.447,30.545,2,existing',
      '坏状态,x,106.448,30.546,2,demolished',
    ].join('\n').replace(/,x,/g, ',elderly_station,').replace('坏类别,elderly_station', '坏类别,spaceport') + '\n';
    const fields = { kind: 'facilities', columns: JSON.stringify({ category: '类型' }) };
    const before = await rowCounts(h);
    const body = await (await preview(uploadForm(csv, 'bad-rows.csv', fields))).json();
    expect(await rowCounts(h)).toEqual(before);
    expect(body.ok).toBe(false);
    expect(body.errorCount).toBe(4);
    const rows = body.errors.map((e: Record<string, unknown>) => ({ line: e.line, field: e.field, column: e.column, found: e.found }));
    expect(rows).toEqual([
      { line: 3, field: 'lat', column: 'lat', found: 'abc' },
      { line: 5, field: 'capacity', column: 'capacity', found: '-3' },
      { line: 6, field: 'category', column: '类型', found: 'spaceport' },
      { line: 7, field: 'status', column: 'status', found: "'demolished'" },
    ]);
    expect(body.errors[0].expected).toBe('a number in [-90, 90]');
    expect(body.errors[2].message).toContain('spaceport');
    // the good rows are drawn; the one that failed only a later check (the unknown category) is drawn, marked
    expect(body.features.features.map((f: { properties: { name: string; problem: boolean } }) => `${f.properties.name}${f.properties.problem ? '!' : ''}`)).toEqual(['好站一', '好站二', '坏类别!']);
    // the real import refuses the same file as a whole, naming its first bad line
    const r = await commit(uploadForm(csv, 'bad-rows.csv', fields));
    expect(r.status).toBe(422);
    expect((await r.json()).error.message).toMatch(/bad-rows\.csv line 3: column 'lat'/);
    expect(await rowCounts(h)).toEqual(before);
  });

  it('names the bad rows of an Excel sheet by their Excel row, with the mapped column in the sentence', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('设施');
    ws.addRow(['岳池县设施（2024）']);
    ws.addRow(['名称', 'X坐标', 'Y坐标', '类别']);
    ws.addRow(['表一', 106.436, 30.54, 'elderly_station']);
    ws.addRow(['表二', 106.44, 'abc', 'elderly_station']);
    ws.addRow(['表三', 'east', 30.55, 'elderly_station']);
    const xlsx = new Uint8Array(await book.xlsx.writeBuffer());
    const before = await rowCounts(h);
    const body = await (await preview(uploadForm(xlsx, '设施.xlsx', { kind: 'facilities', columns: JSON.stringify({ lon: 'X坐标', lat: 'Y坐标' }) }))).json();
    expect(await rowCounts(h)).toEqual(before);
    // the sheet's Chinese headings are read as the CSV names (名称 → name), so those are the headers offered
    expect(body.headers).toEqual(['name', 'X坐标', 'Y坐标', 'category']);
    expect(body.errors.map((e: Record<string, unknown>) => [e.line, e.column, e.found])).toEqual([[4, 'Y坐标', 'abc'], [5, 'X坐标', 'east']]);
    expect(body.errors[0].message).toBe("column 'Y坐标' (lat) must be a number in [-90, 90], found 'abc'");
    expect(body.total).toBe(1);
  });

  it('previews a population CSV as its cells, writing no grid', async () => {
    const csv = 'X,Y,人数\n106.436,30.540,120\n106.446,30.545,80\n';
    const before = await rowCounts(h);
    const body = await (await preview(uploadForm(csv, 'pop.csv', { kind: 'population', columns: JSON.stringify({ lon: 'X', lat: 'Y', population: '人数' }) }))).json();
    expect(await rowCounts(h)).toEqual(before);
    expect(body).toMatchObject({ kind: 'population', ok: true, total: 2, columns: { lon: 'X', lat: 'Y', population: '人数' } });
    expect(body.features.features.reduce((a: number, f: { properties: { population: number } }) => a + f.properties.population, 0)).toBeCloseTo(200);
  });

  it('caps the error list and says how many there are in all', async () => {
    const lines = ['name,category,lon,lat', ...Array.from({ length: 250 }, (_, i) => `站${i},elderly_station,106.44,not-a-number`), '好站,elderly_station,106.44,30.54'];
    const body = await (await preview(uploadForm(lines.join('\n'), 'many.csv', { kind: 'facilities' }))).json();
    expect({ listed: body.errors.length, count: body.errorCount, total: body.total, first: body.errors[0].line, last: body.errors.at(-1).line }).toEqual({ listed: 200, count: 250, total: 1, first: 2, last: 201 });
  });

  it('names bad features of a GeoJSON file and maps its properties', async () => {
    const fc = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { 名称: '点一', 类型: 'elderly_station' }, geometry: { type: 'Point', coordinates: [106.44, 30.54] } },
      { type: 'Feature', properties: { 名称: '线', 类型: 'elderly_station' }, geometry: { type: 'LineString', coordinates: [[106.44, 30.54], [106.45, 30.55]] } },
      { type: 'Feature', properties: { 名称: '点三', 类型: 'moonbase' }, geometry: { type: 'Point', coordinates: [106.45, 30.55] } },
    ] };
    const body = await (await preview(uploadForm(JSON.stringify(fc), 'points.geojson', { kind: 'facilities', columns: JSON.stringify({ name: '名称', category: '类型' }) }))).json();
    expect(body.headers).toEqual(['名称', '类型']);
    expect(body.fields.map((f: { field: string }) => f.field)).not.toContain('lon');
    expect(body.errors.map((e: Record<string, unknown>) => [e.feature, e.field, e.found])).toEqual([[1, 'geometry', 'LineString'], [2, 'category', 'moonbase']]);
    expect(body.features.features[0].properties.name).toBe('点一');
  });

  it('previews a file whose headers are not recognised as the missing column, with the headers; the mapping then imports it', async () => {
    const before = await rowCounts(h);
    const plain = await (await preview(uploadForm(MAPPED, '机构.csv', { kind: 'facilities' }))).json();
    expect(plain.ok).toBe(false);
    expect(plain.headers).toEqual(['机构名称', 'X坐标', 'Y坐标', '类型']);
    expect(plain.errors).toHaveLength(1);
    expect(plain.errors[0]).toMatchObject({ line: 1, field: 'lon' });
    expect(plain.errors[0].message).toContain("column 'lon' is required");
    expect(plain.fields.filter((f: { required: boolean }) => f.required).map((f: { field: string }) => f.field)).toEqual(['lon', 'lat', 'category']);

    const mapped = await (await preview(uploadForm(MAPPED, '机构.csv', { kind: 'facilities', columns: COLUMNS }))).json();
    expect(mapped).toMatchObject({ ok: true, total: 3, columns: { name: '机构名称', lon: 'X坐标', lat: 'Y坐标', category: '类型' } });
    expect(await rowCounts(h)).toEqual(before);

    const r = await commit(uploadForm(MAPPED, '机构.csv', { kind: 'facilities', columns: COLUMNS, status: 'planned' }));
    expect(r.status).toBe(201);
    expect((await r.json()).import).toMatchObject({ rowCount: 3, details: { columns: { lon: 'X坐标' } } });
    expect(await rowCounts(h)).toMatchObject({ facilities: before.facilities + 3, imports: before.imports + 1 });
    const { facilities } = await (await h.api(`/regions/${h.regionId}/facilities?status=planned&category=kindergarten`)).json();
    expect(facilities.map((f: { name: string; lon: number }) => [f.name, f.lon])).toContainEqual(['映射幼儿园', 106.452]);
  });

  it('is in the OpenAPI document, with the columns field the import takes too', async () => {
    const doc = await (await h.api('/openapi.json')).json();
    const post = doc.paths['/api/regions/{regionId}/imports/preview'].post;
    expect(post.responses['200'].content['application/json'].schema.properties.errors.items.required).toEqual(['field', 'expected', 'found', 'message']);
    expect(post.requestBody.content['multipart/form-data'].schema.properties.columns.type).toBe('string');
    expect(doc.paths['/api/regions/{regionId}/imports'].post.requestBody.content['multipart/form-data'].schema.properties.columns).toBeDefined();
  });

  it('refuses a mapping that names a column the file lacks, 400 naming the file and the column, in preview and import alike', async () => {
    const columns = JSON.stringify({ name: '机构名称', lon: 'X坐标', lat: 'Z坐标', category: '类型' });
    const before = await rowCounts(h);
    for (const send of [preview, commit]) {
      const r = await send(uploadForm(MAPPED, '机构.csv', { kind: 'facilities', columns }));
      const { error } = await r.json();
      expect({ status: r.status, code: error.code, field: error.details?.field, column: error.details?.column }).toEqual({ status: 400, code: 'validation_failed', field: 'columns', column: 'Z坐标' });
      expect(error.message).toMatch(/机构\.csv line 1: field 'columns' maps 'lat' to column 'Z坐标'/);
      expect(error.message).toContain("'Y坐标'");
    }
    const bad = await preview(uploadForm(MAPPED, '机构.csv', { kind: 'facilities', columns: '{"elevation":"X坐标"}' }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain("no field 'elevation'");
    expect(await rowCounts(h)).toEqual(before);
  });
});

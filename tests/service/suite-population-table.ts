import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { expect, it } from 'vitest';
import { decodeGrid } from '../../server/features/regions/grid-codec.ts';
import { fixtureRegion } from '../../server/features/regions/fixture-region.ts';
import { gridData, latestGridInfo } from '../../server/features/regions/region.repository.ts';
import { seedRegion } from '../../server/features/regions/region-seed.ts';
import { rowCounts, uploadForm, type Harness } from './service-harness.ts';

// the fixture's four village zones (two per township), with invented 七普 figures
const TABLE = '统计用区划代码,名称,常住人口,60岁以上\n999001001001,南苑社区,5000,1200\n999001001002,北苑社区,3000,900\n999001002201,南坪村,2000,700\n999001002202,北坪村,1001,401\n';
const EXPECTED: Record<string, [number, number]> = { '999001001001': [5000, 1200], '999001001002': [3000, 900], '999001002201': [2000, 700], '999001002202': [1001, 401] };

type Zone = Feature<Polygon | MultiPolygon, { code: string }>;

/** Census tables by village or township (kind population-table) spread onto the region's grid. */
export function populationTableSuite(h: () => Harness): void {
  let regionId = 0;
  const at = (path: string, form: FormData) => h().api(`/regions/${regionId}/imports${path}`, { form });
  const storedGrid = async () => {
    const info = (await latestGridInfo(h().deps.db, regionId))!;
    return { id: info.id, grid: decodeGrid(await gridData(h().deps.db, info.id)) };
  };
  // the cells' sums per zone, found here by turf over the stored grid's cell origins, not by the engine
  const sums = (grid: ReturnType<typeof decodeGrid>, zones: Zone[]) => {
    const out: Record<string, [number, number]> = {};
    for (const z of zones) out[z.properties.code] = [0, 0];
    for (let c = 0; c < grid.count; c++) {
      const hit = zones.filter((z) => booleanPointInPolygon([grid.originLon[c], grid.originLat[c]], z));
      expect(hit.length, `cell ${c}`).toBeLessThanOrEqual(1);
      if (hit[0]) { out[hit[0].properties.code][0] += grid.population[c]; out[hit[0].properties.code][1] += grid.aged60[c]; }
    }
    return out;
  };

  it('seeds a region with village zones beside its townships', async () => {
    // a region of its own, so the other suites keep the fixture's grid
    regionId = await seedRegion(h().deps.db, { ...fixtureRegion(), name: '村级人口 test region' });
    const region = await (await h().api(`/regions/${regionId}`)).json();
    expect(region.layers).toMatchObject({ units: 2, villages: 4 });
  });

  it('previews a village table: the units, their cells and no errors, writing nothing', async () => {
    const before = await rowCounts(h());
    const r = await at('/preview', uploadForm(TABLE, '七普村级.csv', { kind: 'population-table' }));
    expect(r.status).toBe(200);
    const body = await r.json();
    expect({ ok: body.ok, errors: body.errors, level: body.spread.level, method: body.spread.method }).toEqual({ ok: true, errors: [], level: 'village', method: 'grid-weights' });
    expect(body.spread.units.map((u: { code: string; population: number }) => [u.code, u.population])).toEqual(Object.entries(EXPECTED).map(([c, [p]]) => [c, p]));
    expect(body.columns).toMatchObject({ code: '统计用区划代码', population: '常住人口', aged60: '60岁以上' });
    expect(await rowCounts(h())).toEqual(before);
  });

  it('imports it, keeping every village\'s and every township\'s totals exactly (checked by point in polygon)', async () => {
    const r = await at('', uploadForm(TABLE, '七普村级.csv', { kind: 'population-table' }));
    expect(r.status).toBe(201);
    const body = await r.json();
    expect(body.import).toMatchObject({ kind: 'population-table', format: 'csv', details: { spread: { level: 'village', method: 'grid-weights' } } });
    const { grid } = await storedGrid();
    expect(body.written.cells).toBe(grid.count);
    const fixture = fixtureRegion();
    const villages = fixture.villages!.features as Zone[];
    expect(sums(grid, villages)).toEqual(EXPECTED);
    const townships = (await (await h().api(`/regions/${regionId}/units`)).json()) as FeatureCollection<Polygon | MultiPolygon, { code: string }>;
    expect(sums(grid, townships.features as Zone[])).toEqual({ '999001001': [8000, 2100], '999001002': [3001, 1101] });
    for (let c = 0; c < grid.count; c++) expect(Number.isInteger(grid.population[c]) && grid.aged60[c] <= grid.population[c]).toBe(true);
    // the live grid the analyses read is the new one
    const live = await (await h().api(`/regions/${regionId}/population`)).json();
    expect(live.population.reduce((a: number, b: number) => a + b, 0)).toBe(11_001);
  });

  it('spreads evenly when asked, and by township for 9-digit codes', async () => {
    const r = await at('', uploadForm('code,residents,aged60\n999001001,900,300\n999001002,700,0\n', '乡镇.csv', { kind: 'population-table', spread: 'even' }));
    expect(r.status).toBe(201);
    const { grid } = await storedGrid();
    const townships = (await (await h().api(`/regions/${regionId}/units`)).json()) as FeatureCollection<Polygon | MultiPolygon, { code: string }>;
    expect(sums(grid, townships.features as Zone[])).toEqual({ '999001001': [900, 300], '999001002': [700, 0] });
    const street = grid.population.filter((_, c) => booleanPointInPolygon([grid.originLon[c], grid.originLat[c]], townships.features[0]));
    // even: every cell of a unit within one resident of the others
    expect(Math.max(...street) - Math.min(...street)).toBeLessThanOrEqual(1);
  });

  it('reads the same table from an Excel sheet (counts as numbers)', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('七普村级');
    ws.addRow(['统计用区划代码', '名称', '常住人口', '60岁以上']);
    for (const [code, [p, a]] of Object.entries(EXPECTED)) ws.addRow([code, '村', p, a]);
    const r = await at('', uploadForm(new Uint8Array(await book.xlsx.writeBuffer()), '七普.xlsx', { kind: 'population-table' }));
    expect(r.status).toBe(201);
    expect((await r.json()).import).toMatchObject({ format: 'xlsx', details: { spread: { level: 'village' } } });
    expect(sums((await storedGrid()).grid, fixtureRegion().villages!.features as Zone[])).toEqual(EXPECTED);
  });

  it('refuses a code not in the region with a 422 naming its line and column, writing nothing', async () => {
    const before = await rowCounts(h());
    const gridBefore = (await storedGrid()).id;
    const bad = TABLE.replace('999001002201', '999001009201');
    const r = await at('', uploadForm(bad, '七普村级.csv', { kind: 'population-table' }));
    const body = await r.json();
    expect({ status: r.status, code: body.error.code }).toEqual({ status: 422, code: 'invalid_file' });
    expect(body.error.message).toMatch(/七普村级\.csv line 4: column '统计用区划代码' \(code\) names '999001009201', which is not one of the region's 4 village zones/);
    expect(body.error.details).toMatchObject({ line: 4, column: '统计用区划代码', field: 'code' });
    expect(await rowCounts(h())).toEqual(before);
    expect((await storedGrid()).id).toBe(gridBefore);
  });

  it('lists every bad row in a preview and refuses each on import: repeated code, non-numeric or negative counts, a missing column', async () => {
    const bad = '统计用区划代码,常住人口,60岁以上\n999001001001,5000,1200\n999001001001,10,1\n999001002201,abc,1\n999001002202,-5,0\n999001001002,10,11\n';
    const r = await at('/preview', uploadForm(bad, 'bad.csv', { kind: 'population-table' }));
    const body = await r.json();
    expect(body.ok).toBe(false);
    expect(body.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([[3, '统计用区划代码'], [4, '常住人口'], [5, '常住人口'], [6, '60岁以上']]);
    const before = await rowCounts(h());
    for (const [text, line, column] of [[bad, 3, '统计用区划代码'], ['统计用区划代码,常住人口,60岁以上\n999001001001,1.5,0\n', 2, '常住人口'], ['统计用区划代码,常住人口,60岁以上\n999001001001,-1,0\n', 2, '常住人口']] as const) {
      const res = await at('', uploadForm(text, 'bad.csv', { kind: 'population-table' }));
      const e = (await res.json()).error;
      expect({ status: res.status, line: e.details.line, column: e.details.column }).toEqual({ status: 422, line, column });
      expect(e.message).toContain(`line ${line}: column '${column}'`);
    }
    const missing = await at('', uploadForm('统计用区划代码,常住人口\n999001001001,10\n', 'bad.csv', { kind: 'population-table' }));
    const m = (await missing.json()).error;
    expect({ status: missing.status, code: m.code, field: m.details.field }).toEqual({ status: 422, code: 'missing_field', field: 'aged60' });
    expect(m.message).toMatch(/line 1: column 'aged60' is required \(or .*'60岁以上'/);
    expect(await rowCounts(h())).toEqual(before);
  });
}

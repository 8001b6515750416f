// The compliance report end to end on hand-made inputs: circle rows with hand-computed shortfalls, the three
// output formats (BOM, self-contained HTML, synthetic banner), the demo loader on a tiny fixture folder, and
// the report and presets commands.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Feature, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacilitySet } from '../analysis/facilities/facility-set.ts';
import { assignUnits, type AdminUnits } from '../analysis/grid/assign-units.ts';
import { gridFromPoints, RURAL, URBAN } from '../analysis/grid/population-grid.ts';
import { buildComplianceReport, type ComplianceReport } from '../analysis/standards/compliance-report.ts';
import { defaultStandards, type Standards } from '../analysis/standards/presets.ts';
import { presetsCommand } from '../server/cli/presets-command.ts';
import type { Progress } from '../server/cli/progress.ts';
import { reportCommand } from '../server/cli/report-command.ts';
import { loadYuechiDemo } from '../server/io/load-demo.ts';
import { reportCsv } from '../server/report/report-csv.ts';
import { reportHtml } from '../server/report/report-html.ts';
import { writeReport } from '../server/report/write-report.ts';

const quiet: Progress = { step: () => undefined, warn: () => undefined, done: () => undefined };

// the dual-threshold fixture of standards-coverage.test.ts: cells at 5D, 12D, 20D, 30D east of a clinic
// (D = 111.19508 m), pop 100/200/300/400, first two urban in unit A, last two rural in unit B
function dualReport(synthetic = false): ComplianceReport {
  const square = (lon0: number, lon1: number): Polygon => ({ type: 'Polygon', coordinates: [[[lon0, -0.01], [lon1, -0.01], [lon1, 0.01], [lon0, 0.01], [lon0, -0.01]]] });
  const units: AdminUnits = {
    names: ['A街道', 'B镇'], codes: ['A', 'B'],
    features: [square(0, 0.015), square(0.015, 0.04)].map((geometry, k): Feature<Polygon> => ({ type: 'Feature', properties: { type: k === 0 ? '街道' : '镇' }, geometry })),
  };
  const grid = assignUnits(gridFromPoints({
    lon: Float64Array.from([0.005, 0.012, 0.02, 0.03]), lat: new Float64Array(4),
    population: Float64Array.from([100, 200, 300, 400]), aged60: Float64Array.from([40, 50, 60, 70]),
    urbanClass: Uint8Array.from([URBAN, URBAN, RURAL, RURAL]),
  }), units);
  const facilities = createFacilitySet([{ lon: 0, lat: 0, id: 'c1', name: 'clinic, "north" <1>', category: 'clinic' }]);
  const standards: Standards = {
    ...defaultStandards(), indicators: [],
    circles: [{
      id: 'dual', zh: '双阈值圈', en: 'Dual circle', services: [{ id: 'care', zh: '医疗', en: 'care', categories: ['clinic'] }],
      require: 'any', urban: { mode: 'straight', meters: 1000 }, rural: { mode: 'straight', meters: 3000 }, population: 'all',
      coverageTarget: null, source: 'hand, "quoted", with commas', assumed: { coverageTarget: '90 %, assumed' }, notes: [], configured: [],
    }],
  };
  return buildComplianceReport({ grid, units, facilities, urbanRule: 'input', synthetic, generatedAt: '2025-01-01T00:00:00Z' }, standards);
}

describe('circle rows', () => {
  const report = dualReport();
  const row = (area: string) => report.rows.find((r) => (area === 'county' ? r.areaKind === 'county' : r.areaCode === area))!;

  it('gives the county 400 of 1,000 covered (c1, c3) and the shortfall to 90 %: 900 − 400 = 500', () => {
    const r = row('county');
    expect(r.value).toBeCloseTo(0.4, 12);
    expect(r.verdict).toBe('fail');
    expect(r.shortfall).toBe(500);
    expect(r.shortfallText.en).toBe('600 residents beyond 1 km straight-line (urban) / 3 km straight-line (rural); 500 more must be covered to reach 90 %');
    expect(r.shortfallText.zh).toBe('城镇直线距离1公里 / 农村直线距离3公里范围外居民600人；需再覆盖500人方达90%');
    // 60+: c1 40 + c3 60 = 100 of 220
    expect(r.aged60).toMatchObject({ total: 220, covered: 100 });
  });

  it('names only the township\'s own threshold: A is urban (100 of 300; 270 − 100 = 170), B rural (300 of 700; 630 − 300 = 330)', () => {
    expect([row('A').population?.covered, row('A').shortfall]).toEqual([100, 170]);
    expect(row('A').shortfallText.en).toBe('200 residents beyond 1 km straight-line (urban); 170 more must be covered to reach 90 %');
    expect([row('B').population?.covered, row('B').shortfall]).toEqual([300, 330]);
    expect(row('B').shortfallText.en).toBe('400 residents beyond 3 km straight-line (rural); 330 more must be covered to reach 90 %');
  });

  it('says the 90 % target is assumed', () => {
    expect(row('county').targetText).toEqual({ zh: '≥90%（假定）', en: '≥ 90 % (assumed)' });
    expect(report.counts).toEqual({ pass: 0, fail: 3, 'no-data': 0 });
  });
});

describe('output formats', () => {
  it('CSV: UTF-8 BOM first, bilingual header, one line per row, RFC 4180 quoting', () => {
    const report = dualReport();
    const csv = reportCsv(report);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0].startsWith('区域代码 area_code,区域 area,')).toBe(true);
    expect(lines).toHaveLength(report.rows.length + 2); // header, rows, and the empty string after the last CRLF
    expect(csv).toContain('"hand, ""quoted"", with commas"');
    expect(csv).toContain('未达标');
  });

  it('HTML: one self-contained page, Chinese and English, escaped, with the banner only for synthetic inputs', () => {
    const plain = reportHtml(dualReport(false));
    const synthetic = reportHtml(dualReport(true));
    expect(plain).not.toContain('class="banner"');
    expect(synthetic).toContain('SYNTHETIC DATA');
    expect(synthetic).toContain('合成数据');
    // nothing fetched: no scripts, stylesheets, images or remote URLs
    expect(synthetic).not.toMatch(/<script|<link|<img|src=|https?:\/\//i);
    expect(synthetic).toContain('<meta charset="utf-8">');
    expect(synthetic).toContain('公共服务生活圈达标评估报告');
    expect(synthetic).toContain('Public-service circle compliance report');
    expect(synthetic).toContain('hand, &quot;quoted&quot;, with commas');
  });

  it('writes the three files, the CSV starting with the bytes EF BB BF', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifecircle-report-'));
    try {
      const files = await writeReport(dualReport(true), dir);
      expect(Object.keys(files).sort()).toEqual(['csv', 'html', 'json']);
      const bytes = await readFile(files.csv!);
      expect([bytes[0], bytes[1], bytes[2]]).toEqual([0xef, 0xbb, 0xbf]);
      const json = JSON.parse(await readFile(files.json!, 'utf8')) as ComplianceReport;
      expect(json.synthetic).toBe(true);
      expect(json.rows).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the demo loader and the commands on a tiny demo folder', () => {
  let dir = '';
  // two townships 0.01° wide along lat 30.5: A街道 (street) and B镇 (town); one street through both
  const township = (code: string, name: string, type: string, lon0: number, households: number) => ({
    type: 'Feature', properties: { code, name, type, urban: type === '街道', households },
    geometry: { type: 'Polygon', coordinates: [[[lon0, 30.49], [lon0 + 0.01, 30.49], [lon0 + 0.01, 30.51], [lon0, 30.51], [lon0, 30.49]]] },
  });
  const facility = (id: string, category: string, lon: number, properties: Record<string, unknown> = {}) => ({
    type: 'Feature', properties: { id, name: id, category, synthetic: true, ...properties }, geometry: { type: 'Point', coordinates: [lon, 30.5] },
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lifecircle-demo-'));
    const gz = (text: string) => gzipSync(Buffer.from(text, 'utf8'));
    await writeFile(join(dir, 'townships.geojson.gz'), gz(JSON.stringify({
      type: 'FeatureCollection', features: [township('A', 'A街道', '街道', 106.40, 400), township('B', 'B镇', '镇', 106.41, 300)],
    })));
    await writeFile(join(dir, 'population.csv.gz'), gz('lon,lat,population,population_60plus,urban,township_code\n106.402,30.5,500,100,1,A\n106.407,30.5,500,150,1,A\n106.413,30.5,400,120,0,B\n106.418,30.5,200,80,0,B\n'));
    await writeFile(join(dir, 'roads.geojson.gz'), gz(JSON.stringify({
      type: 'FeatureCollection', features: [{ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[106.40, 30.5], [106.41, 30.5], [106.42, 30.5]] } }],
    })));
    await writeFile(join(dir, 'facilities.geojson'), JSON.stringify({
      type: 'FeatureCollection', features: [
        facility('hc', 'health_center', 106.412, { beds: 20, physicians: 3, nurses: 4 }),
        facility('kg', 'kindergarten', 106.403, { places: 100, ownership: 'public' }),
        facility('cc', 'childcare', 106.405, { slots: 6, affordable: true }),
        facility('nh', 'nursing_home', 106.415, { beds: 30, nursing_beds: 20 }),
        facility('ec', 'elderly_complex', 106.404, { beds: 10, nursing_beds: 5 }),
      ],
    }));
    await writeFile(join(dir, 'metadata.json'), JSON.stringify({ layers: [{ file: 'facilities.geojson', synthetic: true }] }));
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('loads the grid with townships assigned and 街道 cells urban', async () => {
    const demo = await loadYuechiDemo(dir);
    expect(demo.units.names).toEqual(['A街道', 'B镇']);
    expect(demo.grid.unitNames).toEqual(['A街道', 'B镇']);
    expect(Array.from(demo.grid.unit)).toEqual([0, 0, 1, 1]);
    expect(Array.from(demo.grid.urbanClass)).toEqual([URBAN, URBAN, RURAL, RURAL]);
    expect(demo.facilities.count).toBe(5);
    expect(demo.roadSource.ways).toHaveLength(1);
    expect(demo.synthetic).toBe(true);
  });

  it('names the missing files when the demo is absent', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'lifecircle-empty-'));
    try {
      await expect(loadYuechiDemo(empty)).rejects.toThrow(/the Yuechi demo data is missing \(townships\.geojson\.gz, population\.csv\.gz, roads\.geojson\.gz, facilities\.geojson\); generate it with "npm run data:yuechi"/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('report --all writes every township with a verdict on every row, CSV with BOM', async () => {
    const out = join(dir, 'out');
    const { report, files } = await reportCommand({ demo: dir, all: true, out }, quiet);
    const townships = new Set(report.rows.filter((r) => r.areaKind === 'township').map((r) => r.areaCode));
    expect([...townships].sort()).toEqual(['A', 'B']);
    expect(report.rows.every((r) => ['pass', 'fail', 'no-data'].includes(r.verdict))).toBe(true);
    expect(report.items).toHaveLength(defaultStandards().circles.length + defaultStandards().indicators.length);
    expect(report.synthetic).toBe(true);
    const bytes = await readFile(files.csv!);
    expect([bytes[0], bytes[1], bytes[2]]).toEqual([0xef, 0xbb, 0xbf]);
    // physicians: 3 in B for 600 residents = 5.0 per 1,000 (pass); county 3 / 1,600 × 1,000 = 1.875 (fail)
    const phys = report.rows.filter((r) => r.itemId === 'physicians');
    expect(phys.map((r) => [r.areaCode, r.value])).toEqual([['', 1.875], ['A', 0], ['B', 5]]);
  });

  it('report --preset runs the named ones only, and asks for exactly one of --preset and --all', async () => {
    const { report } = await reportCommand({ demo: dir, preset: 'physicians,gb50180-5min', out: join(dir, 'one'), format: 'json' }, quiet);
    expect(report.items.map((i) => i.id)).toEqual(['gb50180-5min', 'physicians']);
    await expect(reportCommand({ demo: dir, out: join(dir, 'x') }, quiet)).rejects.toThrow(/give --preset ID\[,ID…\] or --all/);
    await expect(reportCommand({ demo: dir, all: true, preset: 'x', out: join(dir, 'x') }, quiet)).rejects.toThrow(/not both/);
    await expect(reportCommand({ demo: dir, preset: 'no-such', out: join(dir, 'x') }, quiet)).rejects.toThrow(/preset "no-such" does not exist/);
  });

  it('report reads a config file and says so', async () => {
    const config = join(dir, 'plan.json');
    await writeFile(config, JSON.stringify({ indicators: { physicians: { target: 1.5 } } }));
    const { report } = await reportCommand({ demo: dir, preset: 'physicians', config, out: join(dir, 'cfg'), format: 'json' }, quiet);
    // county 1.875 per 1,000 ≥ 1.5 → pass now
    expect(report.rows.find((r) => r.areaKind === 'county')!.verdict).toBe('pass');
    expect(report.items[0].configured).toEqual(['target']);
    await writeFile(config, JSON.stringify({ indicators: { physicians: { goal: 1.5 } } }));
    await expect(reportCommand({ demo: dir, all: true, config, out: join(dir, 'bad') }, quiet)).rejects.toThrow(/plan\.json: indicators\.physicians: unknown key "goal"/);
  });

  it('classes cells by density or by an urban-area polygon on request', async () => {
    // density: 1,600 residents in all, far below a 5,000 cluster, so every cell is rural and the urban-only
    // culture circle has no township rows
    const byDensity = await reportCommand({ demo: dir, preset: 'culture-urban-15min', urbanRule: 'density', out: join(dir, 'd'), format: 'json' }, quiet);
    expect(byDensity.report.urbanRule.id).toBe('density');
    expect(byDensity.report.rows.filter((r) => r.areaKind === 'township')).toHaveLength(0);
    // a polygon over B only (lon 106.41–106.42): B's cells are urban, so the urban-only circle judges B alone
    const area = join(dir, 'urban.geojson');
    await writeFile(area, JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[106.41, 30.49], [106.42, 30.49], [106.42, 30.51], [106.41, 30.51], [106.41, 30.49]]] } }));
    const byArea = await reportCommand({ demo: dir, preset: 'culture-urban-15min', urbanArea: area, out: join(dir, 'u'), format: 'json' }, quiet);
    expect(byArea.report.urbanRule.id).toBe('urban-area');
    expect(byArea.report.rows.filter((r) => r.areaKind === 'township').map((r) => r.areaCode)).toEqual(['B']);
    await expect(reportCommand({ demo: dir, all: true, urbanRule: 'urban-area', out: join(dir, 'x') }, quiet)).rejects.toThrow(/needs --urban-area FILE/);
  });

  it('presets lists every circle and indicator with its source', async () => {
    const text = await presetsCommand();
    const s = defaultStandards();
    for (const x of [...s.circles, ...s.indicators]) {
      expect(text).toContain(`  ${x.id}  ${x.zh}`);
      expect(text).toContain(`source: ${x.source}`);
    }
    expect(JSON.parse(await presetsCommand({ json: true })).circles).toHaveLength(s.circles.length);
  });
});

import type { FeatureCollection, Geometry } from 'geojson';
import { encodeGbk } from '../../export/encode-gbk.ts';
import { exportGeoJson } from '../../export/export-geojson.ts';
import { shapefileZip, type ShapefileEncoding } from '../../export/write-shapefile-zip.ts';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import { analysisGaps, getAnalysis, type AnalysisView } from '../analyses/analysis.service.ts';
import { listFacilities } from '../facilities/facility.repository.ts';
import { facilitiesGeoJson, facilityFilter } from '../facilities/facility.service.ts';
import { requireRegion } from '../regions/region.service.ts';
import { gapTable, reportCsv, reportHtml, reportTable, type ReportTable } from './report-format.ts';
import { csvField } from '../../export/csv-field.ts';
import type { SuggestedSitesView } from '../sites/site.service.ts';
import { reportXlsx } from '../../export/report-xlsx.ts';
import { findPreset } from '../analyses/preset-catalog.ts';

/** A file to send: bytes, type, and the name offered to the browser. */
export interface ExportFile {
  body: Uint8Array | string;
  contentType: string;
  fileName: string;
}

// CRS names become part of a file name: keep letters, digits and dashes only
const slug = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, '-');

function crsParam(raw: unknown): string {
  if (raw === undefined) return 'EPSG:4326';
  if (typeof raw !== 'string' || raw.length > 80) throw new AppError('validation_failed', "query 'crs': expected a CRS name such as EPSG:4544", { field: 'crs' });
  return raw;
}

async function converted<T>(what: () => Promise<T> | T): Promise<T> {
  try {
    return await what();
  } catch (e) {
    // the exporters throw plain errors only for a CRS or encoding they cannot write
    throw AppError.fromInput(e, 'validation_failed', { field: 'crs' });
  }
}

/** A scenario's label as the files carry it: its name, or that it was not saved, with the run's number. */
export function scenarioLabel(run: AnalysisView): string | null {
  const s = run.summary.scenario;
  if (!s) return null;
  return `${s.name ?? '未保存的情景 unsaved scenario'} (run ${run.id}, ${s.edits.length} edits)`;
}

/** The gaps of a run, each labelled with the run's scenario when it has one (the file says what it shows). */
async function labelledGaps(db: Db, id: number): Promise<{ run: AnalysisView; fc: FeatureCollection<Geometry | null> }> {
  const run = await getAnalysis(db, id);
  const fc = (await analysisGaps(db, id)) as FeatureCollection<Geometry | null>;
  const label = scenarioLabel(run);
  if (label === null) return { run, fc };
  return { run, fc: { ...fc, features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, scenario: label } })) } };
}

/** Gap polygons of a run as GeoJSON in a chosen CRS (EPSG:4326, 4490 or a Gauss-Krüger zone). */
export async function gapsGeoJsonExport(db: Db, id: number, query: { crs?: unknown }): Promise<ExportFile> {
  const crs = crsParam(query.crs);
  const { run, fc } = await labelledGaps(db, id);
  const out = await converted(() => exportGeoJson(fc, crs));
  // a foreign member GIS readers ignore: what was run, on which scenario, with which edits
  const about = { analysis: run.id, preset: run.preset, title: run.summary.title, group: run.summary.group, scenario: run.summary.scenario && { name: run.summary.scenario.name, edits: run.summary.scenario.edits } };
  return { body: JSON.stringify({ ...out, lifecircle: about }), contentType: 'application/geo+json', fileName: `gaps-${id}-${slug(crs)}.geojson` };
}

function encodingParam(raw: unknown): ShapefileEncoding {
  if (raw === undefined || raw === 'UTF-8' || raw === 'utf-8') return 'UTF-8';
  if (raw === 'GBK' || raw === 'gbk') return 'GBK';
  throw new AppError('validation_failed', `query 'encoding': expected UTF-8 or GBK, found '${String(raw)}'`, { field: 'encoding', expected: 'UTF-8 | GBK', found: String(raw) });
}

/** Gap polygons of a run as a zipped Shapefile. */
export async function gapsShapefileExport(db: Db, id: number, query: { crs?: unknown; encoding?: unknown }): Promise<ExportFile> {
  const crs = crsParam(query.crs);
  const encoding = encodingParam(query.encoding);
  const { fc } = await labelledGaps(db, id);
  const zip = await converted(() => shapefileZip(fc, { crs, layerName: `gaps_${id}`, encoding }));
  return { body: zip, contentType: 'application/zip', fileName: `gaps-${id}-${slug(crs)}.zip` };
}

/** A region's facilities as a zipped Shapefile (same filters as the list). */
export async function facilitiesShapefileExport(db: Db, regionId: number, query: Record<string, unknown>): Promise<ExportFile> {
  await requireRegion(db, regionId);
  const crs = crsParam(query.crs);
  const encoding = encodingParam(query.encoding);
  const fc = facilitiesGeoJson(await listFacilities(db, regionId, facilityFilter(query)));
  const zip = await converted(() => shapefileZip(fc, { crs, layerName: `facilities_${regionId}`, encoding }));
  return { body: zip, contentType: 'application/zip', fileName: `facilities-${regionId}-${slug(crs)}.zip` };
}

/** The per-township report of a run as CSV (UTF-8 with BOM for Excel, or GBK), Chinese or English header. */
export async function reportCsvExport(db: Db, id: number, query: { lang?: unknown; encoding?: unknown }): Promise<ExportFile> {
  const lang = query.lang === 'en' ? 'en' : 'zh';
  const gbk = encodingParam(query.encoding) === 'GBK';
  const text = reportCsv(await getAnalysis(db, id), lang);
  // Excel opens UTF-8 CSV as UTF-8 only with a BOM
  return { body: gbk ? encodeGbk(text) : `\uFEFF${text}`, contentType: `text/csv; charset=${gbk ? 'gbk' : 'utf-8'}`, fileName: `report-${id}.csv` };
}

/** The township table of a run as an Excel workbook (the CSV's cells), with its sources and assumptions. */
export async function reportXlsxExport(db: Db, id: number, query: { lang?: unknown }): Promise<ExportFile> {
  const lang = query.lang === 'en' ? 'en' : 'zh';
  const run = await getAnalysis(db, id);
  const region = await requireRegion(db, run.regionId);
  const preset = run.preset ? findPreset(run.preset) : null;
  const about: Array<[string, string]> = [
    ['区域 region', region.name],
    ['圈 circle', preset ? `${preset.zh} / ${preset.en} (${preset.id})` : '自定义 custom'],
    ['依据 source', preset?.source ?? ''],
    ...Object.entries(preset?.assumed ?? {}).map(([k, v]): [string, string] => [`假定 assumed: ${k}`, String(v)]),
    ['情景 scenario', run.summary.scenario ? `${run.summary.scenario.name ?? ''} (${run.summary.scenario.edits.length} edits)` : '现状 baseline'],
    ['数据 data', region.metadata.synthetic === true ? '演示数据为生成数据（非真实统计） generated demo data, not real statistics' : '导入数据 imported data'],
    ['分析编号 analysis', `${id}, ${run.createdAt.toISOString()}`],
    ['标准说明 standards', 'docs/standards.md'],
  ];
  const body = await reportXlsx(reportTable(run, lang), { sheet: lang === 'zh' ? '乡镇 townships' : 'townships', about });
  return { body, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `report-${id}.xlsx` };
}

/** The gap list of a run as an Excel workbook: one row per gap (the GeoJSON's properties), sources beside. */
export async function gapsXlsxExport(db: Db, id: number, query: { lang?: unknown }): Promise<ExportFile> {
  const lang = query.lang === 'en' ? 'en' : 'zh';
  const { run, fc } = await labelledGaps(db, id);
  const region = await requireRegion(db, run.regionId);
  const about: Array<[string, string]> = [
    ['区域 region', region.name],
    ['圈 circle', `${run.summary.title.zh} / ${run.summary.title.en}`],
    ['情景 scenario', scenarioLabel(run) ?? '现状 baseline'],
    ['数据 data', region.metadata.synthetic === true ? '演示数据为生成数据（非真实统计） generated demo data, not real statistics' : '导入数据 imported data'],
    ['分析编号 analysis', `${id}, ${run.createdAt.toISOString()}`],
    ['多边形 polygons', `gaps.geojson / gaps.zip of the same run (${fc.features.length} gaps)`],
  ];
  const body = await reportXlsx(gapTable(fc as never, lang), { sheet: lang === 'zh' ? '缺口 gaps' : 'gaps', about });
  return { body, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `gaps-${id}.xlsx` };
}

/** The report of a run as a self-contained HTML page. */
export async function reportHtmlExport(db: Db, id: number): Promise<ExportFile> {
  const run = await getAnalysis(db, id);
  const region = await requireRegion(db, run.regionId);
  return { body: reportHtml(run, { name: region.name, synthetic: region.metadata.synthetic === true }), contentType: 'text/html; charset=utf-8', fileName: `report-${id}.html` };
}

/** Suggested sites as a table: rank, place, what each adds (the circle's objective, all residents, 60+), cost, cumulative coverage, townships lifted. */
export function sitesTable(view: SuggestedSitesView): ReportTable {
  return {
    head: ['排序 rank', '编号 id', '乡镇 township', '经度 lon', '纬度 lat', '目标增益 score', '新增覆盖常住人口 gain', '新增覆盖60岁以上 gain_60plus',
      '成本(万元) cost', '累计覆盖常住人口 cumulative_covered', '累计覆盖率 cumulative_share', '建成后群体覆盖 group_covered_after', '带动达标乡镇 lifts'],
    rows: view.sites.map((s, i) => [i + 1, s.id, s.township ?? '', round(s.lon, 7), round(s.lat, 7), round(s.score, 1), round(s.gain, 1), round(s.gainAged60, 1),
      s.cost, round(s.cumulativeCovered, 1), s.cumulativeShare === null ? null : round(s.cumulativeShare, 4), round(s.groupCoveredAfter, 1), s.lifts.join('、')]),
    verdictColumn: -1,
    shares: 'fraction',
  };
}

/** The coverage curve: residents (and 60+) covered after k = 1..K sites. */
export function curveTable(view: SuggestedSitesView): ReportTable {
  return {
    head: ['选址数 k', '覆盖常住人口 covered', '覆盖60岁以上 covered_60plus', '覆盖率 share'],
    rows: view.curve.map((c) => [c.k, round(c.covered, 1), round(c.coveredAged60, 1), c.share === null ? null : round(c.share, 4)]),
    verdictColumn: -1,
    shares: 'fraction',
  };
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

const SITE_FORMATS = ['xlsx', 'csv', 'curve.csv', 'geojson', 'zip'] as const;

/** The `format` of a sites file (default xlsx); anything else is a 400 naming it. */
export function sitesFileFormat(raw: unknown): (typeof SITE_FORMATS)[number] {
  if (raw === undefined) return 'xlsx';
  if ((SITE_FORMATS as readonly unknown[]).includes(raw)) return raw as (typeof SITE_FORMATS)[number];
  throw new AppError('validation_failed', `query 'format': expected ${SITE_FORMATS.join(', ')}, found '${String(raw)}'`, { field: 'format', expected: SITE_FORMATS.join(' | '), found: String(raw) });
}

/**
 * A suggestion's sites as a file the bureau files or opens in GIS: `xlsx` (sites and the coverage curve on
 * their own sheets, the objective and the parameters on a third), `csv` (sites), `curve.csv`, `geojson` or
 * a Shapefile `zip` (points in the chosen CRS, the table's columns as attributes).
 */
export async function suggestedSitesFile(view: SuggestedSitesView, query: { format?: unknown; crs?: unknown; encoding?: unknown }): Promise<ExportFile> {
  const format = sitesFileFormat(query.format);
  const base = `sites-${view.regionId}-${view.preset ?? 'circle'}`;
  const table = sitesTable(view);
  if (format === 'xlsx') {
    const about: Array<[string, string]> = [
      ['区域 region', String(view.regionId)], ['圈 circle', view.preset ?? 'explicit'],
      ['目标 objective', `常住人口 × ${view.weight.population} + 60岁以上 × ${view.weight.aged60} (residents × ${view.weight.population} + aged 60+ × ${view.weight.aged60})`],
      ['候选 candidates', view.candidates === 'facilities' ? '候选设施 candidate facilities' : '未覆盖网格 uncovered cells'],
      ['最小间距 spacing', `${view.spacingMeters} m`],
      ...(view.budget ? [['预算 budget', `${view.budget.budget} 万元, spent ${view.budget.spent} 万元; ${view.budget.note}`] as [string, string]] : []),
    ];
    const body = await reportXlsx(table, { sheet: '建议选址 sites', about, more: [{ sheet: '覆盖曲线 curve', table: curveTable(view) }] });
    return { body, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `${base}.xlsx` };
  }
  if (format === 'csv' || format === 'curve.csv') {
    const t = format === 'csv' ? table : curveTable(view);
    const text = [t.head, ...t.rows].map((r) => r.map((v) => csvField(v)).join(',')).join('\r\n') + '\r\n';
    return { body: `\uFEFF${text}`, contentType: 'text/csv; charset=utf-8', fileName: `${base}${format === 'csv' ? '' : '-curve'}.csv` };
  }
  const crs = crsParam(query.crs);
  const keys = ['rank', 'id', 'township', 'lon', 'lat', 'score', 'gain', 'gain_60', 'cost', 'cum_cov', 'cum_share', 'group_aft', 'lifts'];
  const fc: FeatureCollection<Geometry | null> = {
    type: 'FeatureCollection',
    features: table.rows.map((r, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [view.sites[i].lon, view.sites[i].lat] }, properties: Object.fromEntries(keys.map((k, c) => [k, r[c]])) })),
  };
  if (format === 'geojson') {
    const out = await converted(() => exportGeoJson(fc, crs));
    return { body: JSON.stringify(out), contentType: 'application/geo+json', fileName: `${base}-${slug(crs)}.geojson` };
  }
  const zip = await converted(() => shapefileZip(fc, { crs, layerName: `sites_${view.regionId}`, encoding: encodingParam(query.encoding) }));
  return { body: zip, contentType: 'application/zip', fileName: `${base}-${slug(crs)}.zip` };
}

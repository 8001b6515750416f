import { csvField } from '../export/csv-field.ts';
import type { ReportTable } from '../features/exports/report-format.ts';
import { VERDICT_TEXT, type ComplianceReport, type ReportRow } from '../../analysis/standards/compliance-report.ts';

/** The byte-order mark that makes Excel and WPS read the file as UTF-8, so Chinese shows correctly. */
export const UTF8_BOM = '\uFEFF';

const COLUMNS: Array<[string, (r: ReportRow, report: ComplianceReport) => string | number | null]> = [
  ['区域代码 area_code', (r) => r.areaCode],
  ['区域 area', (r) => r.areaName],
  ['层级 level', (r) => (r.areaKind === 'county' ? '县 county' : '乡镇 township')],
  ['项目编号 item_id', (r) => r.itemId],
  ['项目 item', (r) => r.itemZh],
  ['item', (r) => r.itemEn],
  ['类型 kind', (r) => r.itemKind],
  ['结论 verdict', (r) => VERDICT_TEXT[r.verdict].zh],
  ['verdict', (r) => r.verdict],
  ['数值 value', (r) => (r.value === null ? null : round(r.value, 4))],
  ['数值说明 value_text', (r) => r.valueText.zh],
  ['value_text', (r) => r.valueText.en],
  ['目标 target', (r) => r.target],
  ['目标说明 target_text', (r) => r.targetText.zh],
  ['target_text', (r) => r.targetText.en],
  ['缺口 shortfall', (r) => r.shortfall],
  ['缺口说明 shortfall_text', (r) => r.shortfallText.zh],
  ['shortfall_text', (r) => r.shortfallText.en],
  ['评估居民 residents_judged', (r) => (r.population ? round(r.population.total, 0) : null)],
  ['覆盖居民 residents_covered', (r) => (r.population ? round(r.population.covered, 0) : null)],
  ['居民覆盖率 residents_covered_share', (r) => (r.population?.coveredShare == null ? null : round(r.population.coveredShare, 4))],
  ['60岁及以上 aged60_judged', (r) => (r.aged60 ? round(r.aged60.total, 0) : null)],
  ['60岁及以上覆盖 aged60_covered', (r) => (r.aged60 ? round(r.aged60.covered, 0) : null)],
  ['60岁及以上覆盖率 aged60_covered_share', (r) => (r.aged60?.coveredShare == null ? null : round(r.aged60.coveredShare, 4))],
  ['依据 source', (r, report) => report.items.find((i) => i.id === r.itemId)?.source ?? ''],
  ['假定 assumed', (r, report) => Object.values(report.items.find((i) => i.id === r.itemId)?.assumed ?? {}).join(' | ')],
  ['合成数据 synthetic', (_r, report) => (report.synthetic ? '是 yes' : '否 no')],
];

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}

const field = csvField;

/**
 * The report's rows as CSV: UTF-8 with a BOM, CRLF line ends, bilingual headers, one row per area × item;
 * the last column says whether the inputs were generated (synthetic) data.
 *
 * @example await writeFile('compliance.csv', reportCsv(report));
 */
export function reportCsv(report: ComplianceReport): string {
  const t = complianceTable(report);
  const lines = [t.head.map((h) => field(h)).join(',')];
  for (const r of t.rows) lines.push(r.map((v) => field(v)).join(','));
  return UTF8_BOM + lines.join('\r\n') + '\r\n';
}

/** The report as one table (the CSV's cells), shares as fractions: the CSV and the Excel workbook both write it. */
export function complianceTable(report: ComplianceReport): ReportTable {
  return {
    head: COLUMNS.map(([name]) => name),
    rows: report.rows.map((r) => COLUMNS.map(([, get]) => get(r, report))),
    verdictColumn: COLUMNS.findIndex(([name]) => name === '结论 verdict'),
    shares: 'fraction',
  };
}

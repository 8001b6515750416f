import { spreadsheetText } from './csv-field.ts';
import type { ReportTable } from '../features/exports/report-format.ts';

const PASS = new Set(['达标', 'pass']), FAIL = new Set(['未达标', 'fail']);
const FILL = (argb: string) => ({ type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb } });

/**
 * A report table as an Excel workbook: the table on its own sheet with a frozen heading row, numbers as
 * numbers (counts with thousands separators, shares in per cent to 0.1), verdicts coloured; the sources and
 * assumptions on a second sheet. The cells are the CSV's, so both files say the same.
 *
 * @example const bytes = await reportXlsx(reportTable(run, 'zh'), { sheet: '乡镇', about: [['圈 circle', '15分钟养老服务圈']] });
 */
export async function reportXlsx(table: ReportTable, meta: { sheet: string; about: Array<[string, string]>; more?: Array<{ sheet: string; table: ReportTable }> }): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'lifecircle 生活圈';
  for (const { sheet, table: t } of [{ sheet: meta.sheet, table }, ...(meta.more ?? [])]) addTable(book.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] }), t);
  const about = book.addWorksheet('依据与假定 sources');
  about.addRow(['项目 item', '内容 value']).font = { bold: true };
  for (const [k, v] of meta.about) about.addRow([k, v]);
  about.getColumn(1).width = 24;
  about.getColumn(2).width = 100;
  return new Uint8Array(await book.xlsx.writeBuffer());
}

type Sheet = import('exceljs').Worksheet;

function addTable(ws: Sheet, table: ReportTable): void {
  ws.addRow(table.head).font = { bold: true };
  const share = table.head.map((h) => /率|share/.test(h));
  const shareFormat = table.shares === 'fraction' ? '0.0%' : '0.0';
  for (const r of table.rows) {
    // shares arrive as per-cent text ('12.3'): numbers in the sheet, so a planner can sort; codes stay text (leading zeros)
    const row = ws.addRow(r.map((v, c) => (share[c] && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : typeof v === 'string' ? spreadsheetText(v) : v ?? null)));
    row.eachCell((cell, c) => {
      if (typeof cell.value === 'number') cell.numFmt = share[c - 1] ? shareFormat : '#,##0.##';
    });
    if (table.verdictColumn < 0) continue;
    const verdict = row.getCell(table.verdictColumn + 1);
    const v = String(verdict.value ?? '');
    verdict.fill = FILL(PASS.has(v) ? 'FFC6EFCE' : FAIL.has(v) ? 'FFFFC7CE' : 'FFE7E6E6');
  }
  ws.columns.forEach((col, i) => { col.width = Math.max(8, Math.min(24, String(table.head[i] ?? '').length * 2 + 2)); });
}

import { AppError } from '../app/app-error.ts';

/** Chinese (and common English) column headings of bureau spreadsheets, as the CSV readers name them. */
const HEADINGS: Record<string, string> = {
  名称: 'name', 设施名称: 'name', 机构名称: 'name', 经度: 'lon', 纬度: 'lat', 类别: 'category', 类型: 'category', 设施类别: 'category',
  床位数: 'beds', 床位: 'beds', 容量: 'capacity', 规模: 'capacity', 编号: 'id', 编码: 'id', 代码: 'id', 状态: 'status',
  常住人口: 'population', 人口: 'population', 人口数: 'population', '60岁以上': 'population_60plus', '60岁及以上': 'population_60plus',
  '60岁及以上人口': 'population_60plus', '60岁以上人口': 'population_60plus', 托位数: 'slots',
};
const KNOWN = new Set(['name', 'lon', 'lat', 'lng', 'longitude', 'latitude', 'category', 'capacity', 'beds', 'id', 'status', 'population', 'pop', 'population_60plus', 'slots']);
// a heading row is looked for in the first rows: titles and merged banners come first in bureau tables
const HEADER_SEARCH_ROWS = 20;

type CellValue = unknown;

function text(v: CellValue, where: () => string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.trim();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { formula?: string; sharedFormula?: string; richText?: { text: string }[]; text?: string; error?: string };
    if (o.formula !== undefined || o.sharedFormula !== undefined) {
      throw new AppError('invalid_file', `${where()}: a formula (=${o.formula ?? o.sharedFormula}); copy the sheet and paste values only, then upload again`, { expected: 'values', found: 'a formula' });
    }
    if (o.error !== undefined) throw new AppError('invalid_file', `${where()}: an error value ${o.error}`, { expected: 'a value', found: o.error });
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('').trim();
    if (typeof o.text === 'string') return o.text.trim();
  }
  return String(v);
}

const csvQuote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * One worksheet of an .xlsx workbook as CSV text whose line numbers are the sheet's row numbers, so every
 * later message names the row as Excel shows it; the heading row is found below title rows, Chinese headings
 * (名称, 经度, 纬度, 类别, 床位数, 常住人口, 60岁以上 …) become the readers' names. Formulas, error cells, an empty
 * sheet, a missing heading row and an unreadable (or password-protected) file are 422s naming sheet, row and column.
 *
 * @example const { text, sheet } = await xlsxSheetAsCsv(bytes, '设施.xlsx');
 */
export async function xlsxSheetAsCsv(bytes: Uint8Array, fileName: string, sheetName?: string): Promise<{ text: string; sheet: string }> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  // an encrypted workbook is an OLE compound file (D0 CF 11 E0), not a zip: say so rather than "unreadable"
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new AppError('invalid_file', `${fileName}: a password-protected (encrypted) workbook, or an Excel 97–2003 file named .xlsx; open it in Excel, remove the password (文件 → 信息 → 保护工作簿 → 用密码进行加密, clear it) and save as .xlsx`, { field: 'file', expected: 'an .xlsx workbook without a password', found: 'an encrypted (OLE) file' });
  }
  try {
    await book.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  } catch (e) {
    throw new AppError('invalid_file', `${fileName}: not a readable .xlsx workbook (${(e as Error).message.split('\n')[0]}); a password-protected workbook must be saved without its password`, { expected: 'an .xlsx workbook', found: 'unreadable' });
  }
  const sheets = book.worksheets;
  const sheet = sheetName !== undefined ? sheets.find((s) => s.name === sheetName) : sheets.find((s) => s.actualRowCount > 0);
  if (!sheet) {
    throw new AppError('invalid_file', sheetName !== undefined
      ? `${fileName}: no sheet named '${sheetName}'; the workbook has ${sheets.map((s) => `'${s.name}'`).join(', ') || 'no sheets'}`
      : `${fileName}: every sheet is empty`, { field: 'sheet', expected: 'a sheet with data', found: sheets.map((s) => s.name).join(', ') });
  }
  const label = `${fileName} [${sheet.name}]`;
  const width = sheet.columnCount;
  const cellText = (r: number, c: number) => text(sheet.getRow(r).getCell(c).value, () => `${label} row ${r} column ${sheet.getColumn(c).letter}`);
  // the heading row: the first with two or more headings the readers know
  let headerRow = -1;
  for (let r = 1; r <= Math.min(sheet.rowCount, HEADER_SEARCH_ROWS) && headerRow < 0; r++) {
    let known = 0;
    for (let c = 1; c <= width; c++) {
      const h = cellText(r, c);
      if (KNOWN.has(HEADINGS[h] ?? h.toLowerCase())) known++;
    }
    if (known >= 2) headerRow = r;
  }
  if (headerRow < 0) {
    throw new AppError('invalid_file', `${label}: no heading row in rows 1–${HEADER_SEARCH_ROWS}: expected a row with headings such as 名称, 经度, 纬度, 类别 (or name, lon, lat, category)`, { expected: 'a heading row', found: 'none' });
  }
  const lines: string[] = Array.from({ length: headerRow - 1 }, () => '');
  const header: string[] = [];
  for (let c = 1; c <= width; c++) { const h = cellText(headerRow, c); header.push(HEADINGS[h] ?? h); }
  lines.push(header.map(csvQuote).join(','));
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(r, c));
    lines.push(cells.every((x) => x === '') ? '' : cells.map(csvQuote).join(','));
  }
  return { text: lines.join('\n') + '\n', sheet: sheet.name };
}

import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { csvField } from '../server/export/csv-field.ts';
import { reportXlsx } from '../server/export/report-xlsx.ts';

// formula injection (issue 11): expected strings written by hand from the CSV rules (RFC 4180 quoting, an
// apostrophe before = + - @ tab CR); the workbook read back with exceljs, another reader than the writer's code
describe('texts a spreadsheet would run as formulas', () => {
  test('CSV: a leading = + - @ tab or CR gets an apostrophe; numbers and plain names do not', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField(-5)).toBe('-5');
    expect(csvField('朝阳街道')).toBe('朝阳街道');
  });

  test('XLSX: such a township name is a text cell with the apostrophe, never a formula', async () => {
    const bytes = await reportXlsx({ head: ['代码', '乡镇', '覆盖率', '结论'], rows: [['511621001', '=cmd|" /C calc"!A0', '12.5', '未达标']], verdictColumn: 3 }, { sheet: '乡镇', about: [] });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(bytes) as never);
    const cell = book.getWorksheet('乡镇')!.getRow(2).getCell(2);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(`'=cmd|" /C calc"!A0`);
    expect(book.getWorksheet('乡镇')!.getRow(2).getCell(1).value).toBe('511621001');
    expect(book.getWorksheet('乡镇')!.getRow(2).getCell(3).value).toBe(12.5);
  });
});

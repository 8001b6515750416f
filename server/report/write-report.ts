import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComplianceReport } from '../../analysis/standards/compliance-report.ts';
import { reportCsv } from './report-csv.ts';
import { reportHtml } from './report-html.ts';

export type ReportFormat = 'json' | 'csv' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'csv', 'html'];

/**
 * Writes the compliance report into `dir` as compliance.json, compliance.csv (UTF-8 with BOM) and
 * compliance.html (self-contained, printable); returns the paths written, by format.
 *
 * @example const files = await writeReport(report, 'out/yuechi');
 */
export async function writeReport(
  report: ComplianceReport, dir: string, formats: readonly ReportFormat[] = REPORT_FORMATS,
): Promise<Partial<Record<ReportFormat, string>>> {
  for (const f of formats) {
    if (!REPORT_FORMATS.includes(f)) throw new Error(`report format: expected one of ${REPORT_FORMATS.join(', ')}, found '${f}'`);
  }
  await mkdir(dir, { recursive: true });
  const files: Partial<Record<ReportFormat, string>> = {};
  const write = async (format: ReportFormat, text: string) => {
    const path = join(dir, `compliance.${format}`);
    await writeFile(path, text, 'utf8');
    files[format] = path;
  };
  if (formats.includes('json')) await write('json', `${JSON.stringify(report, null, 2)}\n`);
  if (formats.includes('csv')) await write('csv', reportCsv(report));
  if (formats.includes('html')) await write('html', reportHtml(report));
  return files;
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break (RFC 4180), and a text that a spreadsheet
 * would run as a formula (= + - @, tab, carriage return first) starts with an apostrophe, so a facility named
 * `=HYPERLINK(…)` stays text in Excel and WPS. Numbers are written as numbers.
 *
 * @example csvField('=1+1') // "'=1+1"
 */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? spreadsheetText(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A text a spreadsheet would take for a formula once a user edits or re-saves it (= + - @, tab, carriage
 * return first), with an apostrophe in front; every other text as it is. Shared by the CSV and XLSX exports.
 *
 * @example spreadsheetText('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 */
export function spreadsheetText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break (RFC 4180), and a text that a spreadsheet
 * would run as a formula (= + - @, tab, carriage return first) starts with an apostrophe, so a facility named
 * `=HYPERLINK(…)` stays text in Excel and WPS. Numbers are written as numbers.
 *
 * @example csvField('=1+1') // "'=1+1"
 */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

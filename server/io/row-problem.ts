/**
 * One bad row (CSV line, sheet row) or feature of a file: where it is, the field and the file's own column,
 * what was expected and what was found. A preview collects these for every bad row; an import throws the first.
 *
 * @example { line: 4, field: 'lat', column: 'Y坐标', expected: 'a number in [-90, 90]', found: 'abc', message: "column 'lat' must be …" }
 */
export interface RowProblem {
  line?: number;
  feature?: number;
  /** the field the reader wanted (lon, lat, category…) */
  field: string;
  /** the file's header for that field, when it has one */
  column?: string;
  expected: string;
  found: string;
  /** the reader's sentence, without the file and row it names */
  message: string;
}

import { parse } from 'csv-parse/sync';

/** A CSV file's header and rows as strings, with the line each row starts on for error messages. */
export interface CsvTable {
  readonly file: string;
  /** column names as written (trimmed) */
  readonly header: string[];
  readonly rows: string[][];
  /** 1-based line of each row in the file (the header is line 1 unless blank lines precede it) */
  readonly lines: number[];
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Parses CSV text (comma, semicolon or tab separated, sniffed from the header line); rows shorter than the
 * header are padded with '', longer ones are an error naming the line.
 *
 * @example const table = parseCsvTable('lon,lat\n106.4,30.5\n', 'schools.csv');
 */
export function parseCsvTable(text: string, file: string): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = csvDelimiter(body.slice(0, body.search(/\r?\n|$/)));
  let records: ParsedRecord[];
  try {
    records = parse(body, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as ParsedRecord[];
  } catch (e) {
    throw new Error(`${file}: not valid CSV (${(e as Error).message})`);
  }
  if (records.length === 0) throw new Error(`${file}: expected a header line, found no data`);
  const header = records[0].record;
  const seen = new Map<string, number>();
  header.forEach((name, k) => {
    const key = name.toLowerCase();
    if (name === '') throw new Error(`${file} line ${startLine(records[0])}: column ${k + 1} has no name in the header`);
    if (seen.has(key)) throw new Error(`${file} line ${startLine(records[0])}: column '${name}' appears twice in the header`);
    seen.set(key, k);
  });
  const rows: string[][] = [], lines: number[] = [];
  for (let r = 1; r < records.length; r++) {
    const { record } = records[r];
    const line = startLine(records[r]);
    if (record.length > header.length) {
      throw new Error(`${file} line ${line}: expected ${header.length} columns as in the header, found ${record.length}; quote values that contain '${delimiter === '\t' ? '\\t' : delimiter}'`);
    }
    while (record.length < header.length) record.push('');
    rows.push(record);
    lines.push(line);
  }
  return { file, header, rows, lines };
}

/** The delimiter of a CSV header line: whichever of comma, semicolon and tab it holds most of (comma on a tie). */
export function csvDelimiter(firstLine: string): string {
  return [',', ';', '\t'].reduce((best, d) => (count(firstLine, d) > count(firstLine, best) ? d : best), ',');
}

/** Index of the first of `names` present in the header, case-insensitively; -1 if none is. */
export function csvColumn(table: CsvTable, ...names: string[]): number {
  const lower = table.header.map((h) => h.toLowerCase());
  for (const name of names) {
    const k = lower.indexOf(name.toLowerCase());
    if (k >= 0) return k;
  }
  return -1;
}

function count(line: string, d: string): number {
  return line.split(d).length - 1;
}

// csv-parse reports the line a record ends on; quoted newlines move the start back
function startLine(r: ParsedRecord): number {
  let breaks = 0;
  for (const field of r.record) for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) breaks++;
  return r.info.lines - breaks;
}

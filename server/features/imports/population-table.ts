import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AdminUnits } from '../../../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../../../analysis/grid/population-grid.ts';
import { spreadUnitPopulation, type SpreadMethod, type UnitSpread } from '../../../analysis/grid/spread-unit-population.ts';
import { InputError } from '../../../analysis/errors/input-error.ts';
import { AppError } from '../../app/app-error.ts';
import type { Db } from '../../db/database.ts';
import { parseCsvTable, type CsvTable } from '../../io/parse-csv-table.ts';
import { readTextFile } from '../../io/read-text-file.ts';
import type { RowProblem } from '../../io/row-problem.ts';
import { decodeGrid } from '../regions/grid-codec.ts';
import { gridData, latestGridInfo, listUnits, listVillageZones } from '../regions/region.repository.ts';
import { IMPORT_FIELDS, mappedHeader } from './column-mapping.ts';
import { withUploadFile } from './upload-file.ts';
import { sheetAsCsv } from './upload-layers.ts';
import type { Upload } from './upload-sources.ts';

/** One row of a census table by unit (七普 per township or village), with the line it came from. */
export interface PopulationTableRow {
  line: number;
  code: string;
  population: number;
  aged60: number;
}

/** A census table spread onto a region's grid: the new grid and what each unit got. */
export interface SpreadTable {
  grid: PopulationGrid;
  /** 'township' for 9-digit codes (the region's units), 'village' for 12-digit ones (its village zones) */
  level: 'township' | 'village';
  method: SpreadMethod;
  units: UnitSpread[];
  cellsOutside: number;
  /** the live grid's metadata the new grid keeps (how its cells were classed urban/rural) */
  gridMetadata: Record<string, unknown>;
}

const CODE_LENGTH = { township: 9, village: 12 } as const;

class Problems {
  constructor(private readonly fileName: string, private readonly list: RowProblem[] | undefined) {}

  // a preview lists every bad row; an import stops at the first, naming the file, line and column
  report(line: number, field: string, column: string, expected: string, found: string, sentence: string): void {
    const message = `column '${column}'${column === field ? '' : ` (${field})`} ${sentence}`;
    if (!this.list) throw new AppError('invalid_file', `${this.fileName} line ${line}: ${message}`, { line, field, column, expected, found });
    this.list.push({ line, field, column, expected, found, message });
  }
}

/**
 * Reads a census table (CSV, UTF-8 or GBK, or an .xlsx sheet): a code column (9-digit township or 12-digit
 * village 统计用区划代码), residents (常住人口) and residents aged 60+ (60岁以上), each row checked. A missing
 * column is a 422 naming it; a bad value is a 422 naming its line and column, or, with `problems` (a
 * preview), one entry there per bad row, which is then left out.
 *
 * @example const { rows } = await readPopulationTable({ bytes, fileName: '七普.csv', format: 'csv' });
 */
export async function readPopulationTable(upload: Upload, problems?: RowProblem[]): Promise<{ rows: PopulationTableRow[]; fileName: string; codeColumn: string }> {
  const u = await sheetAsCsv(upload);
  const text = await withUploadFile(u.bytes, 'csv', u.fileName, (path) => readTextFile(path, { allowGbk: true }));
  let table: CsvTable;
  try {
    table = parseCsvTable(text, u.fileName);
  } catch (e) {
    throw AppError.fromInput(e, 'invalid_file');
  }
  const header = u.columns ? mappedHeader(table.header, u.columns, u.fileName) : table.header;
  const headerLine = text.split('\n').findIndex((l) => !/^[\s,;\t\uFEFF]*$/.test(l)) + 1;
  const col: Record<string, number> = {};
  for (const f of IMPORT_FIELDS['population-table']) {
    const lower = header.map((h) => h.toLowerCase());
    col[f.field] = f.names.map((n) => lower.indexOf(n.toLowerCase())).find((k) => k >= 0) ?? -1;
    if (f.required && col[f.field] < 0) {
      throw new AppError('missing_field', `${u.fileName} line ${headerLine}: column '${f.field}' is required (or ${f.names.filter((n) => n !== f.field).map((n) => `'${n}'`).join(', ')}), found columns ${table.header.map((h) => `'${h}'`).join(', ')}`, { line: headerLine, field: f.field, expected: f.names.join(' | '), found: table.header.join(', ') });
    }
  }
  if (table.rows.length === 0) throw new AppError('invalid_file', `${u.fileName}: expected one row per unit after the header, found none`, { expected: 'rows', found: 'header only' });
  const p = new Problems(u.fileName, problems);
  const seen = new Map<string, number>();
  const rows: PopulationTableRow[] = [];
  table.rows.forEach((r, i) => {
    const line = table.lines[i];
    const code = r[col.code];
    const ok = { value: true };
    const bad = (field: string, expected: string, found: string, sentence: string) => { p.report(line, field, table.header[col[field]], expected, found, sentence); ok.value = false; };
    if (!/^\d{9}(\d{3})?$/.test(code)) bad('code', 'a 9-digit township or 12-digit village code', code, `must be a 9-digit township or 12-digit village code (统计用区划代码), found '${code}'`);
    else if (seen.has(code)) bad('code', 'each code once', code, `repeats code '${code}' of line ${seen.get(code)}; give each unit one row`);
    const count = (field: 'population' | 'aged60'): number => {
      const raw = r[col[field]];
      const v = raw === '' ? NaN : Number(raw);
      if (!Number.isSafeInteger(v) || v < 0) { bad(field, 'a whole number >= 0', raw, `must be a whole number of residents >= 0, found '${raw}'`); return NaN; }
      return v;
    };
    const population = count('population'), aged60 = count('aged60');
    if (aged60 > population) bad('aged60', `at most the residents (${population})`, String(aged60), `must be at most the residents (${population}), found ${aged60}`);
    if (!ok.value) return;
    seen.set(code, line);
    rows.push({ line, code, population, aged60 });
  });
  return { rows, fileName: u.fileName, codeColumn: table.header[col.code] };
}

function unitsOf(rows: { name: string; code: string; geometry: Polygon | MultiPolygon }[]): AdminUnits {
  return { names: rows.map((r) => r.name), codes: rows.map((r) => r.code), features: rows.map((r): Feature<Polygon | MultiPolygon> => ({ type: 'Feature', properties: {}, geometry: r.geometry })) };
}

/**
 * Spreads a census table onto the region's live grid within the region's units: its townships for 9-digit
 * codes, its village zones for 12-digit ones (the first row's length decides; a table is one level). A code
 * that is not one of those units, or a unit without a grid cell, is a bad row as `readPopulationTable` reports.
 *
 * @example const spread = await spreadPopulationTable(db, 1, rows, 'grid-weights', '七普.csv', '统计用区划代码');
 */
export async function spreadPopulationTable(db: Db, regionId: number, rows: PopulationTableRow[], method: SpreadMethod, fileName: string, codeColumn: string, problems?: RowProblem[]): Promise<SpreadTable | null> {
  const info = await latestGridInfo(db, regionId);
  if (!info) throw new AppError('validation_failed', `region ${regionId} has no population grid to spread the table onto; import population first (kind=population)`, { field: 'regionId', expected: 'a region with a grid', found: 'no grid' });
  const level = rows[0]?.code.length === CODE_LENGTH.village ? 'village' : 'township';
  const units = unitsOf(level === 'village' ? await listVillageZones(db, regionId) : await listUnits(db, regionId));
  const known = new Set(units.codes);
  const p = new Problems(fileName, problems);
  const what = level === 'village' ? `one of the region's ${units.codes.length} village zones (12-digit codes)` : `one of the region's ${units.codes.length} townships (9-digit codes)`;
  const kept = rows.filter((r) => {
    if (r.code.length !== CODE_LENGTH[level]) p.report(r.line, 'code', codeColumn, `a ${CODE_LENGTH[level]}-digit code like line ${rows[0].line}`, r.code, `must be a ${CODE_LENGTH[level]}-digit ${level} code like the table's first row: a table is by township or by village, not both; found '${r.code}'`);
    else if (!known.has(r.code)) p.report(r.line, 'code', codeColumn, what, r.code, `names '${r.code}', which is not ${what}${units.codes.length === 0 ? '; the region has none' : ''}`);
    else return true;
    return false;
  });
  if (kept.length === 0) return null;
  const grid = decodeGrid(await gridData(db, info.id));
  try {
    const spread = spreadUnitPopulation(grid, units, kept, { method });
    const urbanRule = info.metadata.urbanRule;
    return { grid: spread.grid, level, method, units: spread.units, cellsOutside: spread.cellsOutside, gridMetadata: urbanRule === undefined ? {} : { urbanRule } };
  } catch (e) {
    // the engine names the table row; say the file's line
    const at = e instanceof InputError ? /^table\[(\d+)\]/.exec(e.field) : null;
    if (!at) throw AppError.fromInput(e, 'invalid_file');
    const r = kept[Number(at[1])];
    p.report(r.line, 'code', codeColumn, 'a unit with grid cells inside', r.code, `names '${r.code}', a unit with no populated cell of the region's grid: its residents have nowhere to go; import a grid that covers it or spread by township`);
    return null;
  }
}

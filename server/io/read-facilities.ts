import { foundValue } from '../../analysis/errors/found-value.ts';
import { createFacilitySet, type FacilityInput, type FacilitySet } from '../../analysis/facilities/facility-set.ts';
import { coordinateProblem } from './coordinate-problem.ts';
import { getCrs } from '../../analysis/crs/crs-registry.ts';
import { positionTransform } from '../../analysis/crs/transform-coordinates.ts';
import { csvColumn, parseCsvTable, type CsvTable } from './parse-csv-table.ts';
import { parseFeatureCollection } from './parse-feature-collection.ts';
import { readTextFile } from './read-text-file.ts';
import type { RowProblem } from './row-problem.ts';
import { summariseProblems } from './summarise-problems.ts';

// plain decimal numbers only: codes with leading zeros ("007") stay strings
const NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** A bad row found while reading: its index among the file's rows, where it is, and what is wrong. */
interface BadRow {
  i: number;
  at: string;
  problem: RowProblem;
}

/**
 * Reads facilities from GeoJSON Points (.geojson/.json, optionally .gz; properties id, name, category,
 * capacity, all kept) or CSV (lon, lat, optional id, name, category, capacity; other columns kept as
 * properties, numbers as numbers; UTF-8 or GBK). With `collect`, bad rows are listed there and left out
 * (`collect.kept[j]` is the file row of the set's j-th facility) instead of failing the file.
 *
 * @example const hospitals = await readFacilities('data/yuechi/hospitals.csv');
 */
export async function readFacilities(path: string, options: { crs?: string; collect?: { problems: RowProblem[]; kept: number[] } } = {}): Promise<FacilitySet> {
  let read: { items: (FacilityInput | null)[]; bad: BadRow[] };
  let where: (i: number) => string;
  let place: (i: number) => { line?: number; feature?: number };
  // coordinates in a named CRS (Gauss-Krüger metres, GCJ-02, BD-09…) become WGS84 before they are checked
  const t = options.crs && getCrs(options.crs).name !== 'EPSG:4326' ? positionTransform(options.crs) : null;
  const toLonLat = (x: unknown, y: unknown): [unknown, unknown] => {
    if (!t) return [x, y];
    const nx = Number(x), ny = Number(y);
    return Number.isFinite(nx) && Number.isFinite(ny) && (x !== '' && y !== '') ? t.inverse(nx, ny) : [x, y];
  };
  if (/\.csv(\.gz)?$/i.test(path)) {
    const table = parseCsvTable(await readTextFile(path, { allowGbk: true }), path);
    read = facilitiesFromCsv(path, table, toLonLat);
    where = (i) => `${path} line ${table.lines[i]}`;
    place = (i) => ({ line: table.lines[i] });
  } else if (/\.(geo)?json(\.gz)?$/i.test(path)) {
    read = facilitiesFromGeoJson(path, await readTextFile(path), toLonLat);
    where = (i) => `${path} feature ${i}`;
    place = (i) => ({ feature: i });
  } else {
    throw new Error(`${path}: unknown facility format; expected .csv, .csv.gz, .geojson, .json or .geojson.gz`);
  }
  const { items, bad } = read;
  if (!options.collect && bad.length > 0) throw new Error(summariseProblems(bad.map((b) => `${b.at}: ${b.problem.message}`)));
  if (items.length === 0) throw new Error(`${path}: expected at least one facility, found none`);
  // ids must be unique; say where both copies are, which createFacilitySet cannot
  const firstAt = new Map<string, number>();
  items.forEach((item, i) => {
    if (!item || item.id === undefined || item.id === '') return;
    const id = String(item.id);
    const earlier = firstAt.get(id);
    if (earlier === undefined) return void firstAt.set(id, i);
    const message = `id '${id}' is used twice (first at ${where(earlier).slice(path.length + 1)}); ids must be unique`;
    if (!options.collect) throw new Error(`${where(i)}: ${message}`);
    bad.push({ i, at: where(i), problem: { ...place(i), field: 'id', expected: 'an id no other row has', found: id, message } });
  });
  if (!options.collect) return createFacilitySet(items as FacilityInput[], path);
  // a preview: every bad row listed, the good ones kept with their row numbers
  const badRows = new Set(bad.map((b) => b.i));
  options.collect.problems.push(...bad.sort((a, b) => a.i - b.i).map((b) => b.problem));
  const kept: FacilityInput[] = [];
  items.forEach((item, i) => {
    if (!item || badRows.has(i)) return;
    kept.push(item);
    options.collect!.kept.push(i);
  });
  return createFacilitySet(kept, path);
}

/** A lon/lat problem as a row problem: which of the two is wrong, expected versus found. */
function coordinateRow(at: { line?: number; feature?: number }, lon: unknown, lat: unknown, lonName?: string, latName?: string): RowProblem | undefined {
  const message = coordinateProblem(lon, lat, lonName, latName);
  if (!message) return undefined;
  if (lonName === undefined || latName === undefined) return { ...at, field: 'coordinates', expected: '[lon, lat] with lon in [-180, 180] and lat in [-90, 90]', found: `[${lon}, ${lat}]`, message };
  const lonBad = message.startsWith(`column '${lonName}'`);
  return { ...at, field: lonBad ? 'lon' : 'lat', column: lonBad ? lonName : latName, expected: lonBad ? 'a number in [-180, 180]' : 'a number in [-90, 90]', found: String(lonBad ? lon : lat), message };
}

type ToLonLat = (x: unknown, y: unknown) => [unknown, unknown];

function facilitiesFromCsv(file: string, table: CsvTable, toLonLat: ToLonLat): { items: (FacilityInput | null)[]; bad: BadRow[] } {
  const { header, rows, lines } = table;
  const lonCol = csvColumn(table, 'lon', 'lng', 'longitude');
  const latCol = csvColumn(table, 'lat', 'latitude');
  if (lonCol < 0 || latCol < 0) {
    throw new Error(`${file} line 1: columns 'lon' and 'lat' are required, found ${header.join(', ')}`);
  }
  const idCol = csvColumn(table, 'id'), nameCol = csvColumn(table, 'name'), categoryCol = csvColumn(table, 'category');
  const capacityCol = csvColumn(table, 'capacity');
  const known = new Set([lonCol, latCol, idCol, nameCol, categoryCol, capacityCol]);
  const items: FacilityInput[] = [];
  const bad: BadRow[] = [];
  rows.forEach((row, r) => {
    const at = `${file} line ${lines[r]}`;
    const [lonValue, latValue] = toLonLat(row[lonCol], row[latCol]);
    const problem = coordinateRow({ line: lines[r] }, lonValue, latValue, header[lonCol], header[latCol]);
    if (problem) bad.push({ i: r, at, problem });
    let capacity: number | undefined;
    if (capacityCol >= 0 && row[capacityCol] !== '') {
      capacity = Number(row[capacityCol]);
      if (!Number.isFinite(capacity) || capacity < 0) {
        bad.push({ i: r, at, problem: { line: lines[r], field: 'capacity', column: header[capacityCol], expected: 'a number >= 0 or empty', found: row[capacityCol], message: `column '${header[capacityCol]}' must be a number >= 0 or empty, found '${row[capacityCol]}'` } });
      }
    }
    const properties: Record<string, unknown> = {};
    header.forEach((name, k) => {
      if (known.has(k)) return;
      const v = row[k];
      properties[name] = v === '' ? null : NUMERIC.test(v) ? Number(v) : v;
    });
    items.push({
      lon: Number(lonValue),
      lat: Number(latValue),
      id: idCol >= 0 ? row[idCol] : undefined,
      name: nameCol >= 0 ? row[nameCol] : undefined,
      category: categoryCol >= 0 ? row[categoryCol] : undefined,
      capacity,
      properties,
    });
  });
  return { items, bad };
}

function facilitiesFromGeoJson(file: string, text: string, toLonLat: ToLonLat): { items: (FacilityInput | null)[]; bad: BadRow[] } {
  const fc = parseFeatureCollection(text, file);
  const items: (FacilityInput | null)[] = [];
  const bad: BadRow[] = [];
  fc.features.forEach((f, i) => {
    const at = `${file} feature ${i}`;
    const g = f.geometry;
    if (!g || g.type !== 'Point') {
      const hint = g?.type === 'MultiPoint' ? '; split multi-points into one Point per facility' : '';
      bad.push({ i, at, problem: { feature: i, field: 'geometry', expected: 'a Point', found: g ? g.type : 'null', message: `geometry must be a Point, found ${g ? g.type : 'null'}${hint}` } });
      // a placeholder keeps the indices of the features after it
      items.push(null);
      return;
    }
    const [lon, lat] = toLonLat(g.coordinates[0], g.coordinates[1]) as [number, number];
    const problem = coordinateRow({ feature: i }, lon, lat);
    if (problem) bad.push({ i, at, problem });
    const props = { ...(f.properties ?? {}) };
    const rawCapacity: unknown = props.capacity;
    let capacity: number | undefined;
    if (rawCapacity !== undefined && rawCapacity !== null && rawCapacity !== '') {
      capacity = typeof rawCapacity === 'number' ? rawCapacity : typeof rawCapacity === 'string' ? Number(rawCapacity) : NaN;
      if (!Number.isFinite(capacity) || capacity < 0) {
        bad.push({ i, at, problem: { feature: i, field: 'capacity', column: 'capacity', expected: 'a number >= 0 or absent', found: foundValue(rawCapacity), message: `property 'capacity' must be a number >= 0 or absent, found ${foundValue(rawCapacity)}` } });
      }
    }
    const rawId: unknown = props.id ?? f.id;
    items.push({
      lon, lat, capacity, properties: props,
      id: typeof rawId === 'string' || typeof rawId === 'number' ? rawId : undefined,
      name: textOf(props.name),
      category: textOf(props.category),
    });
  });
  return { items, bad };
}

function textOf(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

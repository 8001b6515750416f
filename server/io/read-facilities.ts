import { foundValue } from '../../analysis/errors/found-value.ts';
import { createFacilitySet, type FacilityInput, type FacilitySet } from '../../analysis/facilities/facility-set.ts';
import { coordinateProblem } from './coordinate-problem.ts';
import { getCrs } from '../../analysis/crs/crs-registry.ts';
import { positionTransform } from '../../analysis/crs/transform-coordinates.ts';
import { csvColumn, parseCsvTable, type CsvTable } from './parse-csv-table.ts';
import { parseFeatureCollection } from './parse-feature-collection.ts';
import { readTextFile } from './read-text-file.ts';
import { summariseProblems } from './summarise-problems.ts';

// plain decimal numbers only: codes with leading zeros ("007") stay strings
const NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Reads facilities from GeoJSON Points (.geojson/.json, optionally .gz; properties id, name, category,
 * capacity, all kept) or CSV (lon, lat, optional id, name, category, capacity; other columns kept as
 * properties, numbers as numbers; UTF-8 or GBK).
 *
 * @example const hospitals = await readFacilities('data/yuechi/hospitals.csv');
 */
export async function readFacilities(path: string, options: { crs?: string } = {}): Promise<FacilitySet> {
  let items: FacilityInput[];
  let where: (i: number) => string;
  // coordinates in a named CRS (Gauss-Krüger metres, GCJ-02, BD-09…) become WGS84 before they are checked
  const t = options.crs && getCrs(options.crs).name !== 'EPSG:4326' ? positionTransform(options.crs) : null;
  const toLonLat = (x: unknown, y: unknown): [unknown, unknown] => {
    if (!t) return [x, y];
    const nx = Number(x), ny = Number(y);
    return Number.isFinite(nx) && Number.isFinite(ny) && (x !== '' && y !== '') ? t.inverse(nx, ny) : [x, y];
  };
  if (/\.csv(\.gz)?$/i.test(path)) {
    const table = parseCsvTable(await readTextFile(path, { allowGbk: true }), path);
    items = facilitiesFromCsv(path, table, toLonLat);
    where = (i) => `${path} line ${table.lines[i]}`;
  } else if (/\.(geo)?json(\.gz)?$/i.test(path)) {
    items = facilitiesFromGeoJson(path, await readTextFile(path), toLonLat);
    where = (i) => `${path} feature ${i}`;
  } else {
    throw new Error(`${path}: unknown facility format; expected .csv, .csv.gz, .geojson, .json or .geojson.gz`);
  }
  if (items.length === 0) throw new Error(`${path}: expected at least one facility, found none`);
  // ids must be unique; say where both copies are, which createFacilitySet cannot
  const firstAt = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.id === undefined || item.id === '') return;
    const id = String(item.id);
    const earlier = firstAt.get(id);
    if (earlier !== undefined) throw new Error(`${where(i)}: id '${id}' is used twice (first at ${where(earlier).slice(path.length + 1)}); ids must be unique`);
    firstAt.set(id, i);
  });
  return createFacilitySet(items, path);
}

type ToLonLat = (x: unknown, y: unknown) => [unknown, unknown];

function facilitiesFromCsv(file: string, table: CsvTable, toLonLat: ToLonLat): FacilityInput[] {
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
  const problems: string[] = [];
  rows.forEach((row, r) => {
    const at = `${file} line ${lines[r]}`;
    const [lonValue, latValue] = toLonLat(row[lonCol], row[latCol]);
    const problem = coordinateProblem(lonValue, latValue, header[lonCol], header[latCol]);
    if (problem) problems.push(`${at}: ${problem}`);
    let capacity: number | undefined;
    if (capacityCol >= 0 && row[capacityCol] !== '') {
      capacity = Number(row[capacityCol]);
      if (!Number.isFinite(capacity) || capacity < 0) problems.push(`${at}: column '${header[capacityCol]}' must be a number >= 0 or empty, found '${row[capacityCol]}'`);
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
  if (problems.length > 0) throw new Error(summariseProblems(problems));
  return items;
}

function facilitiesFromGeoJson(file: string, text: string, toLonLat: ToLonLat): FacilityInput[] {
  const fc = parseFeatureCollection(text, file);
  const items: FacilityInput[] = [];
  const problems: string[] = [];
  fc.features.forEach((f, i) => {
    const at = `${file} feature ${i}`;
    const g = f.geometry;
    if (!g || g.type !== 'Point') {
      const hint = g?.type === 'MultiPoint' ? '; split multi-points into one Point per facility' : '';
      problems.push(`${at}: geometry must be a Point, found ${g ? g.type : 'null'}${hint}`);
      return;
    }
    const [lon, lat] = toLonLat(g.coordinates[0], g.coordinates[1]) as [number, number];
    const problem = coordinateProblem(lon, lat);
    if (problem) problems.push(`${at}: ${problem}`);
    const props = { ...(f.properties ?? {}) };
    const rawCapacity: unknown = props.capacity;
    let capacity: number | undefined;
    if (rawCapacity !== undefined && rawCapacity !== null && rawCapacity !== '') {
      capacity = typeof rawCapacity === 'number' ? rawCapacity : typeof rawCapacity === 'string' ? Number(rawCapacity) : NaN;
      if (!Number.isFinite(capacity) || capacity < 0) problems.push(`${at}: property 'capacity' must be a number >= 0 or absent, found ${foundValue(rawCapacity)}`);
    }
    const rawId: unknown = props.id ?? f.id;
    items.push({
      lon, lat, capacity, properties: props,
      id: typeof rawId === 'string' || typeof rawId === 'number' ? rawId : undefined,
      name: textOf(props.name),
      category: textOf(props.category),
    });
  });
  if (problems.length > 0) throw new Error(summariseProblems(problems));
  return items;
}

function textOf(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

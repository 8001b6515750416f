import type { FeatureCollection, Geometry } from 'geojson';
import { foundValue } from '../../analysis/errors/found-value.ts';
import { gridFromPolygons } from '../../analysis/grid/grid-from-polygons.ts';
import { gridFromRaster } from '../../analysis/grid/grid-from-raster.ts';
import { gridFromPoints, MAX_POINT_POPULATION, UNKNOWN_CLASS, type PopulationGrid } from '../../analysis/grid/population-grid.ts';
import { urbanClassOf } from '../../analysis/grid/urban-class-of.ts';
import { csvColumn, parseCsvTable, type CsvTable } from './parse-csv-table.ts';
import { parseFeatureCollection } from './parse-feature-collection.ts';
import { readTextFile } from './read-text-file.ts';
import { coordinateProblem } from './coordinate-problem.ts';
import { summariseProblems } from './summarise-problems.ts';

export interface ReadPopulationOptions {
  /** cell size in metres; default 100 */
  cellSize?: number;
  /** grid projection centre for point data (see GridOptions.center) */
  center?: [number, number];
  /** CSV column or GeoJSON property with residents; default the first of population, pop, POP, total */
  populationField?: string;
  /** CSV column or GeoJSON property with residents aged 60+; default population_60plus when present */
  aged60Field?: string;
}

const POPULATION_FIELDS = ['population', 'pop', 'POP', 'total'];
const AGED60_FIELD = 'population_60plus';
const URBAN_FIELD = 'urban';

/**
 * Reads population into a grid, by extension: GeoTIFF rasters (.tif/.tiff), CSV points (.csv, .csv.gz:
 * lon, lat, population, optional population_60plus and urban 1/0), GeoJSON points or polygons
 * (.geojson/.json, optionally .gz). Every error is one line naming the file and the row or feature.
 *
 * @example const grid = await readPopulation('data/yuechi/population.csv.gz', { cellSize: 100 });
 */
export async function readPopulation(path: string, options: ReadPopulationOptions = {}): Promise<PopulationGrid> {
  const cellSize = options.cellSize;
  if (/\.tiff?$/i.test(path)) {
    // geotiff loads only for a raster: most runs read points
    const { readGeoTiffRaster } = await import('./read-geotiff-raster.ts');
    return gridFromRaster(await readGeoTiffRaster(path), { cellSize });
  }
  if (/\.csv(\.gz)?$/i.test(path)) {
    return populationFromCsv(parseCsvTable(await readTextFile(path, { allowGbk: true }), path), options);
  }
  if (/\.(geo)?json(\.gz)?$/i.test(path)) return populationFromGeoJson(parseFeatureCollection(await readTextFile(path), path), path, options);
  throw new Error(`${path}: unknown population format; expected .tif, .tiff, .csv, .csv.gz, .geojson, .json or .geojson.gz`);
}

function populationFromCsv(table: CsvTable, options: ReadPopulationOptions): PopulationGrid {
  const { file, header, rows, lines } = table;
  const found = header.join(', ');
  const lonCol = csvColumn(table, 'lon', 'lng', 'longitude');
  const latCol = csvColumn(table, 'lat', 'latitude');
  const popCol = options.populationField ? csvColumn(table, options.populationField) : csvColumn(table, ...POPULATION_FIELDS);
  const wanted = options.populationField ?? 'population';
  if (lonCol < 0 || latCol < 0 || popCol < 0) {
    const missing = [lonCol < 0 && 'lon', latCol < 0 && 'lat', popCol < 0 && wanted].filter(Boolean).join("', '");
    throw new Error(`${file} line 1: column '${missing}' is missing; found ${found}`);
  }
  const agedCol = csvColumn(table, options.aged60Field ?? AGED60_FIELD);
  if (options.aged60Field && agedCol < 0) throw new Error(`${file} line 1: column '${options.aged60Field}' is missing; found ${found}`);
  const urbanCol = csvColumn(table, URBAN_FIELD);
  const n = rows.length;
  if (n === 0) throw new Error(`${file}: expected rows of population after the header, found none`);
  const lon = new Float64Array(n), lat = new Float64Array(n), population = new Float64Array(n);
  const aged60 = agedCol >= 0 ? new Float64Array(n) : undefined;
  const urbanClass = urbanCol >= 0 ? new Uint8Array(n) : undefined;
  const problems: string[] = [];
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    const at = `${file} line ${lines[r]}`;
    const problem = coordinateProblem(row[lonCol], row[latCol], header[lonCol], header[latCol]);
    if (problem) {
      problems.push(`${at}: ${problem}`);
      continue;
    }
    lon[r] = Number(row[lonCol]);
    lat[r] = Number(row[latCol]);
    const p = countOf(row[popCol]);
    if (p === undefined) problems.push(`${at}: column '${header[popCol]}' must be a number in [0, 1e8], found '${row[popCol]}'`);
    else population[r] = p;
    if (aged60) {
      const a = countOf(row[agedCol]);
      if (a === undefined) problems.push(`${at}: column '${header[agedCol]}' must be a number in [0, 1e8], found '${row[agedCol]}'`);
      else aged60[r] = a;
    }
    if (urbanClass) {
      const cls = urbanClassOf(row[urbanCol]);
      if (cls === undefined) problems.push(`${at}: column '${header[urbanCol]}' must be 1 (urban), 0 (rural) or empty, found '${row[urbanCol]}'`);
      else urbanClass[r] = cls;
    }
  }
  if (problems.length > 0) throw new Error(summariseProblems(problems));
  return gridFromPoints({ lon, lat, population, aged60, urbanClass }, { cellSize: options.cellSize, center: options.center });
}

function populationFromGeoJson(fc: FeatureCollection<Geometry | null>, file: string, options: ReadPopulationOptions): PopulationGrid {
  const features = fc.features;
  if (features.length === 0) throw new Error(`${file}: expected population features, found an empty FeatureCollection`);
  const first = features[0];
  const properties = first.properties ?? {};
  const populationField = options.populationField ?? POPULATION_FIELDS.find((f) => f in properties);
  if (!populationField) {
    throw new Error(`${file} feature 0: expected a population property (${POPULATION_FIELDS.join(', ')}; or pass populationField), found ${Object.keys(properties).join(', ') || 'no properties'}`);
  }
  const aged60Field = options.aged60Field ?? (AGED60_FIELD in properties ? AGED60_FIELD : undefined);
  const urbanField = URBAN_FIELD in properties ? URBAN_FIELD : undefined;
  const kind = first.geometry?.type;
  if (kind === 'Polygon' || kind === 'MultiPolygon') {
    return gridFromPolygons(fc, { cellSize: options.cellSize, populationField, aged60Field, urbanField, source: file });
  }
  if (kind !== 'Point') throw new Error(`${file} feature 0: geometry must be a Point, Polygon or MultiPolygon, found ${kind ?? 'null'}`);

  const n = features.length;
  const lon = new Float64Array(n), lat = new Float64Array(n), population = new Float64Array(n);
  const aged60 = aged60Field ? new Float64Array(n) : undefined;
  const urbanClass = urbanField ? new Uint8Array(n).fill(UNKNOWN_CLASS) : undefined;
  const problems: string[] = [];
  features.forEach((f, i) => {
    const at = `${file} feature ${i}`;
    if (f.geometry?.type !== 'Point') {
      problems.push(`${at}: geometry must be a Point like feature 0, found ${f.geometry?.type ?? 'null'}`);
      return;
    }
    const [x, y] = f.geometry.coordinates;
    const problem = coordinateProblem(x, y);
    if (problem) {
      problems.push(`${at}: ${problem}`);
      return;
    }
    lon[i] = x;
    lat[i] = y;
    const props = f.properties ?? {};
    const p = countOf(props[populationField]);
    if (p === undefined) problems.push(`${at}: field '${populationField}' must be a number in [0, 1e8], found ${foundValue(props[populationField])}`);
    else population[i] = p;
    if (aged60 && aged60Field) {
      const a = countOf(props[aged60Field]);
      if (a === undefined) problems.push(`${at}: field '${aged60Field}' must be a number in [0, 1e8], found ${foundValue(props[aged60Field])}`);
      else aged60[i] = a;
    }
    if (urbanClass && urbanField) {
      const cls = urbanClassOf(props[urbanField]);
      if (cls === undefined) problems.push(`${at}: field '${urbanField}' must be 1 (urban), 0 (rural) or empty, found ${foundValue(props[urbanField])}`);
      else urbanClass[i] = cls;
    }
  });
  if (problems.length > 0) throw new Error(summariseProblems(problems));
  return gridFromPoints({ lon, lat, population, aged60, urbanClass }, { cellSize: options.cellSize, center: options.center });
}

/** A head count from a CSV cell or JSON value (numeric strings allowed), or undefined if it is not one. */
function countOf(raw: unknown): number | undefined {
  const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isFinite(v) && v >= 0 && v <= MAX_POINT_POPULATION ? v : undefined;
}

import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { writeArrayBuffer, type GeotiffWriterMetadata } from 'geotiff';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignUnits } from '../analysis/grid/assign-units.ts';
import { classifyUrbanByUnit } from '../analysis/grid/classify-urban-by-unit.ts';
import { gridFromPolygons } from '../analysis/grid/grid-from-polygons.ts';
import { gridFromRaster } from '../analysis/grid/grid-from-raster.ts';
import {
  cellCenter, gridFromPoints, gridProjection, RURAL, sumOf, UNKNOWN_CLASS, URBAN, type PopulationGrid,
} from '../analysis/grid/population-grid.ts';
import { readFacilities } from '../server/io/read-facilities.ts';
import { readPopulation } from '../server/io/read-population.ts';
import { readUnits } from '../server/io/read-units.ts';

const POA = fileURLToPath(new URL('../../shared/data/realworld/porto-alegre/', import.meta.url));
const hasPoa = existsSync(join(POA, 'poa_hexgrid.csv'));
if (!hasPoa) console.warn(`grid-builders: skipping the Porto Alegre check, ${POA}poa_hexgrid.csv not found`);

const MOLLWEIDE = '+proj=moll +lon_0=0 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifecircle-grid-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Seeded so every run grids the same rasters. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Within 0.01 % of the expected total. */
function expectConserved(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 1e-4);
}

async function writeTiff(name: string, data: Float32Array, width: number, height: number, meta: GeotiffWriterMetadata): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, new Uint8Array(writeArrayBuffer(data, { width, height, ...meta })));
  return file;
}

async function writeText(name: string, text: string | Uint8Array): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

/** The cell (row * cols + col) of the grid frame that holds a lon/lat point. */
function cellOf(grid: PopulationGrid, lon: number, lat: number): number {
  const [x, y] = gridProjection(grid).forward(lon, lat);
  return Math.floor((y - grid.y0) / grid.cellSize) * grid.cols + Math.floor((x - grid.x0) / grid.cellSize);
}

function populationAt(grid: PopulationGrid, cell: number): number {
  const j = grid.cellIndex.indexOf(cell);
  return j < 0 ? 0 : grid.population[j];
}

function square(lon: number, lat: number, dLon: number, dLat: number): number[][] {
  return [[lon, lat], [lon + dLon, lat], [lon + dLon, lat + dLat], [lon, lat + dLat], [lon, lat]];
}

describe('gridFromRaster', () => {
  it('conserves a WorldPop-like EPSG:4326 GeoTIFF, skipping nodata, NaN and negative pixels', async () => {
    const width = 60, height = 40, rand = random(7);
    const data = new Float32Array(width * height);
    let expected = 0;
    for (let i = 0; i < data.length; i++) {
      const r = rand();
      data[i] = r < 0.1 ? -99999 : r < 0.13 ? NaN : r < 0.15 ? -3 : r < 0.3 ? 0 : rand() * 25;
      if (data[i] > 0) expected += data[i];
    }
    // 3 arc-seconds, as WorldPop ships
    const file = await writeTiff('worldpop.tif', data, width, height, {
      ModelPixelScale: [1 / 1200, 1 / 1200, 0], ModelTiepoint: [0, 0, 0, 106.4, 30.55, 0],
      GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2, GDAL_NODATA: '-99999',
    });
    const grid = await readPopulation(file, { cellSize: 100 });
    expectConserved(sumOf(grid.population), expected);
    expect(grid.hasAged60).toBe(false);
    // raster cells start from their centres
    const [lon, lat] = cellCenter(grid, grid.cellIndex[0]);
    expect(grid.originLon[0]).toBeCloseTo(lon, 9);
    expect(grid.originLat[0]).toBeCloseTo(lat, 9);
  });

  it('gives a fine pixel whole to the cell holding its centre', () => {
    const data = new Float32Array(9).fill(-99999);
    data[4] = 42;
    data[0] = 1;
    const gt: [number, number, number, number, number, number] = [106.4, 1 / 3600, 0, 30.5, 0, -1 / 3600];
    const grid = gridFromRaster({ width: 3, height: 3, data, geoTransform: gt, noData: -99999 }, { cellSize: 50, aged60Share: 0.25 });
    expectConserved(sumOf(grid.population), 43);
    expectConserved(sumOf(grid.aged60), 43 * 0.25);
    expect(grid.hasAged60).toBe(true);
    const centre = cellOf(grid, 106.4 + 1.5 / 3600, 30.5 - 1.5 / 3600);
    expect(populationAt(grid, centre)).toBeCloseTo(42, 4);
  });

  it('spreads coarse 1 km Mollweide (GHS-POP) pixels evenly over the 100 m cells they cover', async () => {
    const moll = proj4(MOLLWEIDE, 'EPSG:4326');
    const [x, y] = moll.inverse([106.4, 30.5]);
    const width = 5, height = 4;
    const data = new Float32Array(width * height).fill(1000);
    data[6] = -200; // GHS-POP's nodata
    data[13] = 0;
    const expected = 18 * 1000;
    const file = await writeTiff('ghs-pop.tif', data, width, height, {
      ModelPixelScale: [1000, 1000, 0], ModelTiepoint: [0, 0, 0, Math.round(x / 1000) * 1000, Math.round(y / 1000) * 1000, 0],
      ProjectedCSTypeGeoKey: 54009, GTModelTypeGeoKey: 1, GTCitationGeoKey: 'World_Mollweide', GDAL_NODATA: '-200',
    });
    const grid = await readPopulation(file, { cellSize: 100 });
    expectConserved(sumOf(grid.population), expected);
    // each 1 km² pixel covers about 100 cells, each holding about a hundredth of it
    expect(grid.count).toBeGreaterThan(18 * 100);
    expect(grid.count).toBeLessThan(18 * 130);
    const sorted = Float64Array.from(grid.population).sort();
    expect(sorted[Math.floor(sorted.length / 2)]).toBeCloseTo(10, 0);
    expect(sorted[sorted.length - 1]).toBeLessThan(10.6);
  });

  it('spreads a 30 arc-second EPSG:4326 raster into 250 m cells, conserving the total', () => {
    const width = 8, height = 6, rand = random(11);
    const data = Float64Array.from({ length: width * height }, () => (rand() < 0.2 ? NaN : Math.round(rand() * 3000)));
    let expected = 0;
    for (const v of data) if (v > 0) expected += v;
    const grid = gridFromRaster({ width, height, data, geoTransform: [106.3, 1 / 120, 0, 30.6, 0, -1 / 120] }, { cellSize: 250 });
    expectConserved(sumOf(grid.population), expected);
    expect(grid.count).toBeGreaterThan(10 * width * height * 0.5);
  });

  it('rejects rotated geotransforms, naming the raster and the terms', () => {
    const raster = { width: 2, height: 2, data: [1, 2, 3, 4], geoTransform: [106, 0.001, 0.0002, 30, 0, -0.001] as [number, number, number, number, number, number], source: 'tilted.tif' };
    expect(() => gridFromRaster(raster)).toThrow(/^tilted\.tif: rotated .*geoTransform\[2\] and \[4\] to be 0, found 0\.0002 and 0$/);
  });

  it('names the EPSG code of a CRS it cannot read', async () => {
    const file = await writeTiff('utm.tif', new Float32Array([1, 2, 3, 4]), 2, 2, {
      ModelPixelScale: [100, 100, 0], ModelTiepoint: [0, 0, 0, 500000, 3300000, 0], ProjectedCSTypeGeoKey: 32648, GTModelTypeGeoKey: 1,
    });
    await expect(readPopulation(file)).rejects.toThrow(`${file}: GeoTIFF CRS is EPSG:32648`);
  });
});

describe('gridFromPolygons', () => {
  // a 1.1 km square with a 440 m hole, a 3 m triangle, a two-part village and an empty polygon
  const shell = square(106.40, 30.50, 0.0115, 0.0099);
  const hole = square(106.404, 30.5035, 0.0045, 0.0040).reverse();
  const polygons: FeatureCollection<Polygon | MultiPolygon> = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { pop: 1000, old: 200 }, geometry: { type: 'Polygon', coordinates: [shell, hole] } },
      { type: 'Feature', properties: { pop: 37, old: 5 }, geometry: { type: 'Polygon', coordinates: [[[106.43, 30.52], [106.43003, 30.52], [106.43, 30.52003], [106.43, 30.52]]] } },
      { type: 'Feature', properties: { pop: '500', old: 120 }, geometry: { type: 'MultiPolygon', coordinates: [[square(106.42, 30.50, 0.002, 0.002)], [[...square(106.425, 30.505, 0.003, 0.001)]]] } },
      { type: 'Feature', properties: { pop: 0, old: 0 }, geometry: { type: 'Polygon', coordinates: [square(106.45, 30.45, 0.01, 0.01)] } },
    ],
  };

  it('conserves every polygon, leaves the hole empty and keeps a polygon smaller than a sample', () => {
    const grid = gridFromPolygons(polygons, { populationField: 'pop', aged60Field: 'old', cellSize: 100 });
    expectConserved(sumOf(grid.population), 1000 + 37 + 500);
    expectConserved(sumOf(grid.aged60), 200 + 5 + 120);
    expect(grid.hasAged60).toBe(true);
    // every cell wholly inside the hole (holding a point 101 m or more inside it) is empty; the ring around it is not
    const proj = gridProjection(grid);
    const [hx0, hy0] = proj.forward(106.404, 30.5035), [hx1, hy1] = proj.forward(106.4085, 30.5075);
    let checked = 0;
    for (let x = hx0 + 101; x <= hx1 - 101; x += 25) {
      for (let y = hy0 + 101; y <= hy1 - 101; y += 25) {
        const [lon, lat] = proj.inverse(x, y);
        expect(populationAt(grid, cellOf(grid, lon, lat))).toBe(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(populationAt(grid, cellOf(grid, 106.4025, 30.5055))).toBeGreaterThan(0);
    expect(populationAt(grid, cellOf(grid, 106.43001, 30.52001))).toBeGreaterThanOrEqual(37);
  });

  it('shares a polygon by area: cells wholly inside get equal shares', () => {
    const fc: FeatureCollection<Polygon> = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { pop: 5000 }, geometry: { type: 'Polygon', coordinates: [square(106.40, 30.50, 0.0104, 0.0090)] } }],
    };
    const grid = gridFromPolygons(fc, { populationField: 'pop' });
    expectConserved(sumOf(grid.population), 5000);
    const proj = gridProjection(grid);
    const [x0, y0] = proj.forward(106.40, 30.50), [x1, y1] = proj.forward(106.4104, 30.509);
    const density = 5000 / ((x1 - x0) * (y1 - y0)) * 100 * 100;
    let inner = 0;
    for (let j = 0; j < grid.count; j++) {
      const [x, y] = proj.forward(grid.originLon[j], grid.originLat[j]);
      if (x > x0 + 50 && x < x1 - 50 && y > y0 + 50 && y < y1 - 50) {
        expect(grid.population[j] / density).toBeCloseTo(1, 2);
        inner++;
      }
    }
    expect(inner).toBeGreaterThan(60);
  });

  it('names the feature and field of a bad population', () => {
    const bad: FeatureCollection<Polygon> = {
      type: 'FeatureCollection',
      features: [0, 1, 2].map((i) => ({
        type: 'Feature', properties: { pop: i === 2 ? 'abc' : 10 }, geometry: { type: 'Polygon', coordinates: [square(106.4 + i * 0.01, 30.5, 0.005, 0.005)] },
      })),
    };
    expect(() => gridFromPolygons(bad, { populationField: 'pop' })).toThrow("feature 2: field 'pop' must be a number in [0, 1e8], found 'abc'");
    expect(() => gridFromPolygons(bad, { populationField: 'people' })).toThrow("feature 0: field 'people' is missing; found pop");
  });

  it('reads polygons from GeoJSON, finding the POP field and naming the file in errors', async () => {
    const renamed = { ...polygons, features: polygons.features.map((f) => ({ ...f, properties: { POP: f.properties?.pop } })) };
    const file = await writeText('villages.geojson', JSON.stringify(renamed));
    const grid = await readPopulation(file);
    expectConserved(sumOf(grid.population), 1537);
    const broken = { ...renamed, features: [...renamed.features, { type: 'Feature', properties: { POP: 5 }, geometry: { type: 'LineString', coordinates: [[106.4, 30.5], [106.41, 30.5]] } }] };
    const brokenFile = await writeText('broken.geojson.gz', gzipSync(JSON.stringify(broken)));
    await expect(readPopulation(brokenFile)).rejects.toThrow(`${brokenFile} feature 4: geometry must be a Polygon or MultiPolygon, found LineString`);
  });
});

describe('readPopulation from CSV', () => {
  const csv = [
    'LON,Lat,Population,population_60plus,urban,township_code',
    '106.4001,30.5001,120.5,30,1,510001',
    '106.4003,30.5002,80,12,1,510001',
    '106.4150,30.5100,1000,250,0,510002',
    '106.4300,30.5200,0,0,,510002',
    '106.4301,30.5201,7.25,1,0,510002',
  ].join('\r\n');
  const expected = 120.5 + 80 + 1000 + 0 + 7.25;

  it('reads UTF-8 with a BOM and case-insensitive headers, keeping aged 60+ and urban class', async () => {
    const file = await writeText('points.csv', `\uFEFF${csv}\r\n`);
    const grid = await readPopulation(file, { cellSize: 100 });
    expectConserved(sumOf(grid.population), expected);
    expectConserved(sumOf(grid.aged60), 30 + 12 + 250 + 0 + 1);
    const first = grid.cellIndex.indexOf(cellOf(grid, 106.4001, 30.5001));
    expect(grid.urbanClass[first]).toBe(URBAN);
    expect(grid.urbanClass[grid.cellIndex.indexOf(cellOf(grid, 106.415, 30.51))]).toBe(RURAL);
    // point data keeps the population-weighted origin
    expect(grid.originLon[first]).toBeCloseTo((106.4001 * 120.5 + 106.4003 * 80) / 200.5, 9);
  });

  it('reads .csv.gz', async () => {
    const file = await writeText('points.csv.gz', gzipSync(`\uFEFF${csv}\n`));
    expectConserved(sumOf((await readPopulation(file)).population), expected);
  });

  it('reports a bad row with file, line and column', async () => {
    const file = await writeText('bad-row.csv', 'lon,lat,population\n106.40,30.50,10\n106.41,30.51,x\n106.42,30.52,-4\n');
    await expect(readPopulation(file)).rejects.toThrow(`${file} line 3: column 'population' must be a number in [0, 1e8], found 'x' (and 1 more: line 4)`);
  });

  it('reports a missing column with what it found', async () => {
    const file = await writeText('no-pop.csv', 'lon,lat,people\n106.40,30.50,10\n');
    await expect(readPopulation(file)).rejects.toThrow(`${file} line 1: column 'population' is missing; found lon, lat, people`);
  });

  it('fails in one line on a truncated gzip, an unknown extension, a missing file and an empty file', async () => {
    const whole = gzipSync(csv.repeat(50));
    const truncated = await writeText('cut.csv.gz', whole.subarray(0, whole.length >> 1));
    await expect(readPopulation(truncated)).rejects.toThrow(new RegExp(`^${escape(truncated)}: gzip data is truncated \\([^\\n]*\\)$`));
    const xlsx = await writeText('population.xlsx', 'PK');
    await expect(readPopulation(xlsx)).rejects.toThrow(`${xlsx}: unknown population format; expected .tif`);
    await expect(readPopulation(join(dir, 'nowhere.csv'))).rejects.toThrow(`${join(dir, 'nowhere.csv')}: file not found`);
    const empty = await writeText('empty.csv', '');
    await expect(readPopulation(empty)).rejects.toThrow(`${empty}: file is empty`);
  });
});

describe('readFacilities', () => {
  it('reads GeoJSON points, keeping every property', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'h1', properties: { name: '县医院', category: 'hospital', capacity: 300, beds: 300 }, geometry: { type: 'Point', coordinates: [106.43, 30.53] } },
        { type: 'Feature', properties: { id: 7, name: 'clinic', capacity: '12' }, geometry: { type: 'Point', coordinates: [106.44, 30.54] } },
      ],
    };
    const set = await readFacilities(await writeText('hospitals.geojson', JSON.stringify(fc)));
    expect(set.count).toBe(2);
    expect(set.id).toEqual(['h1', '7']);
    expect(set.name[0]).toBe('县医院');
    expect(Array.from(set.capacity)).toEqual([300, 12]);
    expect(set.properties[0]).toMatchObject({ beds: 300, category: 'hospital' });
  });

  it('names the file and feature of a geometry that is not a Point', async () => {
    const point = (lon: number) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [lon, 30.5] } });
    const features = [point(106.1), point(106.2), point(106.3), { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[106.4, 30.5], [106.5, 30.5]] } }];
    const file = await writeText('schools.geojson', JSON.stringify({ type: 'FeatureCollection', features }));
    await expect(readFacilities(file)).rejects.toThrow(`${file} feature 3: geometry must be a Point, found LineString`);
  });

  it('reads CSV, keeping other columns as properties with numbers as numbers', async () => {
    const file = await writeText('kindergartens.csv', 'id,name,lon,lat,category,capacity,slots,code\nk1,A,106.40,30.50,kindergarten,90,3,007\nk2,B,106.41,30.51,kindergarten,,4,12\n');
    const set = await readFacilities(file);
    expect(set.id).toEqual(['k1', 'k2']);
    expect(set.capacity[0]).toBe(90);
    expect(Number.isNaN(set.capacity[1])).toBe(true);
    expect(set.properties[0]).toEqual({ slots: 3, code: '007' });
    expect(set.properties[1]).toEqual({ slots: 4, code: 12 });
  });

  it('hints at swapped lon/lat, naming file, line and column', async () => {
    const rows = ['lon,lat,name', ...[1, 2, 3, 4, 5].map((k) => `106.4${k},30.5${k},s${k}`), '30.52,130.2,swapped'];
    const file = await writeText('swapped.csv', rows.join('\n'));
    await expect(readFacilities(file)).rejects.toThrow(`${file} line 7: column 'lat' must be a number in [-90, 90], found '130.2'; lon and lat look swapped`);
  });

  it('decodes GBK CSV from Chinese Excel', async () => {
    const header = new TextEncoder().encode('lon,lat,name\n106.43,30.53,');
    // 县人民医院 in GBK (a lone 医院 happens to be valid UTF-8 too, which no decoder can tell apart)
    const bytes = Uint8Array.from([...header, 0xcf, 0xd8, 0xc8, 0xcb, 0xc3, 0xf1, 0xd2, 0xbd, 0xd4, 0xba, 0x0a]);
    const set = await readFacilities(await writeText('gbk.csv', bytes));
    expect(set.name).toEqual(['县人民医院']);
  });
});

describe('assignUnits', () => {
  // unit A: a 1 km square with a hole in its middle; unit B: the square east of it
  const unitA: Feature<Polygon> = {
    type: 'Feature', properties: {},
    geometry: { type: 'Polygon', coordinates: [square(106.40, 30.50, 0.01, 0.01), square(106.404, 30.504, 0.002, 0.002).reverse()] },
  };
  const unitB: Feature<Polygon> = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square(106.41, 30.50, 0.01, 0.01)] } };
  const units = { names: ['A 街道', 'B 乡'], codes: ['510001', '510002'], features: [unitA, unitB] };
  const places = { a: [106.402, 30.502], hole: [106.405, 30.505], b: [106.415, 30.505], outside: [106.43, 30.52] } as const;
  const grid = gridFromPoints({
    lon: Float64Array.from(Object.values(places), (p) => p[0]),
    lat: Float64Array.from(Object.values(places), (p) => p[1]),
    population: Float64Array.of(10, 20, 30, 40),
  });
  const slot = (lon: number, lat: number) => grid.cellIndex.indexOf(cellOf(grid, lon, lat));

  it('gives each cell the unit whose polygon holds its origin, -1 in holes and outside', () => {
    const assigned = assignUnits(grid, units);
    expect(assigned.unit[slot(...places.a)]).toBe(0);
    expect(assigned.unit[slot(...places.hole)]).toBe(-1);
    expect(assigned.unit[slot(...places.b)]).toBe(1);
    expect(assigned.unit[slot(...places.outside)]).toBe(-1);
    expect(assigned.unitNames).toEqual(['A 街道', 'B 乡']);
    expect(assigned.unitCodes).toEqual(['510001', '510002']);
    expect(Array.from(grid.unit)).toEqual([-1, -1, -1, -1]);
  });

  it('classes cells urban or rural by their unit, leaving cells outside as they were', () => {
    const assigned = assignUnits(grid, units);
    const classed = classifyUrbanByUnit(assigned, (u) => assigned.unitNames[u].endsWith('街道'));
    expect(classed.urbanClass[slot(...places.a)]).toBe(URBAN);
    expect(classed.urbanClass[slot(...places.b)]).toBe(RURAL);
    expect(classed.urbanClass[slot(...places.outside)]).toBe(UNKNOWN_CLASS);
    expect(Array.from(assigned.urbanClass)).toEqual([0, 0, 0, 0]);
  });

  it('reads units from GeoJSON: 名称 and adcode, falling back to the index', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { ...unitA, properties: { 名称: '九龙街道', adcode: 511621001 } },
        { ...unitB, properties: { other: 1 } },
      ],
    };
    const read = await readUnits(await writeText('townships.geojson.gz', gzipSync(JSON.stringify(fc))));
    expect(read.names).toEqual(['九龙街道', '1']);
    expect(read.codes).toEqual(['511621001', '1']);
    expect(assignUnits(grid, read).unit[slot(...places.b)]).toBe(1);
  });
});

describe.skipIf(!hasPoa)('real data: Porto Alegre hexagon grid', () => {
  it('reads poa_hexgrid.csv to 812,935 residents', async () => {
    const grid = await readPopulation(join(POA, 'poa_hexgrid.csv'));
    expectConserved(sumOf(grid.population), 812_935);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

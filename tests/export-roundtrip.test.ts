// Export round trip (issue 5 acceptance): layers exported in EPSG:4544 and read back by GDAL (ogr2ogr/ogrinfo,
// Debian's gdal-bin) or PostGIS land within 0.01 m of the WGS84 originals. GDAL and PostGIS are the independent
// readers; the expected coordinates and attributes are the inputs themselves.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { positionTransform } from '../analysis/crs/transform-coordinates.ts';
import { haversineMeters } from '../analysis/geo/local-projection.ts';
import { encodeGbk } from '../server/export/encode-gbk.ts';
import { exportGeoJson } from '../server/export/export-geojson.ts';
import { dbfFieldNames, shapefileZip } from '../server/export/write-shapefile-zip.ts';
import { skipMessage, testDatabaseUrl, withClient } from './support/postgres.ts';

const has = (cmd: string, arg = '--version'): boolean => spawnSync(cmd, [arg]).status === 0;
const hasGdal = has('ogr2ogr') && has('ogrinfo');
const hasUnzip = has('unzip', '-v');
if (!hasGdal || !hasUnzip) console.warn('skipped: GDAL (ogr2ogr, ogrinfo) or unzip not installed; apt-get install gdal-bin unzip');

const dir = mkdtempSync(join(tmpdir(), 'lifecircle-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOLERANCE_M = 0.01;

/** A closed square ring, counter-clockwise (RFC 7946 outer) or clockwise (RFC 7946 hole). */
function square(lon: number, lat: number, size: number, clockwise = false): Position[] {
  const ccw = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]];
  return clockwise ? ccw.reverse() : ccw;
}

// two gap areas near Yuechi's seat; the second straddles the 106.5°E zone edge
const gaps: FeatureCollection<Geometry> = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { name: '九龙街道', uncovered_population: 1234.56, aged60: 321, served: false },
      geometry: { type: 'Polygon', coordinates: [square(106.4, 30.5, 0.02), square(106.405, 30.505, 0.005, true)] },
    },
    {
      type: 'Feature',
      properties: { name: 'Shuangguan 双关', uncovered_population: 87.25, aged60: null, served: true },
      geometry: { type: 'MultiPolygon', coordinates: [[square(106.49, 30.55, 0.02)], [square(106.45, 30.6, 0.01)]] },
    },
  ],
};

function extract(zip: Uint8Array, name: string): string {
  const zipPath = join(dir, `${name}.zip`);
  const out = join(dir, name);
  writeFileSync(zipPath, zip);
  execFileSync('unzip', ['-o', '-q', zipPath, '-d', out]);
  return out;
}

function ogrToWgs84(source: string, name: string): FeatureCollection<Geometry> {
  const target = join(dir, `${name}.geojson`);
  execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:4326', target, source]);
  return JSON.parse(readFileSync(target, 'utf8')) as FeatureCollection<Geometry>;
}

function polygonsOf(g: Geometry): Position[][][] {
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  throw new Error(`expected a polygon, found ${g.type}`);
}

function signedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return a / 2;
}

/** Largest vertex distance in metres between two polygon sets of the same structure, or Infinity. */
function worstVertexGap(a: Position[][][], b: Position[][][]): number {
  let worst = 0;
  if (a.length !== b.length) return Infinity;
  a.forEach((poly, p) => {
    if (poly.length !== b[p].length) worst = Infinity;
    poly.forEach((ring, r) => {
      const other = b[p][r];
      if (!other || other.length !== ring.length) worst = Infinity;
      else ring.forEach((v, i) => (worst = Math.max(worst, haversineMeters(v[0], v[1], other[i][0], other[i][1]))));
    });
  });
  return worst;
}

describe.skipIf(!hasGdal || !hasUnzip)('zipped Shapefile in EPSG:4544 read back by GDAL', () => {
  let folder = '';

  it('holds .shp, .shx, .dbf, .prj, .cpg and the field-name table', async () => {
    folder = extract(await shapefileZip(gaps, { crs: 'EPSG:4544', layerName: 'gaps' }), 'gaps-utf8');
    expect(readdirSync(folder).sort()).toEqual(['fields.txt', 'gaps.cpg', 'gaps.dbf', 'gaps.prj', 'gaps.shp', 'gaps.shx']);
    expect(readFileSync(join(folder, 'gaps.cpg'), 'utf8')).toBe('UTF-8');
    const fields = readFileSync(join(folder, 'fields.txt'), 'utf8');
    expect(fields).toMatch(/^uncov_pop\tuncovered_population\tN\(24,15\)$/m);
    expect(fields).toMatch(/EPSG:4544 \(CGCS2000 \/ 3-degree Gauss-Kruger CM 105E\)/);
  });

  it('ogrinfo identifies the .prj as EPSG:4544, CGCS2000 / 3-degree Gauss-Kruger CM 105E', () => {
    const info = execFileSync('ogrinfo', ['-so', '-al', join(folder, 'gaps.shp')], { encoding: 'utf8' });
    expect(info).toMatch(/PROJCRS\["CGCS2000 \/ 3-degree Gauss-Kruger CM 105E"/);
    expect(info).toMatch(/ID\["EPSG",4544\]\]\s*$/m);
    expect(info).toMatch(/Geometry: Polygon/);
    expect(info).toMatch(/Feature Count: 2/);
  });

  it('every vertex comes back within 0.01 m, rings in shapefile order (outer clockwise, holes counter-clockwise)', () => {
    const back = ogrToWgs84(join(folder, 'gaps.shp'), 'gaps-utf8-back');
    expect(back.features).toHaveLength(2);
    back.features.forEach((f, k) => {
      const got = polygonsOf(f.geometry);
      // GDAL keeps the file's vertex order; our RFC 7946 input (outer CCW, hole CW) must come back reversed
      for (const poly of got) poly.forEach((ring, r) => expect(signedArea(ring) < 0, `feature ${k} ring ${r}`).toBe(r === 0));
      const expected = polygonsOf(gaps.features[k].geometry).map((poly) => poly.map((ring) => [...ring].reverse()));
      expect(worstVertexGap(expected, got)).toBeLessThan(TOLERANCE_M);
    });
  });

  it('attributes come back, Chinese text included, under their 10-character names', () => {
    const back = ogrToWgs84(join(folder, 'gaps.shp'), 'gaps-utf8-attrs');
    expect(back.features.map((f) => f.properties)).toEqual([
      // GDAL reads a DBF logical (L) field as the string 'T' / 'F'
      { name: '九龙街道', uncov_pop: 1234.56, aged60: 321, served: 'F' },
      { name: 'Shuangguan 双关', uncov_pop: 87.25, aged60: null, served: 'T' },
    ]);
  });

  it('GBK text (.cpg 936) decodes in GDAL, and the encoder agrees byte for byte with iconv', async () => {
    const gbk = extract(await shapefileZip(gaps, { crs: 'EPSG:4544', layerName: 'gaps', encoding: 'GBK' }), 'gaps-gbk');
    expect(readFileSync(join(gbk, 'gaps.cpg'), 'utf8')).toBe('936');
    const back = ogrToWgs84(join(gbk, 'gaps.shp'), 'gaps-gbk-back');
    expect(back.features.map((f) => f.properties?.name)).toEqual(['九龙街道', 'Shuangguan 双关']);
    const text = '岳池县九龙街道 乡镇 幼儿园 养老院 卫生院 覆盖人口 ·—€';
    expect(Buffer.from(encodeGbk(text))).toEqual(execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text }));
  });

  it('puts each shape type in its own layer and keeps features without geometry', async () => {
    const mixed: FeatureCollection<Geometry | null> = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '岳池县幼儿园' }, geometry: { type: 'Point', coordinates: [106.437, 30.536] } },
        gaps.features[0] as Feature<Geometry | null>,
        { type: 'Feature', properties: { name: 'no site yet' }, geometry: null },
        { type: 'Feature', properties: { name: 'road' }, geometry: { type: 'LineString', coordinates: [[106.43, 30.53], [106.52, 30.56]] } },
      ],
    };
    const folder2 = extract(await shapefileZip(mixed, { crs: 'EPSG:4544', layerName: 'mixed' }), 'mixed');
    const counts = (layer: string): string =>
      /Feature Count: (\d+)/.exec(execFileSync('ogrinfo', ['-so', '-al', join(folder2, `${layer}.shp`)], { encoding: 'utf8' }))![1];
    expect([counts('mixed_point'), counts('mixed_polygon'), counts('mixed_line')]).toEqual(['2', '1', '1']);
    const points = ogrToWgs84(join(folder2, 'mixed_point.shp'), 'mixed-points');
    expect(points.features[1]).toMatchObject({ properties: { name: 'no site yet' }, geometry: null });
    const p = points.features[0].geometry as { coordinates: Position };
    expect(haversineMeters(p.coordinates[0], p.coordinates[1], 106.437, 30.536)).toBeLessThan(TOLERANCE_M);
  });
});

describe('DBF field names', () => {
  it('are unique, at most 10 bytes, and short names are never renamed to make room', () => {
    const names = dbfFieldNames(['uncovered_population', 'uncov_pop', 'Name', 'name', '覆盖人口合计', 'nearestFacilityMinutes'], 'UTF-8');
    expect(names.get('uncov_pop')).toBe('uncov_pop');
    expect(names.get('uncovered_population')).toBe('uncov_po_2');
    expect(names.get('Name')).toBe('Name');
    expect(names.get('name')).toBe('name_2');
    // 3 bytes per Chinese character in UTF-8, 2 in GBK
    expect(names.get('覆盖人口合计')).toBe('覆盖人');
    expect(dbfFieldNames(['覆盖人口合计'], 'GBK').get('覆盖人口合计')).toBe('覆盖人口合');
    expect(names.get('nearestFacilityMinutes')).toBe('neafacmin');
    for (const v of names.values()) expect(new TextEncoder().encode(v).length).toBeLessThanOrEqual(10);
  });
});

describe.skipIf(!hasGdal)('GeoJSON export with a named CRS read back by GDAL', () => {
  it.each(['EPSG:4544', 'EPSG:4523', 'EPSG:4490'])('%s: every vertex within 0.01 m of the WGS84 original', (crs) => {
    const file = join(dir, `gaps-${crs.replace(':', '')}.geojson`);
    const exported = exportGeoJson(gaps, crs);
    expect(exported.crs).toEqual({ type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${crs.slice(5)}` } });
    writeFileSync(file, JSON.stringify(exported));
    const info = execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`ID\\["EPSG",${crs.slice(5)}\\]\\]\\s*$`, 'm'));
    const back = ogrToWgs84(file, `gaps-${crs.replace(':', '')}-back`);
    back.features.forEach((f, k) => {
      expect(worstVertexGap(polygonsOf(gaps.features[k].geometry), polygonsOf(f.geometry))).toBeLessThan(TOLERANCE_M);
    });
    expect(back.features[0].properties).toMatchObject({ name: '九龙街道', uncovered_population: 1234.56 });
  });

  it('leaves WGS84 output as plain RFC 7946 (no crs member)', () => {
    expect(exportGeoJson(gaps).crs).toBeUndefined();
  });
});

const databaseUrl = await testDatabaseUrl().catch((err: Error) => {
  console.warn(`skipped: could not start PostgreSQL: ${err.message}`);
  return undefined;
});
if (!databaseUrl) console.warn(skipMessage('PostGIS ST_Transform check of EPSG:4544/4523'));

describe.skipIf(!databaseUrl)('PostGIS ST_Transform agrees with the proj4 transforms', () => {
  const vertices = gaps.features.flatMap((f) => polygonsOf(f.geometry).flat(2));

  it.each(['EPSG:4544', 'EPSG:4523'])('%s forward and inverse within 0.01 m', async (crs) => {
    const srid = Number(crs.slice(5));
    const t = positionTransform(crs);
    const projected = vertices.map((v) => t.forward(v[0], v[1]));
    const rows = await withClient(databaseUrl!, async (c) =>
      (
        await c.query<{ lon: number; lat: number; x: number; y: number }>(
          `SELECT ST_X(g) AS lon, ST_Y(g) AS lat, ST_X(p) AS x, ST_Y(p) AS y
             FROM unnest($1::float8[], $2::float8[], $3::float8[], $4::float8[]) WITH ORDINALITY AS v(px, py, lon0, lat0, i),
                  LATERAL (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(px, py), ${srid}), 4326) AS g,
                                  ST_Transform(ST_SetSRID(ST_MakePoint(lon0, lat0), 4326), ${srid}) AS p) AS t
            ORDER BY i`,
          [projected.map((p) => p[0]), projected.map((p) => p[1]), vertices.map((v) => v[0]), vertices.map((v) => v[1])],
        )
      ).rows,
    );
    expect(rows).toHaveLength(vertices.length);
    rows.forEach((r, i) => {
      const [lon, lat] = t.inverse(projected[i][0], projected[i][1]);
      expect(haversineMeters(lon, lat, r.lon, r.lat)).toBeLessThan(TOLERANCE_M);
      expect(Math.hypot(projected[i][0] - r.x, projected[i][1] - r.y)).toBeLessThan(TOLERANCE_M);
      expect(haversineMeters(vertices[i][0], vertices[i][1], r.lon, r.lat)).toBeLessThan(TOLERANCE_M);
    });
  });
});

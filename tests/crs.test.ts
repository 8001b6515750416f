// CRS registry, transforms and coordinate warnings. Expected values come from GDAL/PROJ (gdalsrsinfo and
// gdaltransform run here), from EPSG zone arithmetic worked by hand, or from forward/inverse round trips.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import gcoord from 'gcoord';
import type { FeatureCollection, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { chooseGkZone, getCrs, gkZoneFor, listCrs, prjWkt } from '../analysis/crs/crs-registry.ts';
import { checkCoordinates } from '../analysis/crs/coordinate-warnings.ts';
import { fromWgs84, positionTransform, resolveAxisOrder, toWgs84 } from '../analysis/crs/transform-coordinates.ts';
import { haversineMeters } from '../analysis/geo/local-projection.ts';
import { seededRandom } from './support/seeded-random.ts';

const run = promisify(execFile);
const hasGdal = spawnSync('gdalsrsinfo', ['--version']).status === 0;
if (!hasGdal) console.warn('skipped: GDAL command-line tools (gdalsrsinfo, gdaltransform) not installed; apt-get install gdal-bin');

// Yuechi county (岳池县) and its neighbourhood, both sides of the 106.5°E zone edge
const YUECHI_BBOX = [106.1, 30.3, 106.7, 30.8] as const;
const YUECHI_POINTS: [number, number][] = [
  [106.437, 30.536],
  [106.1, 30.3],
  [106.7, 30.8],
  [106.499, 30.6],
  [106.501, 30.45],
  [103.6, 29.0],
];

async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

/** x y pairs through `gdaltransform` (traditional GIS order: lon/easting first). */
async function gdaltransform(from: string, to: string, points: [number, number][]): Promise<[number, number][]> {
  const child = execFile('gdaltransform', ['-s_srs', from, '-t_srs', to, '-output_xy']);
  const chunks: string[] = [];
  child.stdout!.on('data', (d: string) => chunks.push(String(d)));
  child.stdin!.end(points.map((p) => `${p[0]} ${p[1]}`).join('\n') + '\n');
  await new Promise<void>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`gdaltransform exit ${code}`)))));
  return chunks
    .join('')
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
}

describe('CRS registry against GDAL/PROJ', () => {
  it('knows WGS84, CGCS2000, 64 CGCS2000 Gauss-Krüger zones, GCJ-02 and BD-09', () => {
    const all = listCrs();
    expect(all.filter((c) => c.kind === 'projected').map((c) => c.epsg)).toEqual(Array.from({ length: 64 }, (_, i) => 4491 + i));
    expect(all.map((c) => c.name)).toEqual(expect.arrayContaining(['EPSG:4326', 'EPSG:4490', 'GCJ-02', 'BD-09']));
  });

  it('accepts the usual spellings of a name', () => {
    for (const n of ['EPSG:4544', 'epsg:4544', '4544', 'urn:ogc:def:crs:EPSG::4544', 'http://www.opengis.net/def/crs/EPSG/0/4544']) {
      expect(getCrs(n).name).toBe('EPSG:4544');
    }
    expect(getCrs('CGCS2000').name).toBe('EPSG:4490');
    expect(getCrs('gcj02').name).toBe('GCJ-02');
    expect(getCrs('urn:ogc:def:crs:OGC:1.3:CRS84').name).toBe('EPSG:4326');
    expect(() => getCrs('EPSG:3857')).toThrow(/unknown CRS 'EPSG:3857': expected EPSG:4326/);
  });

  // every generated definition, EPSG name and .prj text equals what GDAL 3.6 / PROJ say for the code
  it.skipIf(!hasGdal)('proj4 strings, EPSG names and ESRI .prj WKT match gdalsrsinfo for every code', async () => {
    const crss = listCrs().filter((c) => c.epsg !== undefined);
    const reports = await pool(crss, 4, async (c) => (await run('gdalsrsinfo', ['--single-line', '-o', 'all', c.name])).stdout);
    crss.forEach((c, i) => {
      const lines = reports[i].split('\n');
      const after = (label: string): string => lines[lines.findIndex((l) => l.startsWith(label)) + 1].trim();
      const proj4Line = lines.find((l) => l.startsWith('PROJ.4 :'))!.slice('PROJ.4 :'.length).trim();
      expect(c.proj4, c.name).toBe(proj4Line);
      expect(c.title, c.name).toBe(/^(?:PROJCS|GEOGCS)\["([^"]+)"/.exec(after('OGC WKT1 :'))![1]);
      expect(prjWkt(c.name), c.name).toBe(after('ESRI WKT :'));
    });
  });

  it.skipIf(!hasGdal)('proj4 forward and inverse agree with gdaltransform within 1 mm for Yuechi points', async () => {
    for (const code of ['EPSG:4544', 'EPSG:4545', 'EPSG:4523', 'EPSG:4524', 'EPSG:4508', 'EPSG:4497']) {
      const gdal = await gdaltransform('EPSG:4326', code, YUECHI_POINTS);
      const t = positionTransform(code);
      YUECHI_POINTS.forEach((p, i) => {
        const [x, y] = t.forward(p[0], p[1]);
        expect(Math.hypot(x - gdal[i][0], y - gdal[i][1]), `${code} ${p}`).toBeLessThan(0.001);
      });
      const back = await gdaltransform(code, 'EPSG:4326', gdal);
      gdal.forEach((q, i) => {
        const [lon, lat] = t.inverse(q[0], q[1]);
        expect(haversineMeters(lon, lat, back[i][0], back[i][1]), `${code} inverse ${q}`).toBeLessThan(0.001);
      });
    }
  });
});

describe('Gauss-Krüger zone choice', () => {
  // 3-degree zone n has CM 3n°E and covers [3n − 1.5, 3n + 1.5); EPSG:4534 is CM 75°E (STANDARDS.md: 4544 = CM 105°E)
  it.each([
    [106.4, 'EPSG:4544', 105],
    [106.437, 'EPSG:4544', 105],
    [103.5, 'EPSG:4544', 105],
    [103.49, 'EPSG:4543', 102],
    [106.5, 'EPSG:4545', 108],
    [106.7, 'EPSG:4545', 108],
    [75, 'EPSG:4534', 75],
    [135, 'EPSG:4554', 135],
  ])('%s°E is in %s (CM %s°E)', (lon, name, cm) => {
    const z = gkZoneFor(lon);
    expect(z.name).toBe(name);
    expect(z.centralMeridian).toBe(cm);
  });

  it('refuses longitudes with no CGCS2000 zone', () => {
    expect(() => gkZoneFor(10)).toThrow(/\[73.5, 136.5\) °E, found 10/);
  });

  it('takes the zone of the bbox centre and warns when Yuechi crosses 106.5°E', () => {
    const c = chooseGkZone(YUECHI_BBOX);
    expect(c.crs.name).toBe('EPSG:4544');
    expect(c.warning?.code).toBe('gk-zone-edge');
    expect(c.warning?.en).toMatch(/0\.2° past the 106\.5°E edge of EPSG:4544.*EPSG:4545/);
    expect(c.warning?.zh).toMatch(/EPSG:4545/);
    // k − 1 ≈ (Δλ·cosφ)²/2 with Δλ = 1.7°, φ = 30.3°: (0.029671 × 0.863396)²/2 = 328 ppm, by hand
    expect(c.warning?.en).toMatch(/328 ppm/);
    expect(chooseGkZone([106.2, 30.3, 106.4, 30.6]).warning).toBeUndefined();
    expect(chooseGkZone(YUECHI_BBOX, { zonePrefix: true }).crs.name).toBe('EPSG:4523');
  });
});

describe('transforms', () => {
  const point = { type: 'Point' as const, coordinates: [106.437, 30.536] };

  it('reads EPSG:4490 lat,lon input by its values, or as told', () => {
    expect(resolveAxisOrder([30.536, 106.437], 'EPSG:4490')).toBe('latlon');
    expect(resolveAxisOrder([106.437, 30.536], 'EPSG:4490')).toBe('lonlat');
    expect(toWgs84({ type: 'Point', coordinates: [30.536, 106.437] }, 'EPSG:4490').coordinates).toEqual([106.437, 30.536]);
    expect(toWgs84({ type: 'Point', coordinates: [106.437, 30.536] }, 'EPSG:4490').coordinates).toEqual([106.437, 30.536]);
    expect(toWgs84({ type: 'Point', coordinates: [30.536, 106.437] }, 'EPSG:4490', { axisOrder: 'latlon' }).coordinates).toEqual([106.437, 30.536]);
    // EPSG:4326 defaults to GeoJSON order, so swapped input is an error that says so
    expect(() => toWgs84({ type: 'Point', coordinates: [30.536, 106.437] }, 'EPSG:4326')).toThrow(/swapped\? set axisOrder 'latlon'/);
  });

  it.skipIf(!hasGdal)('converts whole geometries from EPSG:4544, northing-first input detected, to gdaltransform within 1 mm', async () => {
    const ring = [[106.4, 30.5], [106.42, 30.5], [106.42, 30.52], [106.4, 30.52], [106.4, 30.5]];
    const gdal = await gdaltransform('EPSG:4326', 'EPSG:4544', ring as [number, number][]);
    const projected = fromWgs84({ type: 'Polygon', coordinates: [ring] }, 'EPSG:4544');
    projected.coordinates[0].forEach((p, i) => expect(Math.hypot(p[0] - gdal[i][0], p[1] - gdal[i][1])).toBeLessThan(0.001));
    const northingFirst = { type: 'MultiPoint' as const, coordinates: gdal.map(([e, n]) => [n, e]) };
    const back = toWgs84(northingFirst, 'EPSG:4544');
    back.coordinates.forEach((p, i) => expect(haversineMeters(p[0], p[1], ring[i][0], ring[i][1])).toBeLessThan(0.001));
  });

  it('keeps feature properties and heights, drops a stale bbox', () => {
    const fc: FeatureCollection<Point> = {
      type: 'FeatureCollection',
      bbox: [0, 0, 1, 1],
      features: [{ type: 'Feature', id: 7, properties: { name: '九龙街道' }, geometry: { type: 'Point', coordinates: [106.437, 30.536, 250] } }],
    };
    const out = fromWgs84(fc, 'EPSG:4544');
    expect(out.bbox).toBeUndefined();
    expect(out.features[0].id).toBe(7);
    expect(out.features[0].properties).toEqual({ name: '九龙街道' });
    expect(out.features[0].geometry.coordinates[2]).toBe(250);
    expect(fc.features[0].geometry.coordinates).toEqual([106.437, 30.536, 250]);
  });

  // gcoord's GCJ-02 inverse iterates to 1e-6°, its BD-09 inverse is a closed-form approximation
  it.each(['GCJ-02', 'BD-09'])('%s → WGS84 inverts the forward transform within 0.5 m across Yuechi', (crs) => {
    const rand = seededRandom(11);
    let worst = 0;
    for (let k = 0; k < 500; k++) {
      const lon = YUECHI_BBOX[0] + rand() * 0.6;
      const lat = YUECHI_BBOX[1] + rand() * 0.5;
      const shifted = fromWgs84({ type: 'Point', coordinates: [lon, lat] }, crs);
      // the shift is the 300–700 m the standards describe, not nothing
      const shift = haversineMeters(lon, lat, shifted.coordinates[0], shifted.coordinates[1]);
      expect(shift).toBeGreaterThan(crs === 'GCJ-02' ? 300 : 700);
      const back = toWgs84(shifted, crs).coordinates;
      worst = Math.max(worst, haversineMeters(lon, lat, back[0], back[1]));
    }
    expect(worst).toBeLessThan(0.5);
  });
});

describe('coordinate warnings', () => {
  const codes = (w: { code: string }[]): string[] => w.map((x) => x.code);

  it('is quiet for good WGS84 points in the expected area', () => {
    expect(checkCoordinates({ lon: [106.437, 106.2], lat: [30.536, 30.4] }, { expectedBbox: YUECHI_BBOX })).toEqual([]);
  });

  it('flags lat,lon order (EPSG:4490 style) in both languages', () => {
    const w = checkCoordinates({ lon: [30.536, 30.4, 106.437], lat: [106.437, 106.2, 30.536] });
    expect(codes(w)).toEqual(['swapped']);
    expect(w[0]).toMatchObject({ count: 2, first: 0, suggestion: 'latlon' });
    expect(w[0].en).toMatch(/lon\/lat look swapped/);
    expect(w[0].zh).toMatch(/经纬度看起来颠倒/);
  });

  it('flags Gauss-Krüger metres and names the zone: from the prefix, or from the expected area', () => {
    // 35 637 906 is zone 35 with prefix → EPSG:4523 (4513 + 35 − 25)
    const prefixed = checkCoordinates({ lon: [35637906.675], lat: [3380411.513] });
    expect(prefixed).toMatchObject([{ code: 'projected', suggestion: 'EPSG:4523' }]);
    expect(prefixed[0].en).toMatch(/Gauss-Krüger metres.*EPSG:4523/);
    const bare = checkCoordinates({ lon: [637906.675], lat: [3380411.513] }, { expectedBbox: YUECHI_BBOX });
    expect(bare).toMatchObject([{ code: 'projected', suggestion: 'EPSG:4544' }]);
    expect(checkCoordinates({ lon: [637906.675], lat: [3380411.513] })[0].en).toMatch(/e\.g\. EPSG:4544/);
  });

  it('checks projected input against the declared zone', () => {
    expect(checkCoordinates({ lon: [637906.675], lat: [3380411.513] }, { declared: 'EPSG:4544', expectedBbox: YUECHI_BBOX })).toEqual([]);
    expect(codes(checkCoordinates({ lon: [3380411.513], lat: [637906.675] }, { declared: 'EPSG:4544' }))).toEqual(['swapped']);
    expect(checkCoordinates({ lon: [35637906.675], lat: [3380411.513] }, { declared: 'EPSG:4544' })).toMatchObject([
      { code: 'zone-mismatch', suggestion: 'EPSG:4523' },
    ]);
    expect(codes(checkCoordinates({ lon: [106.437], lat: [30.536] }, { declared: 'EPSG:4544' }))).toEqual(['not-projected']);
  });

  it('flags points outside China and outside the expected area', () => {
    const w = checkCoordinates({ lon: [106.437, 2.35, 104.06], lat: [30.536, 48.85, 30.67] }, { expectedBbox: YUECHI_BBOX });
    expect(w).toMatchObject([
      { code: 'outside-china', count: 1, first: 1 },
      { code: 'outside-expected', count: 1, first: 2 },
    ]);
  });

  describe('GCJ-02 / BD-09 offsets against WGS84 reference points', () => {
    const rand = seededRandom(5);
    const n = 40;
    const truth = Array.from({ length: n }, () => [YUECHI_BBOX[0] + rand() * 0.6, YUECHI_BBOX[1] + rand() * 0.5]);
    const reference = { lon: truth.map((p) => p[0]), lat: truth.map((p) => p[1]) };
    // the points as a scraper would find them: ~10 m of digitising noise, then the map's offset (gcoord forward)
    const noisy = truth.map(([lon, lat]) => [lon + (rand() - 0.5) * 2e-4, lat + (rand() - 0.5) * 2e-4] as [number, number]);
    const as = (crs: typeof gcoord.GCJ02 | typeof gcoord.WGS84 | typeof gcoord.BD09) => {
      const p = noisy.map((q) => gcoord.transform(q, gcoord.WGS84, crs) as [number, number]);
      return { lon: p.map((q) => q[0]), lat: p.map((q) => q[1]) };
    };

    it('warns that a layer declared WGS84 fits the reference as GCJ-02', () => {
      const w = checkCoordinates(as(gcoord.GCJ02), { reference, expectedBbox: [106, 30.2, 106.8, 30.9] });
      expect(w).toMatchObject([{ code: 'offset', suggestion: 'GCJ-02', count: n }]);
      expect(w[0].en).toMatch(/look GCJ-02 \(AMap, Tencent\); declare the CRS as GCJ-02/);
      expect(w[0].zh).toMatch(/高德/);
    });

    it('recognises BD-09, and a layer declared GCJ-02 that is already WGS84', () => {
      expect(checkCoordinates(as(gcoord.BD09), { reference })).toMatchObject([{ code: 'offset', suggestion: 'BD-09' }]);
      expect(checkCoordinates(as(gcoord.WGS84), { reference, declared: 'GCJ-02' })).toMatchObject([{ code: 'offset', suggestion: 'EPSG:4326' }]);
    });

    it('stays quiet when the declaration is right', () => {
      expect(checkCoordinates(as(gcoord.WGS84), { reference })).toEqual([]);
      expect(checkCoordinates(as(gcoord.GCJ02), { reference, declared: 'GCJ-02' })).toEqual([]);
    });
  });
});

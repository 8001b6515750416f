import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import type { Feature, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import { FACILITY_CATEGORIES, categoryById } from '../analysis/facilities/categories.ts';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';

const DIR = path.resolve('data/yuechi');
const FILES = ['outline.geojson', 'townships.geojson.gz', 'villages.geojson.gz', 'population.csv.gz', 'village-population.csv', 'roads.geojson.gz', 'facilities.geojson', 'buildable.geojson.gz', 'metadata.json'];
const CENSUS = { total: 742_747, urban: 295_562, rural: 447_185, aged60: 204_954 };

function read(name: string): string {
  const buf = fs.readFileSync(path.join(DIR, name));
  return (name.endsWith('.gz') ? zlib.gunzipSync(buf) : buf).toString('utf8');
}

type Zone = Feature<Polygon | MultiPolygon, { code: string; name: string; type: string; urban: boolean; population: number; population_60plus: number; synthetic: boolean }>;
interface Layer<T> { type: 'FeatureCollection'; metadata: { synthetic: boolean; source?: string }; features: T[] }

const outline = JSON.parse(read('outline.geojson')) as Layer<Feature<Polygon>>;
const townships = JSON.parse(read('townships.geojson.gz')) as Layer<Zone>;
const facilities = JSON.parse(read('facilities.geojson')) as Layer<Feature<Point, Record<string, unknown>>>;
const roads = JSON.parse(read('roads.geojson.gz')) as Layer<Feature<LineString, Record<string, unknown>>>;
const county = outline.features[0];
const zoneByCode = new Map(townships.features.map((z) => [z.properties.code, z]));
type Village = Feature<Polygon | MultiPolygon, { code: string; name: string; township_code: string; synthetic: boolean }>;
const villages = JSON.parse(read('villages.geojson.gz')) as Layer<Village>;
type Parcel = Feature<Polygon, { 地块名称: string; name: string; township_code: string; area_ha: number; synthetic: boolean }>;
const buildable = JSON.parse(read('buildable.geojson.gz')) as Layer<Parcel>;

const cells = read('population.csv.gz').trim().split('\n');
const header = cells.shift();
const lon = new Float64Array(cells.length), lat = new Float64Array(cells.length);
const pop = new Int32Array(cells.length), aged = new Int32Array(cells.length), urban = new Uint8Array(cells.length);
const code: string[] = [];
cells.forEach((line, i) => {
  const c = line.split(',');
  lon[i] = +c[0]; lat[i] = +c[1]; pop[i] = +c[2]; aged[i] = +c[3]; urban[i] = +c[4]; code.push(c[5]);
});

const within = (actual: number, expected: number) => Math.abs(actual - expected) / expected <= 0.001;

describe('Yuechi demo data: census', () => {
  it('has the header the loaders expect', () => {
    expect(header).toBe('lon,lat,population,population_60plus,urban,township_code');
  });

  it('matches the 2020 census totals within 0.1 %', () => {
    let total = 0, u = 0, a = 0;
    for (let i = 0; i < pop.length; i++) { total += pop[i]; a += aged[i]; if (urban[i]) u += pop[i]; }
    expect(within(total, CENSUS.total)).toBe(true);
    expect(within(u, CENSUS.urban)).toBe(true);
    expect(within(total - u, CENSUS.rural)).toBe(true);
    expect(within(a, CENSUS.aged60)).toBe(true);
  });

  it('is older in the countryside than in towns', () => {
    let up = 0, ua = 0, rp = 0, ra = 0;
    for (let i = 0; i < pop.length; i++) {
      if (urban[i]) { up += pop[i]; ua += aged[i]; } else { rp += pop[i]; ra += aged[i]; }
      expect(aged[i]).toBeLessThanOrEqual(pop[i]);
    }
    expect(ra / rp).toBeGreaterThan(ua / up);
  });

  it('gives every township residents, and township totals equal their cells', () => {
    const sum = new Map<string, number>();
    for (let i = 0; i < pop.length; i++) sum.set(code[i], (sum.get(code[i]) ?? 0) + pop[i]);
    expect(townships.features).toHaveLength(27);
    for (const z of townships.features) {
      expect(sum.get(z.properties.code) ?? 0, z.properties.name).toBeGreaterThan(0);
      expect(z.properties.population, z.properties.name).toBe(sum.get(z.properties.code));
    }
  });

  it('puts sampled cells in the township they name', () => {
    for (let i = 0; i < pop.length; i += 97) {
      expect(turf.booleanPointInPolygon([lon[i], lat[i]], zoneByCode.get(code[i])!), `cell ${i}`).toBe(true);
    }
  });
});

describe('Yuechi demo data: townships', () => {
  it('partition the outline', () => {
    const countyArea = turf.area(county);
    const sum = townships.features.reduce((s, z) => s + turf.area(z), 0);
    expect(Math.abs(sum - countyArea) / countyArea).toBeLessThan(0.01);
    const border = turf.polygonToLine(county) as Feature<LineString>;
    for (const z of townships.features) {
      for (const p of turf.coordAll(z)) {
        // vertices cut from the outline may sit a few centimetres outside after rounding
        if (!turf.booleanPointInPolygon(p, county)) expect(turf.pointToLineDistance(p, border, { units: 'meters' }), z.properties.name).toBeLessThan(1);
      }
    }
  });

  it('are the 27 real units with the two streets urban', () => {
    const streets = townships.features.filter((z) => z.properties.urban).map((z) => z.properties.name);
    expect(streets.sort()).toEqual(['九龙街道', '朝阳街道']);
    expect(townships.features.every((z) => /^511621\d{3}$/.test(z.properties.code))).toBe(true);
  });
});

describe('Yuechi demo data: village zones', () => {
  it('are the real villages and communities, one zone each, codes unique and of their township', () => {
    const real = fs.readFileSync(path.join(DIR, 'sources/villages_511621.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(villages.features.map((v) => v.properties.code)).toEqual(real.sort());
    expect(new Set(real).size).toBe(real.length);
    for (const v of villages.features) {
      expect(v.properties.code, v.properties.name).toMatch(/^511621\d{6}$/);
      expect(v.properties.code.slice(0, 9), v.properties.name).toBe(v.properties.township_code);
      expect(zoneByCode.has(v.properties.township_code), v.properties.name).toBe(true);
    }
  });

  it('lie inside their township and partition it within 0.1 % of its area', () => {
    const area = new Map<string, number>();
    for (const v of villages.features) {
      const zone = zoneByCode.get(v.properties.township_code)!;
      area.set(v.properties.township_code, (area.get(v.properties.township_code) ?? 0) + turf.area(v));
      const border = turf.polygonToLine(zone) as Feature<LineString> | { features: Feature<LineString>[] };
      const lines = 'features' in border ? border.features : [border];
      for (const p of turf.coordAll(v)) {
        // vertices cut from the township border may sit a few centimetres outside after rounding
        if (!turf.booleanPointInPolygon(p, zone)) expect(Math.min(...lines.map((l) => turf.pointToLineDistance(p, l, { units: 'meters' }))), v.properties.name).toBeLessThan(1);
      }
    }
    for (const z of townships.features) expect(Math.abs(area.get(z.properties.code)! - turf.area(z)) / turf.area(z), z.properties.name).toBeLessThan(0.001);
    // no overlaps: sampled points fall in exactly one village, that of their township
    for (let i = 0; i < pop.length; i += 211) {
      const hits = villages.features.filter((v) => turf.booleanPointInPolygon([lon[i], lat[i]], v));
      expect(hits.map((v) => v.properties.township_code), `cell ${i}`).toEqual([code[i]]);
    }
  });

  it('come with an example census table whose figures sum the grid per village and per township', () => {
    const [head, ...lines] = fs.readFileSync(path.join(DIR, 'village-population.csv'), 'utf8').trim().split('\n');
    expect(head).toBe('code,name,常住人口,60岁以上');
    const rows = lines.map((l) => l.split(','));
    expect(rows.map((r) => r[0])).toEqual(villages.features.map((v) => v.properties.code));
    const byTownship = new Map<string, [number, number]>();
    for (const r of rows) {
      const t = byTownship.get(r[0].slice(0, 9)) ?? [0, 0];
      byTownship.set(r[0].slice(0, 9), [t[0] + Number(r[2]), t[1] + Number(r[3])]);
    }
    for (const z of townships.features) expect(byTownship.get(z.properties.code), z.properties.name).toEqual([z.properties.population, z.properties.population_60plus]);
    // per village, against the cells of a sample of villages found independently (turf)
    for (const v of villages.features.filter((_, k) => k % 47 === 0)) {
      let p = 0, a = 0;
      const [w, s, e, n] = turf.bbox(v);
      for (let i = 0; i < pop.length; i++) if (lon[i] >= w && lon[i] <= e && lat[i] >= s && lat[i] <= n && turf.booleanPointInPolygon([lon[i], lat[i]], v)) { p += pop[i]; a += aged[i]; }
      const row = rows.find((r) => r[0] === v.properties.code)!;
      expect([Number(row[2]), Number(row[3])], v.properties.name).toEqual([p, a]);
    }
  });
});

describe('Yuechi demo data: facilities', () => {
  it('lie inside the county and inside their township', () => {
    for (const f of facilities.features) {
      const name = String(f.properties.name);
      expect(turf.booleanPointInPolygon(f.geometry.coordinates, county), name).toBe(true);
      const zone = zoneByCode.get(String(f.properties.township_code));
      expect(zone, name).toBeDefined();
      expect(turf.booleanPointInPolygon(f.geometry.coordinates, zone!), name).toBe(true);
    }
  });

  it('cover every category of the vocabulary, with its capacity fields', () => {
    const seen = new Set(facilities.features.map((f) => f.properties.category));
    for (const c of FACILITY_CATEGORIES) expect(seen.has(c.id), c.id).toBe(true);
    const ids = new Set<string>();
    for (const f of facilities.features) {
      const cat = categoryById(String(f.properties.category));
      for (const k of cat.capacityFields) expect(typeof f.properties[k], `${f.properties.id} ${k}`).toBe('number');
      expect(f.properties.capacity).toBe(f.properties[cat.capacityFields[0]]);
      expect(ids.has(String(f.properties.id))).toBe(false);
      ids.add(String(f.properties.id));
    }
  });
});

describe('Yuechi demo data: roads', () => {
  it('form one network joined at shared vertices, reaching every populated cell', () => {
    const proj = createLocalProjection(106.437, 30.536);
    const parent: number[] = roads.features.map((_, i) => i);
    const find = (i: number): number => { while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; } return i; };
    const owner = new Map<string, number>();
    const segs: number[] = [];
    roads.features.forEach((f, i) => {
      const c = f.geometry.coordinates;
      for (const p of c) {
        const key = `${p[0]},${p[1]}`;
        const o = owner.get(key);
        if (o === undefined) owner.set(key, i); else parent[find(i)] = find(o);
      }
      if (f.properties.highway === 'motorway' || f.properties.highway === 'motorway_link') return;
      for (let k = 1; k < c.length; k++) segs.push(...proj.forward(c[k - 1][0], c[k - 1][1]), ...proj.forward(c[k][0], c[k][1]));
    });
    expect(new Set(roads.features.map((_, i) => find(i))).size).toBe(1);
    const n = segs.length / 4;
    const index = new Flatbush(n);
    for (let s = 0; s < n; s++) index.add(Math.min(segs[4 * s], segs[4 * s + 2]), Math.min(segs[4 * s + 1], segs[4 * s + 3]), Math.max(segs[4 * s], segs[4 * s + 2]), Math.max(segs[4 * s + 1], segs[4 * s + 3]));
    index.finish();
    const R = 300;
    let far = 0;
    for (let i = 0; i < pop.length; i++) {
      const [x, y] = proj.forward(lon[i], lat[i]);
      const near = index.search(x - R, y - R, x + R, y + R).some((s) => {
        const ax = segs[4 * s], ay = segs[4 * s + 1], bx = segs[4 * s + 2], by = segs[4 * s + 3];
        const dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
        const t = l2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / l2)) : 0;
        return Math.hypot(ax + t * dx - x, ay + t * dy - y) <= R;
      });
      if (!near) far++;
    }
    expect(far).toBe(0);
  });

  it('carry OSM-like highway tags', () => {
    const classes = new Set(roads.features.map((f) => f.properties.highway));
    for (const c of ['motorway', 'motorway_link', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential']) expect(classes.has(c), c).toBe(true);
    for (const f of roads.features) if (f.properties.oneway !== undefined) expect(f.properties.oneway).toBe('yes');
  });
});

describe('Yuechi demo data: buildable parcels', () => {
  it('are a few hundred small parcels in every township, named after it', () => {
    expect(buildable.features.length).toBeGreaterThanOrEqual(200);
    expect(buildable.features.length).toBeLessThanOrEqual(600);
    expect(new Set(buildable.features.map((f) => f.properties.township_code))).toEqual(new Set(zoneByCode.keys()));
    const names = new Set<string>();
    for (const f of buildable.features) {
      const p = f.properties;
      expect(p.地块名称).toMatch(new RegExp(`^${zoneByCode.get(p.township_code)!.properties.name}-储备地块-\\d{2,}$`));
      expect(p.name).toBe(p.地块名称);
      expect(names.has(p.name), p.name).toBe(false);
      names.add(p.name);
      const ha = turf.area(f) / 1e4;
      expect(ha, p.name).toBeGreaterThanOrEqual(0.49);
      expect(ha, p.name).toBeLessThanOrEqual(3.01);
      expect(Math.abs(p.area_ha - ha), p.name).toBeLessThan(0.01);
    }
  });

  it('are valid convex quadrilaterals inside the outline and their township', () => {
    for (const f of buildable.features) {
      const ring = f.geometry.coordinates[0];
      expect(f.geometry.coordinates, f.properties.name).toHaveLength(1);
      expect(ring, f.properties.name).toHaveLength(5);
      expect(ring[4], f.properties.name).toEqual(ring[0]);
      expect(turf.booleanValid(f), f.properties.name).toBe(true);
      expect(turf.booleanClockwise(ring), f.properties.name).toBe(false);
      expect(turf.area(turf.convex(f)!) - turf.area(f), f.properties.name).toBeLessThan(1);
      expect(turf.booleanWithin(f, county), f.properties.name).toBe(true);
      expect(turf.booleanWithin(f, zoneByCode.get(f.properties.township_code)!), f.properties.name).toBe(true);
    }
  });

  it('never overlap one another', () => {
    const index = new Flatbush(buildable.features.length);
    for (const f of buildable.features) index.add(...(turf.bbox(f) as [number, number, number, number]));
    index.finish();
    buildable.features.forEach((f, i) => {
      for (const j of index.search(...(turf.bbox(f) as [number, number, number, number]))) {
        if (j > i) expect(turf.booleanIntersects(f, buildable.features[j]), `${f.properties.name} and ${buildable.features[j].properties.name}`).toBe(false);
      }
    });
  });

  it('lie within 150 m of a road a vehicle may use, and cross none', () => {
    const usable = roads.features.filter((r) => !['motorway', 'motorway_link', 'footway'].includes(String(r.properties.highway)));
    const index = new Flatbush(roads.features.length);
    for (const r of roads.features) index.add(...(turf.bbox(r) as [number, number, number, number]));
    index.finish();
    const usableIndex = new Flatbush(usable.length);
    for (const r of usable) usableIndex.add(...(turf.bbox(r) as [number, number, number, number]));
    usableIndex.finish();
    const pad = 0.003; // about 300 m of latitude, more than 150 m of longitude here
    for (const f of buildable.features) {
      const [w, s, e, n] = turf.bbox(f);
      for (const k of index.search(w, s, e, n)) expect(turf.booleanIntersects(f, roads.features[k]), `${f.properties.name} crosses road ${k}`).toBe(false);
      const c = turf.centroid(f);
      const d = Math.min(...usableIndex.search(w - pad, s - pad, e + pad, n + pad).map((k) => turf.pointToLineDistance(c, usable[k], { units: 'meters' })));
      expect(d, f.properties.name).toBeLessThanOrEqual(150);
    }
  });

  it('stand where people live', () => {
    // the nearest populated cell with residents is close: parcels are in towns and villages, not open fields
    const cellIndex = new Flatbush(pop.length);
    for (let i = 0; i < pop.length; i++) cellIndex.add(lon[i], lat[i], lon[i], lat[i]);
    cellIndex.finish();
    for (const f of buildable.features) {
      const [w, s, e, n] = turf.bbox(f);
      const inside = cellIndex.search(w, s, e, n).filter((i) => pop[i] >= 8 && turf.booleanPointInPolygon([lon[i], lat[i]], f));
      expect(inside.length, f.properties.name).toBeGreaterThan(0);
    }
  });
});

describe('Yuechi demo data: labels and determinism', () => {
  it('marks every generated layer and feature synthetic, the outline not', () => {
    expect(county.properties?.synthetic).toBe(false);
    for (const layer of [townships, villages, facilities, roads, buildable] as unknown as Layer<Feature>[]) {
      expect(layer.metadata.synthetic).toBe(true);
      expect(layer.metadata.source).toMatch(/GENERATED/);
      expect(layer.features.every((f) => f.properties?.synthetic === true)).toBe(true);
    }
    const meta = JSON.parse(read('metadata.json'));
    expect(buildable.metadata.source).toMatch(/not the land-use plan/i);
    expect(buildable.metadata.source).toMatch(/replace/i);
    for (const f of ['population.csv.gz', 'village-population.csv', 'buildable.geojson.gz']) expect(meta.layers.find((l: { file: string }) => l.file === f).synthetic, f).toBe(true);
  });

  it('stays small enough for git', () => {
    const total = FILES.reduce((s, f) => s + fs.statSync(path.join(DIR, f)).size, 0);
    expect(total).toBeLessThan(12e6);
  });

  it('is regenerated byte for byte, twice, equal to the committed files', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yuechi-'));
    const dirs = [path.join(tmp, 'a'), path.join(tmp, 'b')];
    const run = (out: string) => new Promise<void>((resolve, reject) => {
      const child = spawn('npx', ['tsx', 'data/yuechi/generate.ts', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => { err += d; });
      child.on('error', reject);
      child.on('close', (status) => (status === 0 ? resolve() : reject(new Error(`generator exited ${status}: ${err}`))));
    });
    try {
      await Promise.all(dirs.map(run));
      for (const f of FILES) {
        const a = fs.readFileSync(path.join(dirs[0], f)), b = fs.readFileSync(path.join(dirs[1], f));
        expect(a.equals(b), `${f} differs between two runs`).toBe(true);
        expect(a.equals(fs.readFileSync(path.join(DIR, f))), `${f} differs from the committed file; run npm run data:yuechi`).toBe(true);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});

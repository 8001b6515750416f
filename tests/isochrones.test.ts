// Isochrones against a brute-force reference written here (nearest segment by scanning all of them, O(n²)
// Dijkstra), hand-computed contour areas, Turf point-in-polygon and area, geojson-validation and PostGIS.
import { beforeAll, describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import GJV from 'geojson-validation';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import { isochroneBands, type IsochroneProperties } from '../analysis/isochrones/isochrone-bands.ts';
import { isochronesPerFacility, mergedIsochrones } from '../analysis/isochrones/facility-isochrones.ts';
import { rasterFrame, straightLineSurface, travelTimeSurface, type BBox, type TravelTimeSurface } from '../analysis/isochrones/travel-time-surface.ts';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';
import { buildModeGraph, type ModeGraph } from '../analysis/network/mode-graph.ts';
import { snapPoints } from '../analysis/network/snap-points.ts';
import { defaultSpeedTable } from '../analysis/network/speed-table.ts';
import { generatedNetwork } from './support/generated-network.ts';
import { seededRandom } from './support/seeded-random.ts';
import { skipMessage, testDatabaseUrl, withClient } from './support/postgres.ts';
import { costsOf } from './support/segment-costs.ts';

type Bands = FeatureCollection<MultiPolygon, IsochroneProperties>;

// a 30 × 30 street lattice ~100 m apart from (106.4, 30.5); the box adds ~1 km of roadless land around it
const network = generatedNetwork(5, 30);
const graph = buildModeGraph(network, 'walk', defaultSpeedTable());
const FAC: Array<[number, number]> = [[106.408, 30.507], [106.421, 30.521]];
const BOX: BBox = [106.39, 30.49, 106.44, 30.54];
const CELL = 40, SNAP = 200, LEVELS = [300, 600, 900];
const fSnaps = snapPoints(graph, FAC.map((f) => f[0]), FAC.map((f) => f[1]), SNAP);

/** Nearest snappable segment by scanning every one (ties to the lower id, as documented for snapPoints). */
function refSnap(g: ModeGraph, lon: number, lat: number): { seg: number; t: number; off: number } {
  const { nodeX, nodeY, segA, segB, proj } = g.network;
  const [px, py] = proj.forward(lon, lat);
  let seg = -1, best = Infinity, bt = 0;
  for (const s of g.snapSegments) {
    const ax = nodeX[segA[s]], ay = nodeY[segA[s]], dx = nodeX[segB[s]] - ax, dy = nodeY[segB[s]] - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
    const d2 = (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2;
    if (d2 < best || (d2 === best && s < seg)) { best = d2; seg = s; bt = t; }
  }
  return { seg, t: bt, off: Math.sqrt(best) };
}

/** Cost of every node from the given facilities: O(n²) Dijkstra without a heap or a cut-off. */
function refNodes(g: ModeGraph, facilities: Array<{ seg: number; t: number; off: number }>): Float64Array {
  const n = g.network.nodeCount, { segA, segB, segmentCount } = g.network;
  const cost = new Float64Array(n).fill(Infinity), done = new Uint8Array(n);
  const adj: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  for (let s = 0; s < segmentCount; s++) {
    if (costsOf(g).forward[s] < Infinity) adj[segA[s]].push([segB[s], costsOf(g).forward[s]]);
    if (costsOf(g).backward[s] < Infinity) adj[segB[s]].push([segA[s], costsOf(g).backward[s]]);
  }
  for (const f of facilities) {
    const leg = f.off * g.offNetworkCostPerMeter;
    if (costsOf(g).forward[f.seg] < Infinity) cost[segB[f.seg]] = Math.min(cost[segB[f.seg]], leg + (1 - f.t) * costsOf(g).forward[f.seg]);
    if (costsOf(g).backward[f.seg] < Infinity) cost[segA[f.seg]] = Math.min(cost[segA[f.seg]], leg + f.t * costsOf(g).backward[f.seg]);
  }
  for (;;) {
    let v = -1;
    for (let i = 0; i < n; i++) if (!done[i] && cost[i] < Infinity && (v < 0 || cost[i] < cost[v])) v = i;
    if (v < 0) break;
    done[v] = 1;
    for (const [w, c] of adj[v]) if (cost[v] + c < cost[w]) cost[w] = cost[v] + c;
  }
  return cost;
}

/** Brute-force cost of a point: its segment's ends (or a facility on the same segment) plus both off-road legs. */
function refCost(g: ModeGraph, nodes: Float64Array, facilities: Array<{ seg: number; t: number; off: number }>, lon: number, lat: number, cutoff: number): number {
  const p = refSnap(g, lon, lat);
  if (p.seg < 0 || p.off > SNAP) return Infinity;
  const s = p.seg, fwd = costsOf(g).forward[s], bwd = costsOf(g).backward[s];
  let best = Math.min(nodes[g.network.segA[s]] + p.t * fwd, nodes[g.network.segB[s]] + (1 - p.t) * bwd);
  for (const f of facilities) {
    if (f.seg !== s) continue;
    const along = p.t >= f.t ? (p.t - f.t) * fwd : (f.t - p.t) * bwd;
    best = Math.min(best, f.off * g.offNetworkCostPerMeter + along);
  }
  const c = best + p.off * g.offNetworkCostPerMeter;
  return c <= cutoff ? c : Infinity;
}

const refFacilities = FAC.map(([lon, lat]) => refSnap(graph, lon, lat));

/** Reference cost at every sample of the frame the engine uses for BOX. */
function refSurface(facilities: typeof refFacilities): { frame: ReturnType<typeof rasterFrame>; values: Float64Array } {
  const frame = rasterFrame(BOX, CELL);
  const nodes = refNodes(graph, facilities);
  const values = new Float64Array(frame.width * frame.height);
  for (let j = 0; j < frame.height; j++) {
    for (let i = 0; i < frame.width; i++) {
      values[j * frame.width + i] = refCost(graph, nodes, facilities, frame.lon0 + (i + 0.5) * frame.dLon, frame.lat0 + (j + 0.5) * frame.dLat, LEVELS[2]);
    }
  }
  return { frame, values };
}

/**
 * Marching squares decides a point from the four samples around it: if all four are within T the point is
 * inside the T polygon, if all four are beyond T it is outside. Checks random points both ways.
 */
function expectFourSampleRule(
  fc: Bands, ref: { frame: ReturnType<typeof rasterFrame>; values: Float64Array }, level: number, band: (f: Feature<MultiPolygon, IsochroneProperties>) => boolean,
  low = 0,
): { inside: number; outside: number } {
  const { frame, values } = ref;
  const features = fc.features.filter(band);
  const rand = seededRandom(level);
  let inside = 0, outside = 0;
  for (let k = 0; k < 4000; k++) {
    const lon = BOX[0] + rand() * (BOX[2] - BOX[0]), lat = BOX[1] + rand() * (BOX[3] - BOX[1]);
    const i = Math.floor((lon - frame.lon0) / frame.dLon - 0.5), j = Math.floor((lat - frame.lat0) / frame.dLat - 0.5);
    if (i < 0 || j < 0 || i + 1 >= frame.width || j + 1 >= frame.height) continue;
    const four = [values[j * frame.width + i], values[j * frame.width + i + 1], values[(j + 1) * frame.width + i], values[(j + 1) * frame.width + i + 1]];
    const hit = features.some((f) => turf.booleanPointInPolygon([lon, lat], f));
    if (four.every((v) => v <= level && v > low)) { expect(hit, `(${lon}, ${lat}) within ${level}`).toBe(true); inside++; }
    if (four.every((v) => !(v <= level))) { expect(hit, `(${lon}, ${lat}) beyond ${level}`).toBe(false); outside++; }
  }
  return { inside, outside };
}

function expectValidGeoJSON(fc: Bands): void {
  expect(GJV.valid(fc, true)).toEqual([]);
  for (const f of fc.features) {
    for (const polygon of f.geometry.coordinates) {
      polygon.forEach((ring, k) => {
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        expect(turf.booleanClockwise(ring)).toBe(k > 0);
      });
    }
  }
}

describe('travel-time surface', () => {
  it('equals the brute-force cost at every sample (nearest segment by scan, O(n²) Dijkstra)', () => {
    const surface = travelTimeSurface(graph, fSnaps, BOX, CELL, LEVELS[2], SNAP);
    const ref = refSurface(refFacilities);
    expect([surface.width, surface.height]).toEqual([ref.frame.width, ref.frame.height]);
    let finite = 0, far = 0;
    for (let k = 0; k < ref.values.length; k++) {
      if (ref.values[k] === Infinity) { expect(surface.values[k]).toBe(Infinity); far++; continue; }
      finite++;
      expect(Math.abs(surface.values[k] - ref.values[k])).toBeLessThan(1e-6);
    }
    // ~1 km of roadless margin and a 15-minute walk: plenty of both
    expect(finite).toBeGreaterThan(1000);
    expect(far).toBeGreaterThan(1000);
  });

  it('raster frame: 40 m cells over the box (hand: 0.05° × 95 958 m/° / 40 ≈ 120 columns)', () => {
    const f = rasterFrame(BOX, CELL);
    const kx = createLocalProjection(106.415, 30.515).kx;
    expect(f.width).toBe(Math.ceil(0.05 * kx / 40));
    expect(f.dLon * kx).toBeCloseTo(40, 9);
    expect(() => rasterFrame([1, 2, 1, 3], 10)).toThrow(/bbox must be \[minLon, minLat, maxLon, maxLat\] with min < max, found \[1,2,1,3\]/);
  });
});

describe('merged isochrones on a generated network', () => {
  const ref = refSurface(refFacilities);
  const fc = mergedIsochrones({ graph, facilities: fSnaps, facilityIds: ['A', 'B'], thresholds: LEVELS, bbox: BOX, cellMeters: CELL, maxSnapMeters: SNAP });

  it('one cumulative feature per band, 0–5, 0–10, 0–15 min, growing areas', () => {
    expect(fc.features.map((f) => [f.properties.minutes_from, f.properties.minutes_to])).toEqual([[0, 5], [0, 10], [0, 15]]);
    const areas = fc.features.map((f) => f.properties.area_km2);
    expect(areas[0]).toBeLessThan(areas[1]);
    expect(areas[1]).toBeLessThan(areas[2]);
    // area_km2 agrees with turf.area (the same spherical formula, written independently)
    fc.features.forEach((f) => expect(turf.area(f) / 1e6 / f.properties.area_km2).toBeCloseTo(1, 9));
  });

  it('points with all four surrounding samples within T are inside the T polygon, all beyond T outside', () => {
    for (const [k, level] of LEVELS.entries()) {
      const n = expectFourSampleRule(fc, ref, level, (f) => f.properties.band === k);
      expect(n.inside).toBeGreaterThan(30);
      expect(n.outside).toBeGreaterThan(500);
    }
  });

  it('land far from any road is in no polygon (a point 600 m off the lattice)', () => {
    for (const p of [[106.39 + 0.002, 30.515], [106.415, 30.49 + 0.002], [106.438, 30.538]]) {
      expect(refSnap(graph, p[0], p[1]).off).toBeGreaterThan(SNAP);
      expect(fc.features.some((f) => turf.booleanPointInPolygon(p, f))).toBe(false);
    }
  });

  it('valid GeoJSON, RFC 7946 winding', () => expectValidGeoJSON(fc));

  it('ring bands: 5–10 min is the 10-min area minus the 5-min area', () => {
    const rings = mergedIsochrones({ graph, facilities: fSnaps, facilityIds: ['A', 'B'], thresholds: LEVELS, bbox: BOX, cellMeters: CELL, maxSnapMeters: SNAP, cumulative: false });
    expectValidGeoJSON(rings);
    expect(rings.features.map((f) => [f.properties.minutes_from, f.properties.minutes_to])).toEqual([[0, 5], [5, 10], [10, 15]]);
    for (let k = 1; k < 3; k++) {
      const expected = turf.area(fc.features[k]) - turf.area(fc.features[k - 1]);
      expect(Math.abs(turf.area(rings.features[k]) - expected) / expected).toBeLessThan(1e-6);
      const n = expectFourSampleRule(rings, ref, LEVELS[k], (f) => f.properties.band === k, LEVELS[k - 1]);
      expect(n.inside).toBeGreaterThan(20);
    }
  });
});

describe('isochrones per facility', () => {
  const fc = isochronesPerFacility({ graph, facilities: fSnaps, facilityIds: ['A', 'B'], thresholds: LEVELS, bbox: BOX, cellMeters: CELL, maxSnapMeters: SNAP });

  it('each facility on its own follows the four-sample rule against its own brute-force surface', () => {
    expect(fc.features.length).toBe(6);
    expectValidGeoJSON(fc);
    for (const [f, id] of ['A', 'B'].entries()) {
      const ref = refSurface([refFacilities[f]]);
      for (const [k, level] of LEVELS.entries()) {
        const n = expectFourSampleRule(fc, ref, level, (x) => x.properties.facility_id === id && x.properties.band === k);
        expect(n.inside).toBeGreaterThan(10);
      }
    }
  });

  it('cropping to the searched window changes nothing: same areas as the full-raster surface of one facility', () => {
    for (const [f, id] of ['A', 'B'].entries()) {
      const one = { count: 1, segment: fSnaps.segment.slice(f, f + 1), fraction: fSnaps.fraction.slice(f, f + 1), offMeters: fSnaps.offMeters.slice(f, f + 1), unsnapped: 0 };
      const full = isochroneBands(travelTimeSurface(graph, one, BOX, CELL, LEVELS[2], SNAP), LEVELS);
      const mine = fc.features.filter((x) => x.properties.facility_id === id);
      expect(mine.map((x) => x.properties.area_km2)).toEqual(full.features.map((x) => expect.closeTo(x.properties.area_km2, 9)));
    }
  });
});

/** A 9 × 9 "target": Chebyshev rings 4 and 2 from the centre at 0 s, rings 3, 1 and the centre unreachable. */
function targetSurface(): TravelTimeSurface {
  const proj = createLocalProjection(106.5, 30.5);
  const values = new Float64Array(81);
  for (let j = 0; j < 9; j++) for (let i = 0; i < 9; i++) values[j * 9 + i] = Math.max(Math.abs(i - 4), Math.abs(j - 4)) % 2 === 0 && (i !== 4 || j !== 4) ? 0 : Infinity;
  return { width: 9, height: 9, lon0: 106.5, lat0: 30.5, dLon: 100 / proj.kx, dLat: 100 / proj.ky, values, facility: new Int32Array(81), unit: 'seconds' };
}

/** Shoelace area in degrees² (shells counter-clockwise, holes clockwise). */
function planarArea(g: MultiPolygon): number {
  let a = 0;
  for (const polygon of g.coordinates) {
    for (const ring of polygon) {
      // relative to the first vertex: products of raw degrees (~106 × 30) would drown the area in rounding
      const [x0, y0] = ring[0];
      for (let i = 1; i < ring.length; i++) a += ((ring[i - 1][0] - x0) * (ring[i][1] - y0) - (ring[i][0] - x0) * (ring[i - 1][1] - y0)) / 2;
    }
  }
  return a;
}

/** 9 × 9 samples of 90 s with column 4 at 30 s and its middle sample (4,4) at exactly 60 s. */
function pinchedStrip(): TravelTimeSurface {
  const s = targetSurface();
  const values = s.values.map((_, k) => (k === 40 ? 60 : k % 9 === 4 ? 30 : 90));
  return { ...s, values };
}

describe('contouring by hand', () => {
  it('nested rings: each hole belongs to the innermost polygon around it; area by hand', () => {
    const fc = isochroneBands(targetSurface(), [60]);
    expectValidGeoJSON(fc);
    const polygons = fc.features[0].geometry.coordinates;
    expect(polygons.map((p) => p.length)).toEqual([2, 2]);
    // 0 s and 120 s (Infinity → 2 × 60) interpolate to the cell edges; 48 cells; the corner cut-offs and
    // fill-ins (±1/8 cell each, 8 of each) cancel: 48 cells of dLon × dLat, i.e. 48 × 100 m × 100 m
    const s = targetSurface();
    expect(planarArea(fc.features[0].geometry) / (s.dLon * s.dLat)).toBeCloseTo(48, 9);
    expect(fc.features[0].properties.area_km2 / 0.48).toBeCloseTo(1, 3);
    const proj = createLocalProjection(106.5, 30.5);
    for (let d = 0; d <= 4; d++) {
      const p = proj.inverse(450 + d * 100, 450);
      expect(turf.booleanPointInPolygon(p, fc.features[0]), `distance ${d}`).toBe(d % 2 === 0 && d > 0);
    }
  });

  it('a sample exactly on the threshold does not pinch the ring (vertices kept off samples)', () => {
    // a north-south strip of 30 s in a field of 90 s, its middle sample at exactly 60 s: d3's own interpolation
    // puts the strip's left and right edges through that sample, a self-touching ring (tried: PostGIS says
    // "Ring Self-intersection[4.5 4.5]")
    const fc = isochroneBands(pinchedStrip(), [60]);
    expectValidGeoJSON(fc);
    expect(fc.features[0].geometry.coordinates.map((p) => p.length)).toEqual([1]);
    const ring = fc.features[0].geometry.coordinates[0][0];
    expect(new Set(ring.slice(1).map((p) => p.join())).size).toBe(ring.length - 1);
  });

  it('names bad thresholds', () => {
    expect(() => isochroneBands(targetSurface(), [])).toThrow(/thresholds: expected a non-empty list of numbers, found \[\]/);
    expect(() => isochroneBands(targetSurface(), [60, -5])).toThrow(/expected positive finite numbers, found -5/);
    expect(() => isochroneBands(targetSurface(), [60], { unreachableValue: 30 })).toThrow(/unreachableValue must exceed the largest threshold \(60\), found 30/);
  });
});

describe('straight-line isochrones', () => {
  it('a 1 km disc: samples match turf.distance, four-sample rule holds, area ≈ π km² (hand)', () => {
    const surface = straightLineSurface([106.415], [30.515], BOX, CELL, 1500);
    const frame = rasterFrame(BOX, CELL);
    const values = new Float64Array(surface.values.length);
    for (let j = 0; j < frame.height; j++) {
      for (let i = 0; i < frame.width; i++) {
        const d = turf.distance([106.415, 30.515], [frame.lon0 + (i + 0.5) * frame.dLon, frame.lat0 + (j + 0.5) * frame.dLat], { units: 'meters' });
        values[j * frame.width + i] = d <= 1500 ? d : Infinity;
        expect(surface.values[j * frame.width + i]).toBeCloseTo(values[j * frame.width + i], 3);
      }
    }
    const fc = isochroneBands(surface, [1000]);
    expectValidGeoJSON(fc);
    expect(fc.features[0].properties).toMatchObject({ meters_from: 0, meters_to: 1000 });
    expectFourSampleRule(fc, { frame, values }, 1000, () => true);
    // linear interpolation of a cone is exact on the grid lines; the disc area is π r² to within a cell's sagitta
    expect(fc.features[0].properties.area_km2 / Math.PI).toBeCloseTo(1, 2);
  });
});

describe('PostGIS ST_IsValid of every isochrone polygon', () => {
  let url: string | undefined;
  beforeAll(async () => { url = await testDatabaseUrl(); });

  it('merged (cumulative and rings), per facility, hand-made surfaces', async (ctx) => {
    if (!url) { console.warn(skipMessage('ST_IsValid of isochrones')); ctx.skip(); return; }
    const req = { graph, facilities: fSnaps, facilityIds: ['A', 'B'], thresholds: LEVELS, bbox: BOX, cellMeters: CELL, maxSnapMeters: SNAP };
    const s = targetSurface();
    const sets: Bands[] = [
      mergedIsochrones(req), mergedIsochrones({ ...req, cumulative: false }), isochronesPerFacility(req),
      mergedIsochrones({ ...req, cellMeters: 15, thresholds: [120, 240, 360, 480, 600] }),
      isochroneBands(s, [60]), isochroneBands(pinchedStrip(), [60]), isochroneBands(pinchedStrip(), [30, 60, 90], { cumulative: false }),
    ];
    const geometries = sets.flatMap((fc) => fc.features.map((f) => JSON.stringify(f.geometry)));
    const invalid = await withClient(url, async (client) => (await client.query(
      `SELECT i, ST_IsValidReason(ST_GeomFromGeoJSON(g)) AS reason FROM unnest($1::text[]) WITH ORDINALITY AS t(g, i)
       WHERE NOT ST_IsValid(ST_GeomFromGeoJSON(g))`, [geometries])).rows);
    expect(geometries.length).toBeGreaterThan(15);
    expect(invalid).toEqual([]);
  });
});

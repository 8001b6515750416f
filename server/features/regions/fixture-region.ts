import type { Feature, Polygon } from 'geojson';
import { createFacilitySet } from '../../../analysis/facilities/facility-set.ts';
import { gridFromPoints, RURAL, URBAN } from '../../../analysis/grid/population-grid.ts';
import type { RoadWay } from '../../../analysis/network/road-network.ts';
import type { RegionSeed } from './region-seed.ts';

// a 4 km × 2 km patch east of Yuechi's county seat: one street (urban) and one town (rural)
const WEST = 106.42, MID = 106.44, EAST = 106.46, SOUTH = 30.53, NORTH = 30.55;

function box(w: number, s: number, e: number, n: number): Polygon {
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}

/**
 * A tiny generated region (2 townships of 2 villages each, ~740 populated cells, a street grid, 6 facilities) for tests and for
 * a first start without the Yuechi demo data. Deterministic; every figure is invented and labelled so.
 *
 * @example const id = await seedRegion(db, fixtureRegion());
 */
export function fixtureRegion(): RegionSeed {
  const units: Feature<Polygon>[] = [
    { type: 'Feature', properties: { name: '测试街道', code: '999001001', type: '街道' }, geometry: box(WEST, SOUTH, MID, NORTH) },
    { type: 'Feature', properties: { name: '测试镇', code: '999001002', type: '镇' }, geometry: box(MID, SOUTH, EAST, NORTH) },
  ];
  // each township halved north–south between rows of points, so no cell lies on a village border
  const SPLIT = 30.5405;
  const villages: Feature<Polygon>[] = [
    { type: 'Feature', properties: { name: '南苑社区', code: '999001001001', township_code: '999001001' }, geometry: box(WEST, SOUTH, MID, SPLIT) },
    { type: 'Feature', properties: { name: '北苑社区', code: '999001001002', township_code: '999001001' }, geometry: box(WEST, SPLIT, MID, NORTH) },
    { type: 'Feature', properties: { name: '南坪村', code: '999001002201', township_code: '999001002' }, geometry: box(MID, SOUTH, EAST, SPLIT) },
    { type: 'Feature', properties: { name: '北坪村', code: '999001002202', township_code: '999001002' }, geometry: box(MID, SPLIT, EAST, NORTH) },
  ];
  const lon: number[] = [], lat: number[] = [], pop: number[] = [], aged: number[] = [], cls: number[] = [];
  for (let i = 1; i < 40; i++) {
    for (let j = 1; j < 20; j++) {
      const x = WEST + i * 0.001, y = SOUTH + j * 0.001;
      const p = 20 + ((i * 7 + j * 13) % 30);
      lon.push(x); lat.push(y); pop.push(p); aged.push(Math.round(p * 0.28)); cls.push(x < MID ? URBAN : RURAL);
    }
  }
  const grid = gridFromPoints({
    lon: Float64Array.from(lon), lat: Float64Array.from(lat), population: Float64Array.from(pop),
    aged60: Float64Array.from(aged), urbanClass: Uint8Array.from(cls),
  }, { cellSize: 100 });

  // streets every 0.004° both ways; nodes shared at crossings
  const nodeLon: number[] = [], nodeLat: number[] = [];
  const xs: number[] = [], ys: number[] = [];
  for (let x = WEST; x <= EAST + 1e-9; x += 0.004) xs.push(Math.round(x * 1e6) / 1e6);
  for (let y = SOUTH; y <= NORTH + 1e-9; y += 0.004) ys.push(Math.round(y * 1e6) / 1e6);
  const node = (i: number, j: number) => j * xs.length + i;
  for (const y of ys) for (const x of xs) { nodeLon.push(x); nodeLat.push(y); }
  const ways: RoadWay[] = [];
  ys.forEach((_, j) => ways.push({ id: `h${j}`, nodes: xs.map((__, i) => node(i, j)), tags: { highway: j === 2 ? 'primary' : 'residential' } }));
  xs.forEach((_, i) => ways.push({ id: `v${i}`, nodes: ys.map((__, j) => node(i, j)), tags: { highway: 'residential' } }));

  const facilities = createFacilitySet([
    { id: 'FX-E1', name: '测试养老服务站一', category: 'elderly_station', lon: 106.428, lat: 30.538, capacity: 20, properties: { status: 'existing', synthetic: true } },
    { id: 'FX-E2', name: '测试养老服务站二', category: 'elderly_station', lon: 106.452, lat: 30.545, capacity: 15, properties: { status: 'existing', synthetic: true } },
    { id: 'FX-D1', name: '测试日间照料中心', category: 'day_care_center', lon: 106.446, lat: 30.534, capacity: 30, properties: { status: 'planned', synthetic: true } },
    { id: 'FX-C1', name: '备选养老服务站', category: 'elderly_station', lon: 106.457, lat: 30.532, properties: { status: 'candidate', synthetic: true } },
    { id: 'FX-K1', name: '测试幼儿园', category: 'kindergarten', lon: 106.43, lat: 30.545, capacity: 180, properties: { status: 'existing', synthetic: true } },
    { id: 'FX-H1', name: '测试卫生院', category: 'health_center', lon: 106.447, lat: 30.541, capacity: 40, properties: { status: 'existing', synthetic: true } },
  ], 'fixture');

  return {
    name: '测试区域 Fixture region', code: '999001',
    metadata: { fixture: true, synthetic: true, notice: 'GENERATED test fixture: every figure is invented' },
    outline: box(WEST, SOUTH, EAST, NORTH),
    units: { names: units.map((u) => String(u.properties!.name)), codes: units.map((u) => String(u.properties!.code)), features: units },
    villages: { names: villages.map((u) => String(u.properties!.name)), codes: villages.map((u) => String(u.properties!.code)), features: villages },
    grid, roads: { lon: Float64Array.from(nodeLon), lat: Float64Array.from(nodeLat), ways }, facilities, source: 'fixture', urbanRule: 'input',
  };
}

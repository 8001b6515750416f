// One circle run behind every surface, on the Yuechi demo and all 13 presets: the CLI's gaps file, the
// service's gaps (the layer the page paints from `links.gaps`) and its exports agree; what-if = full run.
// Independent checks: residents recounted from the grid's cells inside each gap polygon (Turf
// point-in-polygon, not the tracer), and the service's what-if against the same edits really made to the
// facility table and run from scratch.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { circleOfPreset, NOT_ASSESSED } from '../analysis/circles/circle.ts';
import { createCircleSession } from '../analysis/circles/circle-session.ts';
import { networkPreparer } from '../analysis/circles/network-preparer.ts';
import { runCircle, type CircleInputs, type CircleResult } from '../analysis/circles/run-circle.ts';
import { createFacilitySet, type FacilitySet } from '../analysis/facilities/facility-set.ts';
import { cellCenter } from '../analysis/grid/population-grid.ts';
import { buildRoadNetwork } from '../analysis/network/road-network.ts';
import type { ScenarioEdit } from '../analysis/scenario/scenario-engine.ts';
import { defaultStandards } from '../analysis/standards/presets.ts';
import { appDeps, type AppDeps } from '../server/app/app-deps.ts';
import { createApp } from '../server/app/create-app.ts';
import { openService } from '../server/app/open-service.ts';
import { gapsCommand } from '../server/cli/gaps-command.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import { loadYuechiDemo, type YuechiDemo } from '../server/io/load-demo.ts';
import { seededRandom } from './support/seeded-random.ts';

const PRESETS = defaultStandards().circles.map((c) => c.id);
const TOKEN = 'surfaces-test-token-0123456789';
const quiet = { step() {}, warn() {}, done() {} };

type GapFC = FeatureCollection<Polygon | MultiPolygon, Record<string, unknown>>;

let dir: string;
let handle: DatabaseHandle;
let deps: AppDeps;
let server: Server;
let base: string;
let regionId: number;
let demo: YuechiDemo;

async function api(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  return fetch(`${base}/api${path}`, {
    method, headers: { authorization: `Bearer ${TOKEN}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function json<T = any>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (!r.ok) throw new Error(`${r.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lifecircle-surfaces-'));
  ({ handle } = await openService({ dataDir: join(dir, 'db'), log: () => undefined }));
  deps = appDeps({ db: handle.db, databaseKind: handle.kind, token: TOKEN, webDist: join(dir, 'no-web'), log: () => undefined,
    limits: { jsonBytes: 2 * 1024 * 1024, uploadBytes: 8 * 1024 * 1024, heavyPerMinute: 100_000 } });
  server = await new Promise<Server>((ok) => { const s = createApp(deps).listen(0, '127.0.0.1', () => ok(s)); });
  // the engine tests below hold the event loop for seconds: keep idle sockets open past them
  server.keepAliveTimeout = 600_000;
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const regions = await json<{ id: number }[] | { regions: { id: number }[] }>(api('/regions'));
  regionId = (Array.isArray(regions) ? regions : regions.regions)[0].id;
  demo = await loadYuechiDemo();
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  await deps?.jobs.idle();
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Residents of the grid's populated cells whose centre lies inside each gap (Turf), and their townships. */
function recount(gaps: GapFC): { population: number; aged60: number; townships: Set<string> }[] {
  const g = demo.grid;
  const lon = new Float64Array(g.count), lat = new Float64Array(g.count);
  for (let c = 0; c < g.count; c++) [lon[c], lat[c]] = cellCenter(g, g.cellIndex[c]);
  return gaps.features.map((f) => {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const rings = f.geometry.type === 'Polygon' ? [f.geometry.coordinates[0]] : f.geometry.coordinates.map((p) => p[0]);
    for (const ring of rings) for (const [x, y] of ring) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
    const out = { population: 0, aged60: 0, townships: new Set<string>() };
    for (let c = 0; c < g.count; c++) {
      if (lon[c] < x0 || lon[c] > x1 || lat[c] < y0 || lat[c] > y1) continue;
      if (!booleanPointInPolygon([lon[c], lat[c]], f as Feature<Polygon | MultiPolygon>)) continue;
      out.population += g.population[c]; out.aged60 += g.aged60[c];
      out.townships.add(g.unit[c] >= 0 ? g.unitCodes[g.unit[c]] : '');
    }
    return out;
  });
}

const byTownship = (gaps: GapFC, key: string) => {
  const m = new Map<string, number>();
  for (const f of gaps.features) m.set(String(f.properties.township_code), (m.get(String(f.properties.township_code)) ?? 0) + Number(f.properties[key]));
  return m;
};

describe('the CLI, the service and the page read one circle run (Yuechi demo, 13 presets)', () => {
  it('has the 13 presets the issue names', () => expect(PRESETS).toHaveLength(13));

  it.each(PRESETS)('%s: CLI gaps = service gaps = the page\'s layer; residents in gaps = uncovered residents', async (preset) => {
    const out = join(dir, `cli-${preset}`);
    const cli = await gapsCommand({ demo: true, preset, out }, quiet);
    const file = JSON.parse(readFileSync(join(out, 'gaps.geojson'), 'utf8')) as GapFC;
    const summary = JSON.parse(readFileSync(join(out, 'gaps-summary.json'), 'utf8'));
    const run = await json(api('/analyses', { body: { regionId, preset } }));
    // the page paints the layer behind links.gaps
    expect(run.links.gaps).toBe(`/api/analyses/${run.id}/gaps`);
    const served = await json<GapFC>(api(`/analyses/${run.id}/gaps`));

    expect(served.features.length).toBe(file.features.length);
    expect(cli.gaps).toBe(file.features.length);
    expect(run.summary.gaps.count).toBe(file.features.length);
    for (const key of ['uncovered_population', 'uncovered_group']) {
      const a = byTownship(file, key), b = byTownship(served, key);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [code, v] of a) expect(Math.abs(b.get(code)! - v)).toBeLessThan(1e-6);
    }
    // the same gaps one by one (id, township, reason, nearest facility), so the tables agree too
    const key = (f: Feature) => [f.properties!.gap_id, f.properties!.township_code, f.properties!.reason, f.properties!.cells].join('|');
    expect(served.features.map(key)).toEqual(file.features.map(key));
    // per township, the summaries of the two surfaces
    const cliUnits = new Map<string, any>(summary.units.map((u: any) => [u.code, u]));
    for (const u of run.units) {
      expect(cliUnits.get(u.code).population.covered).toBe(u.population.covered);
      expect(cliUnits.get(u.code).group.covered).toBe(u.group?.covered ?? cliUnits.get(u.code).group.covered);
    }
    expect(summary.population.uncovered).toBe(run.summary.population.uncovered);

    // residents in gaps = uncovered residents of the summary (the sum over gaps, and an independent recount)
    const inGaps = file.features.reduce((s, f) => s + Number(f.properties.uncovered_population), 0);
    expect(Math.abs(inGaps - summary.population.uncovered)).toBeLessThanOrEqual(0.05 + 1e-9);
    for (const f of file.features) {
      if (f.properties.reason === 'beyond_reach') {
        expect(f.properties.nearest_facility_id, `${f.properties.gap_id}`).not.toBeNull();
        expect(f.properties.nearest_facility_name, `${f.properties.gap_id}`).not.toBeNull();
        expect(f.properties.mean_cost, `${f.properties.gap_id}`).not.toBeNull();
      }
    }
  }, 120_000);

  it.each(['elderly-care-15min', 'basic-public-service'])('%s: no gap crosses a township, and each holds the residents its cells hold (Turf recount)', async (preset) => {
    const file = JSON.parse(readFileSync(join(dir, `cli-${preset}`, 'gaps.geojson'), 'utf8')) as GapFC;
    expect(file.features.length).toBeGreaterThan(10);
    const counts = recount(file);
    let crossing = 0;
    file.features.forEach((f, i) => {
      const c = counts[i];
      if (c.townships.size > 1 || (c.townships.size === 1 && !c.townships.has(String(f.properties.township_code)))) crossing++;
      expect(Math.abs(c.population - Number(f.properties.uncovered_population)), String(f.properties.gap_id)).toBeLessThan(0.06);
      if (f.properties.uncovered_60plus !== null) expect(Math.abs(c.aged60 - Number(f.properties.uncovered_60plus))).toBeLessThan(0.06);
    });
    expect(crossing).toBe(0);
  }, 120_000);
});

// ---- what-if = full run -------------------------------------------------------------------------------

/** Adds, moves and removes of the circle's own categories, so each edit can change its answer. */
function randomEdits(rand: () => number, facilities: FacilitySet, categories: Set<string>, judged: number[], count: number, tag: string): ScenarioEdit[] {
  const alive = [...facilities.id].filter((_, i) => categories.has(facilities.category[i]));
  const cats = [...categories];
  const edits: ScenarioEdit[] = [];
  // points near the cells the circle judges, so adds and moves land where they count
  const point = () => {
    const c = judged[Math.floor(rand() * judged.length)];
    return { lon: demo.grid.originLon[c] + (rand() - 0.5) * 0.004, lat: demo.grid.originLat[c] + (rand() - 0.5) * 0.004 };
  };
  for (let i = 0; i < count; i++) {
    const r = alive.length === 0 ? 0 : rand();
    if (r < 0.4) edits.push({ op: 'add', id: `${tag}-${i}`, ...point(), category: cats[Math.floor(rand() * cats.length)], name: `新增 ${tag}-${i}` });
    else if (r < 0.7) edits.push({ op: 'move', id: alive[Math.floor(rand() * alive.length)], ...point() });
    else edits.push({ op: 'remove', id: alive.splice(Math.floor(rand() * alive.length), 1)[0] });
  }
  return edits;
}

function applyEdits(f: FacilitySet, edits: ScenarioEdit[]): FacilitySet {
  const rows = [...f.id].map((id, i) => ({ id, lon: f.lon[i], lat: f.lat[i], name: f.name[i], category: f.category[i] }));
  for (const e of edits) {
    if (e.op === 'remove') rows.splice(rows.findIndex((r) => r.id === e.id), 1);
    else if (e.op === 'move') Object.assign(rows.find((r) => r.id === e.id)!, { lon: e.lon, lat: e.lat });
    else rows.push({ id: String(e.id), lon: e.lon, lat: e.lat, name: e.name ?? '', category: e.category ?? '' });
  }
  return createFacilitySet(rows);
}

function expectSameRun(r: CircleResult, ref: CircleResult): void {
  let mismatched = 0;
  for (let c = 0; c < ref.cost.length; c++) {
    const f = r.facility[c] >= 0 ? r.facilities.id[r.facility[c]] : null, g = ref.facility[c] >= 0 ? ref.facilities.id[ref.facility[c]] : null;
    if (r.cost[c] !== ref.cost[c] || r.status[c] !== ref.status[c] || f !== g) mismatched++;
  }
  expect(mismatched).toBe(0);
  ref.summary.byUnit.forEach((u, i) => {
    expect(Math.abs(r.summary.byUnit[i].population.covered - u.population.covered)).toBeLessThan(1e-6);
    expect(Math.abs(r.summary.byUnit[i].aged60!.covered - u.aged60!.covered)).toBeLessThan(1e-6);
  });
  // the gap layer, as it would be exported
  expect(JSON.parse(JSON.stringify(r.gaps))).toEqual(JSON.parse(JSON.stringify(ref.gaps)));
}

describe('what-if = a full run with the edits applied, every preset on the demo', () => {
  let inputs: CircleInputs;
  beforeAll(() => {
    inputs = { grid: demo.grid, facilities: demo.facilities, network: networkPreparer(buildRoadNetwork(demo.roadSource), demo.grid) };
  }, 120_000);

  it.each(PRESETS.map((p, i) => ({ preset: p, seed: 100 + i })))('$preset: 3 seeded edit lists, per cell, per township and the gap layer', ({ preset, seed }) => {
    const circle = circleOfPreset(defaultStandards().circles.find((c) => c.id === preset)!, defaultStandards());
    const session = createCircleSession(inputs, circle);
    const rand = seededRandom(seed);
    const categories = new Set(circle.services.flatMap((s) => s.categories));
    const judged: number[] = [];
    session.base.status.forEach((s, c) => { if (s !== NOT_ASSESSED) judged.push(c); });
    let changed = 0;
    for (let trial = 0; trial < 3; trial++) {
      const edits = randomEdits(rand, demo.facilities, categories, judged, 3 + trial * 3, `w${trial}`);
      const scenario = session.apply(edits);
      const full = runCircle({ ...inputs, facilities: applyEdits(demo.facilities, edits) }, circle);
      expectSameRun(scenario, full);
      if (scenario.cost.some((x, c) => x !== session.base.cost[c] && session.base.status[c] !== NOT_ASSESSED)) changed++;
    }
    // something moved, so equality had something to catch
    expect(changed).toBeGreaterThan(0);
  }, 120_000);

  it('through the service: the what-if\'s exported GeoJSON equals a fresh run after the same edits are made to the facility table (basic-public-service)', async () => {
    const preset = 'basic-public-service';
    const rows = await json<any>(api(`/regions/${regionId}/facilities`));
    const list: any[] = Array.isArray(rows) ? rows : rows.facilities ?? rows.items ?? rows.features;
    const existing = list.filter((f) => (f.status ?? f.properties?.status) === 'existing');
    const rand = seededRandom(7);
    const pick = () => existing.splice(Math.floor(rand() * existing.length), 1)[0];
    const moved = pick(), removed = pick();
    const idOf = (f: any) => String(f.id ?? f.properties?.id);
    // a health station inside the largest gap (health is what it misses), and a move and a removal elsewhere
    const baseRun = await json(api('/analyses', { body: { regionId, preset } }));
    const baseGaps = await json<GapFC>(api(`/analyses/${baseRun.id}/gaps`));
    const [lon, lat] = pointOnFeature(baseGaps.features[0]).geometry.coordinates;
    const edits: ScenarioEdit[] = [
      { op: 'add', id: 'new-1', lon, lat, category: 'community_health_station', name: '新卫生服务站' },
      { op: 'move', id: idOf(moved), lon: 106.52, lat: 30.61 },
      { op: 'remove', id: idOf(removed) },
    ];
    const scenarioRun = await json(api('/analyses', { body: { regionId, preset, edits, scenarioName: '测试方案' } }));
    expect(scenarioRun.summary.scenario).toMatchObject({ name: '测试方案' });
    // the edits change the answer, so the comparison below can fail
    expect(scenarioRun.summary.scenario.baseline.covered).not.toBe(scenarioRun.summary.groupCount.covered);
    const whatIfFile = await json<GapFC>(api(`/analyses/${scenarioRun.id}/gaps.geojson`));
    const whatIf = await json(api(`/regions/${regionId}/what-if`, { body: { preset, edits, withGaps: true } }));

    // the same edits, made for real
    const added = await json(api(`/regions/${regionId}/facilities`, { body: { category: 'community_health_station', name: '新卫生服务站', lon, lat, status: 'existing' } }));
    await json(api(`/facilities/${idOf(moved)}`, { method: 'PATCH', body: { lon: 106.52, lat: 30.61 } }));
    expect((await api(`/facilities/${idOf(removed)}`, { method: 'DELETE' })).status).toBe(204);
    const fresh = await json(api('/analyses', { body: { regionId, preset } }));
    expect(fresh.summary.scenario).toBeNull();
    const freshFile = await json<GapFC>(api(`/analyses/${fresh.id}/gaps.geojson`));

    // the added facility has the database's id in the real run and the scenario's in the what-if
    const newId = String(added.id);
    // and the scenario's file is labelled with the scenario, the real run's is not
    expect(whatIfFile.features[0].properties.scenario).toBe(`测试方案 (run ${scenarioRun.id}, 3 edits)`);
    const normal = (fc: GapFC) => fc.features.map((f) => {
      const { scenario: _label, ...p } = f.properties;
      return { ...f, properties: { ...p, nearest_facility_id: p.nearest_facility_id === newId ? 'new-1' : p.nearest_facility_id } };
    });
    expect(normal(whatIfFile)).toEqual(normal(freshFile));
    expect(whatIfFile.features.length).toBeGreaterThan(0);
    expect(scenarioRun.summary.population).toEqual(fresh.summary.population);
    expect(scenarioRun.units.map((u: any) => u.population.covered)).toEqual(fresh.units.map((u: any) => u.population.covered));
    // the what-if endpoint (what the page shows while editing) says the same
    expect(whatIf.units.map((u: any) => u.population.covered)).toEqual(fresh.units.map((u: any) => u.population.covered));
    expect(whatIf.summary.gaps.count).toBe(fresh.summary.gaps.count);
    expect(whatIf.gaps.features.map((f: any) => f.properties.gap_id)).toEqual(freshFile.features.map((f) => f.properties.gap_id));
  }, 180_000);
});

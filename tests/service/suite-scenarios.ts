import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { uploadForm, type Harness } from './service-harness.ts';

/** Scenarios (stored edits), instant what-if, full runs of a scenario, suggested sites. */
export function scenariosSuite(h: () => Harness): void {
  const newSite = { op: 'add', id: 'new-1', lon: 106.452, lat: 30.533, category: 'elderly_station', name: '新站' };

  it('stores scenarios with checked edits', async () => {
    const id = h().regionId;
    const bad = await h().api(`/regions/${id}/scenarios`, { body: { name: 'x', edits: [{ op: 'add', id: 'n', lon: 106.4, lat: 200, category: 'elderly_station' }] } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error).toMatchObject({ code: 'invalid_edit', details: { field: 'edits[0].lat' } });
    const created = await h().api(`/regions/${id}/scenarios`, { body: { name: '东南角新站', edits: [newSite] } });
    expect(created.status).toBe(201);
    const s = await created.json();
    const renamed = await (await h().api(`/scenarios/${s.id}`, { method: 'PATCH', body: { description: '方案一' } })).json();
    expect(renamed).toMatchObject({ name: '东南角新站', description: '方案一', edits: [newSite] });
    expect((await (await h().api(`/regions/${id}/scenarios`)).json()).scenarios.length).toBeGreaterThan(0);
  });

  it('answers what-if as a whole result, equal to a full run of the scenario (totals, townships, gaps)', async () => {
    const id = h().regionId;
    const s = await (await h().api(`/regions/${id}/scenarios`, { body: { name: 'what-if', edits: [newSite] } })).json();
    const w = await h().api(`/scenarios/${s.id}/what-if`, { body: { preset: 'elderly-care-15min', withGaps: true } });
    expect(w.status).toBe(200);
    const what = await w.json();
    expect(what.units).toHaveLength(2);
    // before and after per township, and the scenario named on the summary
    expect(what.summary.scenario).toMatchObject({ id: s.id, name: 'what-if', edits: [newSite] });
    const gained = what.units.reduce((t: number, u: { change: number }) => t + u.change, 0);
    expect(gained).toBeGreaterThan(0);
    expect(what.summary.groupCount.covered - what.summary.scenario.baseline.covered).toBeCloseTo(gained, 0);
    const full = await (await h().api('/analyses', { body: { preset: 'elderly-care-15min', scenarioId: s.id } })).json();
    expect(full.scenarioId).toBe(s.id);
    expect(full.summary.groupCount).toEqual(what.summary.groupCount);
    expect(full.units.map((u: { group: unknown }) => u.group)).toEqual(what.units.map((u: { group: unknown }) => u.group));
    expect(full.summary.gaps).toEqual(what.summary.gaps);
    // the exported gaps of the filed scenario run are the what-if's
    const exported = await (await h().api(`/analyses/${full.id}/gaps`)).json();
    expect(exported).toEqual(what.gaps);
    // the scenario comparison as Excel: the filed run's table holds before, after and change per township, the what-if's numbers
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await h().api(`/analyses/${full.id}/report.xlsx`)).arrayBuffer() as never);
    const ws = book.worksheets[0];
    const head = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    for (const h2 of ['现状覆盖率', '现状结论', '情景新增覆盖']) expect(head).toContain(h2);
    const change = head.indexOf('情景新增覆盖') + 1;
    what.units.forEach((u: { change: number; name: string }, i: number) => {
      expect(ws.getRow(i + 2).getCell(2).value).toBe(u.name);
      expect(ws.getRow(i + 2).getCell(change).value).toBeCloseTo(u.change, 6);
    });
    const in60 = what.gaps.features.reduce((a: number, f: { properties: { uncovered_60plus: number } }) => a + f.properties.uncovered_60plus, 0);
    expect(in60).toBeCloseTo(full.summary.aged60.uncovered, 0);
    // the changed-gaps form holds only what differs, and every gap's rank
    const changed = await (await h().api(`/scenarios/${s.id}/what-if`, { body: { preset: 'elderly-care-15min', withGaps: 'changed' } })).json();
    expect(changed.gapsChanged.order).toEqual(what.gaps.features.map((f: { properties: { gap_id: string } }) => f.properties.gap_id));
    expect(changed.gapsChanged.features.length).toBeLessThanOrEqual(what.gaps.features.length);
  });

  it('answers inline what-if edits for every circle kind; removing a station loses coverage', async () => {
    const id = h().regionId;
    const { facilities } = await (await h().api(`/regions/${id}/facilities?category=elderly_station&status=existing`)).json();
    const r = await h().api(`/regions/${id}/what-if`, { body: { preset: 'elderly-care-15min', edits: [{ op: 'remove', id: facilities[0].id }] } });
    expect(r.status).toBe(200);
    const removed = await r.json();
    expect(removed.summary.groupCount.covered).toBeLessThan(removed.summary.scenario.baseline.covered);
    const unknown = await h().api(`/regions/${id}/what-if`, { body: { preset: 'elderly-care-15min', edits: [{ op: 'remove', id: 987654 }] } });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).error).toMatchObject({ code: 'invalid_edit', details: { field: 'edits[0].id' } });
    // the plan's headline circle (urban walk, rural car) and a rural-only one answer too
    for (const preset of ['basic-public-service', 'tdt1062-rural-village', 'culture-rural-10li']) {
      const w = await h().api(`/regions/${id}/what-if`, { body: { preset, edits: [{ ...newSite, id: `n-${preset}`, category: 'village_clinic' }] } });
      expect(w.status, preset).toBe(200);
      const body = await w.json();
      const full = await (await h().api('/analyses', { body: { preset, edits: [{ ...newSite, id: `n-${preset}`, category: 'village_clinic' }] } })).json();
      expect(full.summary.groupCount, preset).toEqual(body.summary.groupCount);
    }
  });

  it('suggests sites with their marginal gains, from uncovered cells or candidate facilities', async () => {
    const id = h().regionId;
    const r = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: 2, aged60Weight: 1 } });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.sites.length).toBeGreaterThan(0);
    expect(body.sites[0].gain).toBeGreaterThan(0);
    const fromCandidates = await (await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: 1, candidates: 'facilities' } })).json();
    expect(fromCandidates.candidates).toBe('facilities');
    expect(fromCandidates.sites.every((s: { facilityId: number | null }) => typeof s.facilityId === 'number')).toBe(true);
    // more sites than there are candidates (the fixture's candidate facilities, counted here) is a 400 naming k
    const pool = (await (await h().api(`/regions/${id}/facilities?status=candidate`)).json()).facilities.length;
    const tooMany = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: pool + 1, candidates: 'facilities' } });
    expect(tooMany.status).toBe(400);
    const err = (await tooMany.json()).error;
    expect(err.details.field).toBe('k');
    expect(err.message).toContain(`only ${pool} candidate sites`);
  });

  it('finds the fewest sites to a township\'s target (goal target), and names bad fields', async () => {
    const id = h().regionId;
    const r = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', goal: 'target', townships: ['测试镇'], target: 0.95 } });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ goal: 'target', target: 0.95, spacingMeters: 500 });
    const [t] = body.townships;
    expect(t.name).toBe('测试镇');
    expect(t.reached || t.reason !== null).toBe(true);
    if (t.reached) expect(t.shareAfter).toBeGreaterThanOrEqual(0.95);
    const unknown = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', goal: 'target', townships: ['火星镇'] } });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toMatch(/'火星镇' is not a township of region/);
    const goal = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', goal: 'most' } });
    expect(goal.status).toBe(400);
    expect((await goal.json()).error.message).toMatch(/field 'goal'/);
  });

  it('takes buildable land as a layer and suggests sites only on it; refuses empty, outside and non-polygon layers by feature', async () => {
    const id = h().regionId;
    const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
    const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
    const parcel = (name: string, geometry: unknown) => ({ type: 'Feature', properties: { 地块名称: name }, geometry });
    // two parcels inside the fixture (106.42–106.46 E, 30.53–30.55 N): the south-east corner and the north-west one
    const land = [parcel('东南地块', square(106.449, 30.531, 106.455, 30.536)), parcel('西北地块', square(106.423, 30.545, 106.427, 30.549))];
    const imported = await h().api(`/regions/${id}/imports`, { form: uploadForm(fc(land), 'land.geojson', { kind: 'buildable', mode: 'replace' }) });
    expect(imported.status, await imported.clone().text()).toBe(201);
    expect((await imported.json()).written.parcels).toBe(2);
    const layer = await (await h().api(`/regions/${id}/buildable`)).json();
    expect(layer.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['东南地块', '西北地块']);

    const r = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: 2, candidates: 'buildable', spacingMeters: 0 } });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.candidates).toBe('buildable');
    expect(body.buildable.parcels).toBe(2);
    expect(body.sites.length).toBeGreaterThan(0);
    // every site inside a parcel, by Turf's point-in-polygon (not the service's own), and named after it
    for (const site of body.sites) {
      const inside = land.filter((p) => booleanPointInPolygon([site.lon, site.lat], p.geometry as never));
      expect(inside).toHaveLength(1);
      expect(site.parcel).toBe(inside[0].properties.地块名称);
    }

    // more sites than the land holds candidate points: the field is named
    const many = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: 200, candidates: 'buildable' } });
    expect(many.status).toBe(400);
    expect((await many.json()).error).toMatchObject({ details: { field: 'k' }, message: expect.stringMatching(/buildable land holds only \d+ candidate points/) });

    // bad layers: 4xx naming the file and feature; the stored layer stays as it was
    const outside = fc([land[0], parcel('界外地块', square(106.47, 30.54, 106.48, 30.545))]);
    const refused = await h().api(`/regions/${id}/imports`, { form: uploadForm(outside, 'outside.geojson', { kind: 'buildable', mode: 'replace' }) });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(/outside\.geojson feature 1 \(界外地块\): lies outside/);
    const preview = await (await h().api(`/regions/${id}/imports/preview`, { form: uploadForm(outside, 'outside.geojson', { kind: 'buildable' }) })).json();
    expect(preview.ok).toBe(false);
    expect(preview.errors).toMatchObject([{ feature: 1, field: 'geometry' }]);
    const empty = await h().api(`/regions/${id}/imports`, { form: uploadForm(fc([]), 'empty.geojson', { kind: 'buildable' }) });
    expect(empty.status).toBe(422);
    expect((await empty.json()).error.message).toMatch(/empty\.geojson: the buildable layer is empty/);
    const points = await h().api(`/regions/${id}/imports`, { form: uploadForm(fc([{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [106.45, 30.54] } }]), 'pts.geojson', { kind: 'buildable' }) });
    expect(points.status).toBe(422);
    expect((await points.json()).error.message).toMatch(/pts\.geojson feature 0: expected a Polygon or MultiPolygon/);
    expect((await (await h().api(`/regions/${id}/buildable`)).json()).features).toHaveLength(2);

    // no land, no siting on it: the field is named
    expect((await (await h().api(`/regions/${id}/buildable`, { method: 'DELETE' })).json()).deleted).toBe(2);
    const none = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: 2, candidates: 'buildable' } });
    expect(none.status).toBe(400);
    expect((await none.json()).error).toMatchObject({ details: { field: 'candidates' } });
  });

  it('places sites of limited capacity (goal capacity): the group split into served, short of places and out of reach, no site over its places', async () => {
    const id = h().regionId;
    const run = await (await h().api('/analyses', { body: { regionId: id, preset: 'elderly-care-15min' } })).json();
    const r = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', goal: 'capacity', k: 2, siteCapacity: 5 } });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ goal: 'capacity', siteCapacity: 5, weight: { population: 0, aged60: 1 } });
    for (const totals of [body.baseline, body.totals]) {
      expect(totals.served + totals.lackOfCapacity + totals.outOfReach).toBeCloseTo(totals.demand, 6);
    }
    // the demand is the circle's group as the analysis run counts it (a separate computation: the run's summary)
    expect(body.totals.demand).toBeCloseTo(run.summary.groupCount.total, 6);
    for (const s of body.sites) expect(s.served).toBeLessThanOrEqual(5 + 1e-9);
    expect(body.sites.length).toBeGreaterThan(0);
    expect(body.totals.served).toBeGreaterThanOrEqual(body.baseline.served);
    // existing facilities with no capacity on record count as unlimited: with them alone nobody in reach lacks a place,
    // so the baseline serves exactly whom the run covers
    if (body.existing.unknownCapacity === body.existing.count) {
      expect(body.baseline.lackOfCapacity).toBe(0);
      expect(body.baseline.served).toBeCloseTo(run.summary.groupCount.covered, 6);
    }
    const missing = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', goal: 'capacity', k: 2 } });
    expect(missing.status).toBe(422);
    expect((await missing.json()).error).toMatchObject({ code: 'missing_field', details: { field: 'siteCapacity' } });
  });

  it('solves the same suggestion exactly on request (HiGHS): the optimum is at least the greedy, the greedy within 1 − 1/e of it', async () => {
    const id = h().regionId;
    const r = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: 2, spacingMeters: 0, exact: true } });
    expect(r.status).toBe(200);
    const { exact, sites } = await r.json();
    expect(exact.status).toBe('Optimal');
    expect(exact.sites.length).toBeLessThanOrEqual(2);
    expect(exact.greedyObjective).toBeCloseTo(sites.reduce((a: number, s: { score: number }) => a + s.score, 0), 6);
    expect(exact.objective).toBeGreaterThanOrEqual(exact.greedyObjective - 1e-6);
    expect(exact.greedyObjective).toBeGreaterThanOrEqual((1 - 1 / Math.E) * exact.objective - 1e-6);
    const bad = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: 2, exact: 'yes' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.field).toBe('exact');
  });

  it('writes the suggested sites as Excel (sites and coverage curve sheets), CSV, GeoJSON and a Shapefile that GDAL reads, equal to the JSON answer', async () => {
    const id = h().regionId;
    const body = { preset: 'elderly-care-15min', k: 2, spacingMeters: 0 };
    const json = await (await h().api(`/regions/${id}/suggested-sites`, { body })).json();
    expect(json.sites.length).toBeGreaterThan(0);
    const x = await h().api(`/regions/${id}/suggested-sites/file?format=xlsx`, { body });
    expect(x.status).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await x.arrayBuffer() as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(['建议选址 sites', '覆盖曲线 curve', '依据与假定 sources']);
    const ws = book.worksheets[0];
    expect(ws.rowCount).toBe(json.sites.length + 1);
    json.sites.forEach((s: { id: string; lon: number; gain: number; township: string }, i: number) => {
      const row = ws.getRow(i + 2);
      expect(row.getCell(1).value).toBe(i + 1);
      expect(row.getCell(2).value).toBe(s.id);
      expect(row.getCell(3).value).toBe(s.township ?? '');
      expect(row.getCell(4).value).toBeCloseTo(s.lon, 6);
      expect(row.getCell(7).value).toBeCloseTo(s.gain, 0);
    });
    expect(book.worksheets[1].rowCount).toBe(json.curve.length + 1);
    const gj = await (await h().api(`/regions/${id}/suggested-sites/file?format=geojson&crs=EPSG:4326`, { body })).json();
    expect(gj.features.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates)).toEqual(json.sites.map((s: { lon: number; lat: number }) => [expect.closeTo(s.lon, 7), expect.closeTo(s.lat, 7)]));
    const zip = await h().api(`/regions/${id}/suggested-sites/file?format=zip&crs=EPSG:4544`, { body });
    expect(zip.status).toBe(200);
    const ogr = spawnSync('ogrinfo', ['--version']);
    if (ogr.status === 0) {
      const dir = mkdtempSync(join(tmpdir(), 'lifecircle-sites-'));
      writeFileSync(join(dir, 'sites.zip'), Buffer.from(await zip.arrayBuffer()));
      const info = spawnSync('ogrinfo', ['-al', '-so', `/vsizip/${join(dir, 'sites.zip')}`], { encoding: 'utf8' });
      expect(info.stdout).toMatch(new RegExp(`Feature Count: ${json.sites.length}`));
      expect(info.stdout).toMatch(/CGCS2000 \/ 3-degree Gauss-Kruger CM 105E|CGCS2000/);
    } else console.warn('ogrinfo (GDAL) not installed: the sites Shapefile is not read back');
    const bad = await h().api(`/regions/${id}/suggested-sites/file?format=kml`, { body });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/query 'format'/);
  });

  it('suggests sites within a budget (goal b) and refuses one below the cheapest site', async () => {
    const id = h().regionId;
    // the cheapest category the elderly circle counts is the meal point, assumed 10 万元: 35 万元 buys at most 3
    const r = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', budget: 35, spacingMeters: 0 } });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.sites.length).toBeGreaterThan(0);
    expect(body.sites.length).toBeLessThanOrEqual(3);
    expect(body.budget).toMatchObject({ budget: 35, spent: body.sites.length * 10 });
    expect(body.sites.every((s: { cost: number }) => s.cost === 10)).toBe(true);
    const low = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', budget: 5 } });
    expect(low.status).toBe(400);
    expect((await low.json()).error).toMatchObject({ details: { field: 'budget' }, message: expect.stringMatching(/5 万元 is below the cheapest site \(10 万元, meal_point\)/) });
  });

  it('counts a scenario\'s unsaved edits as built when suggesting sites', async () => {
    const id = h().regionId;
    const first = await (await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: 1 } })).json();
    const site = first.sites[0];
    // build the best site: the baseline then already covers the residents it would have brought
    const edits = [{ op: 'add', id: 'built-1', lon: site.lon, lat: site.lat, category: 'elderly_station' }];
    const second = await (await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: 1, edits } })).json();
    expect(second.baselineCovered).toBeCloseTo(first.baselineCovered + site.gain, 0);
    const bad = await h().api(`/regions/${id}/suggested-sites`, { body: { preset: 'elderly-care-15min', k: 1, edits: [{ op: 'remove', id: 'nope' }] } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error).toMatchObject({ code: 'invalid_edit', details: { field: 'edits[0].id' } });
  });

  it('deletes a scenario', async () => {
    const s = await (await h().api(`/regions/${h().regionId}/scenarios`, { body: { name: 'tmp' } })).json();
    expect((await h().api(`/scenarios/${s.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h().api(`/scenarios/${s.id}`)).status).toBe(404);
  });
}

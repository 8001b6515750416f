import { expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Harness } from './service-harness.ts';

interface UnitRow { name: string; code: string; aged60: { total: number; covered: number } | null; coveredShare: number | null; verdict: string }

/** Reads a Server-Sent Events stream until it ends; returns the events. */
async function readEvents(res: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await res.text();
  return text.split('\n\n').filter((b) => b.startsWith('event:')).map((b) => {
    const event = /^event: (.*)$/m.exec(b)![1];
    return { event, data: JSON.parse(/^data: (.*)$/m.exec(b)![1]) };
  });
}

/** Analyses: presets and the explicit form, per-township rows, gaps, reports, exports, background jobs with SSE. */
export function analysesSuite(h: () => Harness): void {
  let runId = 0;

  it('runs the 15-minute elderly-care circle: coverage of residents 60+ per township', async () => {
    const r = await h().api('/analyses', { body: { preset: 'elderly-care-15min' } });
    expect(r.status).toBe(201);
    const run = await r.json();
    runId = run.id;
    expect(r.headers.get('location')).toBe(`/api/analyses/${run.id}`);
    expect(run).toMatchObject({ regionId: h().regionId, preset: 'elderly-care-15min', parameters: { circle: { population: 'aged60' }, statuses: ['existing'] } });
    expect(run.summary.reach.urban).toMatchObject({ mode: 'elderly-walk', minutes: 15, text: { zh: '老年人步行15分钟' } });
    // two existing elderly stations; the day-care centre is only planned
    expect(run.summary.services).toMatchObject([{ id: 'elderly-community', facilities: 2 }]);
    // the group first: aged 60+, with all residents beside it
    expect(run.summary.group).toBe('aged60');
    expect(run.summary.groupCount).toEqual(run.summary.aged60);
    const units = run.units as UnitRow[];
    expect(units.map((u) => u.name)).toEqual(['测试街道', '测试镇']);
    for (const u of units) {
      expect(u.aged60!.total).toBeGreaterThan(0);
      expect(u.aged60!.covered).toBeLessThanOrEqual(u.aged60!.total);
      expect(u.coveredShare).toBeCloseTo(u.aged60!.covered / u.aged60!.total, 3);
      expect(['pass', 'fail']).toContain(u.verdict);
    }
    const covered = units.reduce((s, u) => s + u.aged60!.covered, 0);
    expect(run.summary.aged60.covered).toBeCloseTo(covered, 0);
    expect(run.summary.coveredShare).toBe(run.summary.aged60.coveredShare);
  });

  it('counts planned facilities when asked, which covers at least as many', async () => {
    const base = await (await h().api(`/analyses/${runId}`)).json();
    const withPlanned = await (await h().api('/analyses', { body: { preset: 'elderly-care-15min', statuses: ['existing', 'planned'] } })).json();
    expect(withPlanned.summary.facilities.used).toBeGreaterThan(base.summary.facilities.used);
    expect(withPlanned.summary.aged60.covered).toBeGreaterThanOrEqual(base.summary.aged60.covered);
  });

  it('takes the explicit form: categories, mode and minutes or metres', async () => {
    const r = await h().api('/analyses', { body: { categories: ['kindergarten'], mode: 'walk', minutes: 5 } });
    expect(r.status).toBe(201);
    const run = await r.json();
    expect(run.preset).toBeNull();
    expect(run.summary.group).toBe('all');
    const straight = await (await h().api('/analyses', { body: { categories: ['health_center'], mode: 'straight', meters: 1000 } })).json();
    expect(straight.summary.costUnit).toBe('meters');
    const missing = await h().api('/analyses', { body: { categories: ['kindergarten'], minutes: 5 } });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.details).toMatchObject({ field: 'mode' });
    const both = await (await h().api('/analyses', { body: { categories: ['x'], mode: 'walk', minutes: 5, meters: 300 } })).json();
    expect(both.error.message).toContain('found both');
  });

  it('files runs: list, read, gaps with townships, delete', async () => {
    const list = (await (await h().api(`/analyses?regionId=${h().regionId}`)).json()).analyses;
    expect(list.some((a: { id: number }) => a.id === runId)).toBe(true);
    const gaps = await (await h().api(`/analyses/${runId}/gaps`)).json();
    expect(gaps.type).toBe('FeatureCollection');
    expect(gaps.features.length).toBeGreaterThan(0);
    expect(gaps.features[0].properties).toMatchObject({ rank: 1, township: expect.any(String), reason: expect.any(String), uncovered_group: expect.any(Number), uncovered_population: expect.any(Number) });
    const extra = await (await h().api('/analyses', { body: { preset: 'elderly-care-15min' } })).json();
    expect((await h().api(`/analyses/${extra.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h().api(`/analyses/${extra.id}`)).status).toBe(404);
  });

  it('exports the township table as .xlsx that reads back (exceljs) with the CSV\'s values, verdicts coloured, sources on their own sheet', async () => {
    const csvText = (await (await h().api(`/analyses/${runId}/report.csv`)).text()).replace(/^\uFEFF/, '');
    const { parse } = await import('csv-parse/sync');
    const csv = parse(csvText, { relax_column_count: true }) as string[][];
    const r = await h().api(`/analyses/${runId}/report.xlsx`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/spreadsheetml/);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await r.arrayBuffer() as never);
    const ws = book.worksheets[0];
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.rowCount).toBe(csv.length);
    csv.forEach((line, i) => line.forEach((want, c) => {
      const got = ws.getRow(i + 1).getCell(c + 1).value;
      // numbers compare as numbers (the CSV writes 12.3, the sheet holds 12.3 with a format), text as text
      expect(got === null || got === undefined ? '' : typeof got === 'number' ? got : String(got), `row ${i + 1} column ${c + 1}`).toEqual(want !== '' && typeof got === 'number' ? Number(want) : want);
    }));
    // township codes stay text: 12-digit 统计用区划代码 may start with zeros in other provinces
    expect(typeof ws.getRow(2).getCell(1).value).toBe('string');
    const verdict = ws.getRow(2).getCell(7);
    expect(['达标', '未达标', '无数据']).toContain(verdict.value);
    expect((verdict.fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe(verdict.value === '达标' ? 'FFC6EFCE' : verdict.value === '未达标' ? 'FFFFC7CE' : 'FFE7E6E6');
    const about = book.worksheets[1];
    expect(about.name).toBe('依据与假定 sources');
    const aboutText = about.getSheetValues().flat().join(' ');
    expect(aboutText).toContain('15分钟养老服务圈');
    expect(aboutText).toContain('docs/standards.md');
  });

  it('exports the gap list as .xlsx: one row per gap polygon, read back (exceljs) equal to the GeoJSON\'s properties', async () => {
    const fc = await (await h().api(`/analyses/${runId}/gaps`)).json();
    expect(fc.features.length).toBeGreaterThan(0);
    const r = await h().api(`/analyses/${runId}/gaps.xlsx?lang=en`);
    expect(r.status).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await r.arrayBuffer() as never);
    const ws = book.worksheets[0];
    expect(ws.rowCount).toBe(fc.features.length + 1);
    const head = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    fc.features.forEach((f: { properties: Record<string, unknown> }, i: number) => {
      for (const k of ['gap_id', 'township', 'reason', 'uncovered_group', 'uncovered_population', 'cells', 'nearest_facility_name']) {
        const got = ws.getRow(i + 2).getCell(head.indexOf(k) + 1).value;
        expect(got ?? null, `gap ${i} ${k}`).toEqual(f.properties[k] ?? null);
      }
    });
    expect(book.worksheets[1].getSheetValues().flat().join(' ')).toContain(`${fc.features.length} gaps`);
  });

  it('exports a printable map sheet (PDF) whose text layer holds the title, legend, townships and the CSV\'s shares; bad paper is a 400', async () => {
    const run = await (await h().api(`/analyses/${runId}`)).json();
    const r = await h().api(`/analyses/${runId}/sheet.pdf?paper=A3&orientation=portrait`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/pdf/);
    expect(r.headers.get('content-disposition')).toContain(`sheet-${runId}-A3-portrait.pdf`);
    const bytes = Buffer.from(await r.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const bad = await h().api(`/analyses/${runId}/sheet.pdf?paper=B5`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'validation_failed', details: { field: 'paper' } });
    // the text layer, read by poppler's pdftotext (another reader than our writer)
    const { spawnSync } = await import('node:child_process');
    if (spawnSync('pdftotext', ['-v']).error) { console.warn('pdftotext not installed (poppler-utils): the sheet\'s text layer is not checked'); return; }
    const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'lc-sheet-')), 'sheet.pdf');
    writeFileSync(file, bytes);
    expect(spawnSync('pdftotext', ['-layout', file, `${file}.txt`]).status).toBe(0);
    const text = readFileSync(`${file}.txt`, 'utf8');
    expect(text).toContain('15分钟养老服务圈');
    for (const u of run.units as UnitRow[]) expect(text).toContain(u.name);
    // the table's shares are the CSV's (one reportTable)
    const csv = (await (await h().api(`/analyses/${runId}/report.csv`)).text()).replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    for (const line of csv.slice(1)) if (line[5]) expect(text).toContain(line[5]);
    expect(text).not.toContain('建议选址');
    // with sites=2 the sheet draws the run's two suggested sites and names them in the legend
    const withSites = await h().api(`/analyses/${runId}/sheet.pdf?sites=2`);
    expect(withSites.status).toBe(200);
    writeFileSync(`${file}.sites.pdf`, Buffer.from(await withSites.arrayBuffer()));
    expect(spawnSync('pdftotext', ['-layout', `${file}.sites.pdf`, `${file}.sites.txt`]).status).toBe(0);
    expect(readFileSync(`${file}.sites.txt`, 'utf8')).toContain('建议选址 suggested sites');
    const badSites = await h().api(`/analyses/${runId}/sheet.pdf?sites=many`);
    expect(badSites.status).toBe(400);
    expect((await badSites.json()).error.details.field).toBe('sites');
  });

  it('exports the report as CSV and HTML and the gaps in a chosen CRS', async () => {
    const csv = await h().api(`/analyses/${runId}/report.csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^乡镇代码,乡镇名称/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('测试街道');
    const html = await (await h().api(`/analyses/${runId}/report.html`)).text();
    expect(html).toContain('15分钟养老服务圈');
    expect(html).not.toContain('<script');
    const gk = await (await h().api(`/analyses/${runId}/gaps.geojson?crs=EPSG:4544`)).json();
    expect(gk.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::4544');
    expect(gk.features[0].geometry.coordinates[0][0][0]).toBeGreaterThan(100_000);
    const zip = new Uint8Array(await (await h().api(`/analyses/${runId}/gaps.zip?crs=EPSG:4490&encoding=GBK`)).arrayBuffer());
    expect([zip[0], zip[1]]).toEqual([0x50, 0x4b]);
    const bad = await h().api(`/analyses/${runId}/gaps.geojson?crs=EPSG:9999`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('unknown CRS');
  });

  it('runs a region as county tiles on the queue (POST tiled-runs): merged, its coverage equals the untiled analysis, the rollup holds every resident', async () => {
    const id = h().regionId;
    const started = await h().api(`/regions/${id}/tiled-runs`, { body: { mode: 'walk', minutes: 10, categories: ['elderly_station'] } });
    expect(started.status).toBe(202);
    const { runId, tiles, links } = await started.json();
    expect(tiles.length).toBeGreaterThan(0);
    let run: { state: string; summary: { coverage: { population: { total: number; covered: number } }; rollup: Array<{ population: number; covered: number }> } | null } = { state: 'running', summary: null };
    for (let t = 0; t < 240 && run.state === 'running'; t++) {
      run = await (await h().api(links.self.replace(/^\/api/, ''))).json();
      if (run.state === 'running') await new Promise((ok) => setTimeout(ok, 250));
    }
    expect(run.state).toBe('merged');
    // the same question untiled, as a filed analysis of an explicit circle (another path through the engine)
    const untiled = await (await h().api('/analyses', { body: { categories: ['elderly_station'], mode: 'walk', minutes: 10, population: 'all' } })).json();
    expect(run.summary!.coverage.population.covered).toBeCloseTo(untiled.summary.population.covered, 6);
    // every resident once: the rollup's counties add up to the grid's own total (its columns, summed here)
    const grid = await (await h().api(`/regions/${id}/population`)).json();
    const residents = (grid.population as number[]).reduce((a, b) => a + b, 0);
    expect(run.summary!.rollup.reduce((a, u) => a + u.population, 0)).toBeCloseTo(residents, 6);
    expect(run.summary!.rollup.reduce((a, u) => a + u.covered, 0)).toBeCloseTo(run.summary!.coverage.population.covered, 6);
    const bad = await h().api(`/regions/${id}/tiled-runs`, { body: { mode: 'teleport', minutes: 10 } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.field).toBe('mode');
    expect((await h().api(`/tiled-runs/${runId + 1000}`)).status).toBe(404);
    // a run one of whose tiles the queue gave up on says so, naming the tile, instead of 'running' for ever
    const db = h().deps.db;
    const { rows: [stuck] } = await sql<{ id: number }>`insert into tile_runs (region_id, spec, tiles, stamp) values (${id}, ${JSON.stringify({ regionId: id, mode: 'walk', minutes: 10 })}::jsonb, 2, 'x') returning id`.execute(db);
    await sql`insert into jobs (kind, state, op, args, error) values ('tile', 'failed', 'runAccessTile', ${JSON.stringify([{ runId: stuck.id, tile: 1 }])}::jsonb, ${JSON.stringify({ code: 'internal_error', message: 'worker ran out of memory' })}::jsonb)`.execute(db);
    const failed = await (await h().api(`/tiled-runs/${stuck.id}`)).json();
    expect(failed).toMatchObject({ state: 'failed', failedTiles: [{ tile: 1, error: 'worker ran out of memory' }] });
  });

  it('files gaps compressed and still serves the gaps of runs filed before (a jsonb column)', async () => {
    const run = await (await h().api('/analyses', { body: { preset: 'elderly-care-15min' } })).json();
    const gaps = await (await h().api(`/analyses/${run.id}/gaps`)).json();
    expect(gaps.features.length).toBe(run.summary.gaps.count);
    // an older row: the same run with its gaps in the jsonb column and no compressed copy
    const { rows } = await sql<{ id: number }>`insert into analysis_runs (region_id, scenario_id, preset, parameters, summary, units, gaps)
      select region_id, scenario_id, preset, parameters, summary, units, ${JSON.stringify(gaps)}::jsonb from analysis_runs where id = ${run.id} returning id`.execute(h().deps.db);
    const old = await (await h().api(`/analyses/${rows[0].id}/gaps`)).json();
    expect(old).toEqual(gaps);
    expect((await h().api(`/analyses/${rows[0].id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('runs long analyses as jobs and streams their progress over SSE', async () => {
    const r = await h().api('/analyses', { body: { preset: 'elderly-care-15min', background: true } });
    expect(r.status).toBe(202);
    const { job, links } = await r.json();
    expect(job).toMatchObject({ kind: 'analysis', state: 'queued' });
    const stream = await fetch(`${h().url}${links.events}`);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readEvents(stream);
    const last = events.at(-1)!;
    expect(last.event).toBe('done');
    expect(last.data).toMatchObject({ state: 'succeeded', progress: 1 });
    const analysisId = (last.data.result as { analysisId: number }).analysisId;
    expect((await h().api(`/analyses/${analysisId}`)).status).toBe(200);
    expect(await (await h().api(`/jobs/${job.id}`)).json()).toMatchObject({ state: 'succeeded' });
    // the page's reload path: the job's run (its parameters came back through a jsonb argument) is the current one
    const current = await (await h().api('/analyses/current?preset=elderly-care-15min')).json();
    expect(current.id).toBe(analysisId);
  });

  it('reports a failed job over SSE with the error code', async () => {
    const r = await h().api('/analyses', { body: { preset: 'elderly-care-15min', scenarioId: 999999, background: true } });
    const { links } = await r.json();
    const events = await readEvents(await fetch(`${h().url}${links.events}`));
    expect(events.at(-1)).toMatchObject({ event: 'failed', data: { state: 'failed', error: { code: 'not_found' } } });
  });
}

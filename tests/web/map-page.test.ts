// The web app in headless Debian Chromium (SwiftShader WebGL) against the real service with the Yuechi demo:
// nothing leaves localhost, the elderly-care circle paints its gaps (read back from the map's rendered
// features), a planned facility changes the township table, exports are valid. Screenshots and downloads go
// to test-artifacts/web/.
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import GJV from 'geojson-validation';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import distance from '@turf/distance';
import type { Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, CHROMIUM, ensureWebBuild, launchChromium, startWebService, TOKEN, type WebService } from './web-harness.ts';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`tests/web/map-page.test.ts: skipped, ${CHROMIUM} is missing; install Debian's Chromium (apt-get install chromium) to run the browser tests (CI installs it)`);
}

// functions run in the page (serialized): plain arrows only, no named helpers inside them
const ready = () => Boolean(document.body.dataset.analysis && window.lifecircle?.map.loaded() && window.lifecircle.renderedGaps() > 0);

describe.skipIf(!hasChromium)('web app in headless Chromium', () => {
  let service: WebService;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const posts: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  const tableRows = () => page.locator('[data-testid=township-table] tbody tr').allInnerTexts();
  const state = () => page.evaluate(() => {
    const s = window.lifecircle!.store.get();
    const w = s.whatIf;
    return {
      preset: s.analysis?.preset, gaps: (w ?? s.analysis)?.summary.gaps.count ?? 0, group: s.analysis?.summary.group,
      suggestions: s.suggestions, edits: s.edits, township: s.township,
      whatIfChange: w && w.summary.groupCount && w.summary.scenario ? w.summary.groupCount.covered - w.summary.scenario.baseline.covered : null,
      uncoveredGroup: (w ?? s.analysis)?.summary.gaps.uncoveredGroup ?? 0, baselineGaps: s.analysis?.summary.gaps.count ?? 0,
      paintedGaps: s.gaps?.features.length ?? 0,
      gapAged60: (s.gaps?.features ?? []).reduce((a, f) => a + (f.properties.uncovered_60plus ?? 0), 0),
    };
  });

  beforeAll(async () => {
    await ensureWebBuild();
    service = await startWebService();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale: 'zh-CN' });
    // every request of the page, its workers and downloads
    context.on('request', (r) => {
      requests.push(r.url());
      if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
    });
    page = await context.newPage();
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    page.on('pageerror', (e) => void pageErrors.push(e.message));
    await page.goto(`${service.url}/#token=${TOKEN}`);
    await page.waitForFunction(ready, null, { timeout: 120_000, polling: 250 });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('loads the demo with no request leaving localhost and no glyph, sprite or page errors', async () => {
    await page.screenshot({ path: artifactPath('01-elderly-care-gaps.png') });
    expect(requests.length).toBeGreaterThan(5);
    const outside = requests.filter((u) => !u.startsWith(`${service.url}/`) && !/^(data|blob):/.test(u));
    expect(outside).toEqual([]);
    expect(consoleErrors.filter((m) => /glyph|sprite|\.pbf|font|layers\.|sources\.|style/i.test(m))).toEqual([]);
    expect(pageErrors).toEqual([]);
    // the token moved from the address into storage
    expect(page.url()).not.toContain('token');
    expect(await page.locator('h1').innerText()).toContain('岳池县');
  });

  it('paints the elderly-care circle gaps, read back from the rendered features', async () => {
    const rendered = await page.evaluate(() => window.lifecircle!.map.queryRenderedFeatures({ layers: ['gaps-fill'] })
      .map((f) => ({ id: Number(f.id), rank: Number(f.properties.rank), uncovered: Number(f.properties.uncovered_population) })));
    expect(rendered.length).toBeGreaterThan(0);
    const summary = await state();
    expect(summary).toMatchObject({ preset: 'elderly-care-15min', group: 'aged60' });
    expect(summary.gaps).toBeGreaterThan(0);
    expect(new Set(rendered.map((f) => f.id)).size).toBeLessThanOrEqual(summary.gaps);
    expect(rendered.every((f) => f.rank >= 1 && f.uncovered > 0)).toBe(true);
    // the county row and a verdict per township
    expect(await page.locator('[data-testid=county-totals]').innerText()).toContain('15分钟养老服务圈');
    expect((await tableRows()).length).toBe(27);
  });

  it('opens the stored run on reload: no new analysis is posted, the same gaps are painted', async () => {
    const before = await page.evaluate(() => document.body.dataset.analysis);
    const posted = posts.filter((p) => p.endsWith('/api/analyses')).length;
    await page.reload();
    await page.waitForFunction(ready, null, { timeout: 120_000, polling: 250 });
    expect(await page.evaluate(() => document.body.dataset.analysis)).toBe(before);
    expect(posts.filter((p) => p.endsWith('/api/analyses')).length).toBe(posted);
    expect(await page.locator('[data-testid=status]').innerText()).toMatch(/已打开保存的结果/);
  });

  it('adds a planned facility by clicking the map at the best suggested site and the township table changes', async () => {
    await page.fill('#suggest-k', '1');
    await page.click('[data-testid=suggest]');
    await page.waitForSelector('[data-testid=suggestions] li', { timeout: 120_000 });
    const site = (await state()).suggestions[0];
    expect(site.gain.population).toBeGreaterThan(0);
    // the same suggestion as a workbook: its one site, where the page shows it
    const [sheet] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=sites-xlsx]')]);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await sheet.path())!);
    expect(book.worksheets[0].rowCount).toBe(2);
    expect(book.worksheets[0].getRow(2).getCell(4).value).toBeCloseTo(site.lon, 6);
    // the coverage curve under the list: k = 0 is the run's own 60+ share (its summary), k = 1 adds the site's 60+ gain
    const points = JSON.parse((await page.locator('[data-testid=sites-curve]').getAttribute('data-points'))!) as Array<[number, number]>;
    const group = await page.evaluate(() => window.lifecircle!.store.get().analysis!.summary.groupCount!);
    expect(points.map((p) => p[0])).toEqual([0, 1]);
    expect(points[0][1]).toBeCloseTo(group.covered / group.total, 3);
    expect(points[1][1]).toBeCloseTo((group.covered + site.gain.aged60!) / group.total, 3);
    await page.evaluate((c) => window.lifecircle!.map.jumpTo({ center: c, zoom: 12 }), [site.lon, site.lat] as [number, number]);
    await page.waitForFunction(() => window.lifecircle!.map.loaded(), null, { timeout: 30_000 });
    const rowsBefore = await tableRows();
    const gapsBefore = (await state()).gapAged60;
    const canvas = (await page.locator('#map canvas').boundingBox())!;
    await page.click('[data-testid=add-facility]');
    const started = Date.now();
    await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await page.waitForFunction(() => document.body.dataset.whatIf === '1', null, { timeout: 60_000 });
    const roundTrip = Date.now() - started;
    const rowsAfter = await tableRows();
    expect(rowsAfter).not.toEqual(rowsBefore);
    expect(await page.locator('[data-testid=township-table] thead').innerText()).toContain('变化');
    expect(rowsAfter.some((r) => /\t\+\d/.test(r))).toBe(true);
    expect((await state()).whatIfChange).toBeGreaterThan(0);
    // the gaps on the map shrink by the residents aged 60+ the new facility covers
    await page.waitForFunction((before) => {
      const g = window.lifecircle!.store.get().gaps;
      return (g?.features ?? []).reduce((a, f) => a + (f.properties.uncovered_60plus ?? 0), 0) < before;
    }, gapsBefore, { timeout: 30_000 });
    const s = await state();
    expect(gapsBefore - s.gapAged60).toBeCloseTo(s.whatIfChange!, 0);
    expect(await page.locator('[data-testid=edits] li').count()).toBe(1);
    await page.screenshot({ path: artifactPath('02-planned-facility.png') });
    console.info(`web: add a facility → table updated in ${roundTrip} ms (click to answer, SwiftShader)`);
  });

  it('drags the planned facility and asks the service again', async () => {
    const canvas = (await page.locator('#map canvas').boundingBox())!;
    const x = canvas.x + canvas.width / 2, y = canvas.y + canvas.height / 2;
    const edit = (await state()).edits[0];
    const lonBefore = edit.op === 'remove' ? NaN : edit.lon;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 30, y + 10, { steps: 4 });
    await page.mouse.move(x + 80, y + 20, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => document.body.dataset.whatIf === '2', null, { timeout: 60_000 });
    const { edits } = await state();
    expect(edits).toHaveLength(1);
    expect(edits[0].op).toBe('add');
    expect(edits[0].op === 'remove' ? NaN : edits[0].lon).toBeGreaterThan(lonBefore);
  });

  it('saves the scenario, clears it, and reopens it with the same answer', async () => {
    const saved = (await state()).edits;
    await page.fill('#scenario-name', '新增养老服务站 A');
    await page.click('[data-testid=save-scenario]');
    await page.waitForSelector('[data-testid=scenario-open] option:nth-child(2)', { state: 'attached', timeout: 30_000 });
    await page.click('[data-testid=clear-edits]');
    await page.waitForFunction(() => document.body.dataset.whatIf === '', null, { timeout: 30_000 });
    expect((await state()).edits).toEqual([]);
    const id = await page.locator('[data-testid=scenario-open] option:nth-child(2)').getAttribute('value');
    await page.selectOption('[data-testid=scenario-open]', id!);
    await page.waitForFunction(() => document.body.dataset.whatIf === '3', null, { timeout: 60_000 });
    expect((await state()).edits).toEqual(saved);
    expect((await state()).whatIfChange).toBeGreaterThan(0);
  });

  it('removes an existing facility from its popup and the what-if counts the loss', async () => {
    const target = await page.evaluate(() => {
      const m = window.lifecircle!.map;
      const f = m.queryRenderedFeatures({ layers: ['facilities'] })
        .map((x) => ({ id: Number(x.properties.id), p: m.project((x.geometry as GeoJSON.Point).coordinates as [number, number]) }))
        .find((x) => x.p.x > 40 && x.p.y > 40 && x.p.x < m.getCanvas().clientWidth - 40 && x.p.y < m.getCanvas().clientHeight - 40);
      return f ? { id: f.id, x: f.p.x, y: f.p.y } : null;
    });
    expect(target).not.toBeNull();
    const canvas = (await page.locator('#map canvas').boundingBox())!;
    await page.mouse.click(canvas.x + target!.x, canvas.y + target!.y);
    await page.click('.facility-popup button.danger');
    await page.waitForFunction(() => document.body.dataset.whatIf === '4', null, { timeout: 60_000 });
    // the facility under the pointer (symbols may overlap): an existing one, by its database id
    const last = (await state()).edits.at(-1)!;
    expect(last.op).toBe('remove');
    expect(typeof last.id).toBe('number');
  });

  it('shows the scenario everywhere: county totals, gap count, painted gaps and the downloaded GeoJSON', async () => {
    const s = await state();
    expect(s.edits.length).toBeGreaterThan(0);
    const card = await page.locator('[data-testid=county-totals]').innerText();
    expect(card).toContain('情景');
    expect(card).toContain('较现状');
    // the card's gap count and the painted gaps are the scenario's
    expect(await page.locator('[data-testid=county-totals]').getAttribute('data-gaps')).toBe(String(s.gaps));
    expect(s.paintedGaps).toBe(s.gaps);
    await page.click('details[data-section=exports] > summary');
    expect(await page.locator('[data-testid=export-scenario-note]').count()).toBe(1);
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-geojson]')]);
    const path = artifactPath('gaps-scenario.geojson');
    await file.saveAs(path);
    const fc = JSON.parse(readFileSync(path, 'utf8'));
    expect(fc.features).toHaveLength(s.gaps);
    const group = fc.features.reduce((a: number, f: { properties: { uncovered_group: number } }) => a + f.properties.uncovered_group, 0);
    expect(group).toBeCloseTo(s.uncoveredGroup, 0);
    expect(fc.features[0].properties.scenario).toBeTruthy();
    await page.screenshot({ path: artifactPath('03-scenario.png') });
  });

  it('exports the gaps as valid GeoJSON, in WGS84 and in a Gauss-Krüger zone', async () => {
    const gapCount = (await state()).gaps;
    const [wgs] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-geojson]')]);
    const wgsPath = artifactPath('gaps-EPSG4326.geojson');
    await wgs.saveAs(wgsPath);
    const fc = JSON.parse(readFileSync(wgsPath, 'utf8'));
    expect(GJV.valid(fc, true)).toEqual([]);
    expect(fc.features).toHaveLength(gapCount);
    expect(typeof fc.features[0].properties.uncovered_population).toBe('number');
    const [x, yy] = fc.features[0].geometry.coordinates[0][0] as number[];
    expect(x).toBeGreaterThan(106);
    expect(yy).toBeGreaterThan(30);

    await page.selectOption('[data-testid=export-crs]', 'EPSG:4544');
    const [gk] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-geojson]')]);
    const gkPath = artifactPath('gaps-EPSG4544.geojson');
    await gk.saveAs(gkPath);
    const projected = JSON.parse(readFileSync(gkPath, 'utf8'));
    expect(projected.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::4544');
    expect(projected.features).toHaveLength(gapCount);
    // the exports are of the scenario shown: the gap count with the edits, not the baseline's
    expect(gapCount).toBe((await state()).gaps);
    const [e, n] = projected.features[0].geometry.coordinates[0][0] as number[];
    expect(e).toBeGreaterThan(400_000);
    expect(e).toBeLessThan(700_000);
    expect(n).toBeGreaterThan(3_300_000);
  });

  it('downloads the township report as an Excel workbook with one row per township and the total', async () => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-xlsx]')]);
    const path = artifactPath('report.xlsx');
    await file.saveAs(path);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    expect(book.worksheets.map((w) => w.name)).toEqual(['乡镇 townships', '依据与假定 sources']);
    // 27 townships (the demo's real list) + the heading + the county total
    expect(book.worksheets[0].rowCount).toBe(29);
  });

  it('exports the map as a PNG with its legend', async () => {
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-png]')]);
    const path = artifactPath('05-map-export.png');
    await png.saveAs(path);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.length).toBeGreaterThan(10_000);
  });

  it('suggests sites on the demo\'s buildable parcels: each inside one parcel (Turf), named after it, 500 m apart, drawn green', async () => {
    const land = await (await fetch(`${service.url}/api/regions/1/buildable`)).json() as { features: Array<{ geometry: Polygon; properties: { name: string } }> };
    expect(land.features.length).toBeGreaterThan(100);
    expect(await page.evaluate(() => window.lifecircle!.map.querySourceFeatures('buildable').length)).toBeGreaterThan(0);
    await page.selectOption('[data-testid=suggest-from]', 'buildable');
    await page.fill('#suggest-k', '3');
    const before = (await state()).suggestions;
    await page.click('[data-testid=suggest]');
    await page.waitForFunction((old) => JSON.stringify(window.lifecircle!.store.get().suggestions) !== old, JSON.stringify(before), { timeout: 120_000 });
    const sites = (await state()).suggestions;
    expect(sites).toHaveLength(3);
    for (const site of sites) {
      const inside = land.features.filter((f) => booleanPointInPolygon([site.lon, site.lat], f.geometry));
      expect(inside).toHaveLength(1);
      expect(site.parcel).toBe(inside[0].properties.name);
    }
    for (let a = 0; a < sites.length; a++) for (let b = a + 1; b < sites.length; b++) {
      expect(distance([sites[a].lon, sites[a].lat], [sites[b].lon, sites[b].lat], { units: 'meters' })).toBeGreaterThanOrEqual(500);
    }
    expect(await page.locator('[data-testid=suggestions]').innerText()).toContain(`地块 ${sites[0].parcel}`);
    expect(await page.locator('[data-testid=legend]').innerText()).toContain('可建设用地');
    await page.locator('[data-testid=sites-curve-figure]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('06-buildable-sites.png') });
  });

  it('places sites by capacity: no site over its places, and served + short of places + out of reach is the run\'s own 60+ total', async () => {
    await page.selectOption('[data-testid=suggest-goal]', 'capacity');
    expect(await page.locator('[data-testid=suggest-from]').isDisabled()).toBe(true);
    await page.fill('[data-testid=suggest-places]', '40');
    await page.fill('#suggest-k', '2');
    await page.click('[data-testid=suggest]');
    await page.waitForSelector('[data-testid=capacity-totals] tbody tr', { timeout: 120_000 });
    const c = await page.evaluate(() => window.lifecircle!.store.get().capacity!);
    const group = await page.evaluate(() => window.lifecircle!.store.get().analysis!.summary.groupCount!);
    expect(c.siteCapacity).toBe(40);
    for (const t of [c.baseline, c.totals]) expect(t.served + t.lackOfCapacity + t.outOfReach).toBeCloseTo(group.total, 0);
    const sites = (await state()).suggestions;
    expect(sites.length).toBeGreaterThan(0);
    expect(sites.every((x) => x.gain.population <= 40)).toBe(true);
    expect(await page.locator('[data-testid=capacity-totals]').innerText()).toContain('床位不足');
    await page.selectOption('[data-testid=suggest-goal]', 'coverage');
  });

  it('finds the fewest sites that bring 黄龙乡 to 90 % (goal target), and sites within a budget (goal budget)', async () => {
    const code = await page.evaluate(() => window.lifecircle!.store.get().analysis!.units.find((u) => u.name === '黄龙乡')!.code);
    await page.selectOption('[data-testid=suggest-goal]', 'target');
    await page.selectOption('[data-testid=suggest-township]', code);
    await page.click('[data-testid=suggest]');
    await page.waitForSelector('[data-testid=target-townships] tbody tr', { timeout: 180_000 });
    const [row] = await page.evaluate(() => window.lifecircle!.store.get().targets!);
    expect(row.name).toBe('黄龙乡');
    // reached: at the target with the sites listed on the map; not reached: the page says why
    if (row.reached) expect(row.shareAfter!).toBeGreaterThanOrEqual(0.9);
    else expect(row.reason).toBeTruthy();
    expect((await state()).suggestions).toHaveLength(row.sites);
    expect(await page.locator('[data-testid=sites-xlsx]').isHidden()).toBe(true);
    await page.selectOption('[data-testid=suggest-goal]', 'budget');
    await page.fill('[data-testid=suggest-budget]', '100');
    await page.click('[data-testid=suggest]');
    await page.waitForSelector('[data-testid=budget-line]:not([hidden])', { timeout: 120_000 });
    const b = await page.evaluate(() => window.lifecircle!.store.get().budget!);
    expect(b.budget).toBe(100);
    expect(b.spent).toBeLessThanOrEqual(100);
    expect((await state()).suggestions.length).toBeGreaterThan(0);
    await page.selectOption('[data-testid=suggest-goal]', 'coverage');
  });

  it('switches to English and selects a township by keyboard on a projector-sized screen', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.click('[data-testid=lang]');
    expect(await page.locator('h1').innerText()).toContain('access to public services');
    const row = page.locator('[data-testid=township-table] tbody tr').first();
    const code = await row.getAttribute('data-code');
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=township-detail]');
    expect((await state()).township).toBe(code);
    await page.waitForFunction(() => window.lifecircle!.map.loaded(), null, { timeout: 30_000 });
    await page.screenshot({ path: artifactPath('04-english-1024x768.png') });
  });

  it('sent every request of the session to the service itself', () => {
    const outside = requests.filter((u) => !u.startsWith(`${service.url}/`) && !/^(data|blob):/.test(u));
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('asks for online tiles only once a planner chooses Tianditu in the settings, and credits them', async () => {
    // a page of its own: tile requests are caught here and answered with nothing, never sent
    const tiles = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const asked: string[] = [];
    await tiles.route((url) => !url.href.startsWith(`${service.url}/`), (route) => {
      asked.push(route.request().url());
      return route.abort();
    });
    const p = await tiles.newPage();
    const blocked: string[] = [];
    p.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && blocked.push(m.text())));
    await p.goto(`${service.url}/#token=${TOKEN}`);
    await p.waitForFunction(ready, null, { timeout: 120_000, polling: 250 });
    expect(asked).toEqual([]);
    await p.click('[data-testid=settings]');
    await p.check('input[name=tile-kind][value=tianditu]');
    await p.fill('#tdt-key', '0123456789abcdef0123456789abcdef');
    await p.click('dialog.settings button.primary');
    await p.waitForFunction(() => Boolean(window.lifecircle!.map.getSource('tiles-base')), null, { timeout: 10_000 });
    await p.waitForTimeout(1500);
    // the service's Content-Security-Policy must let the chosen tile host through (connect-src, img-src)
    expect(blocked.filter((m) => m.includes('tianditu')), 'the CSP of server/app/create-app.ts blocks https://*.tianditu.gov.cn').toEqual([]);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((u) => /^https:\/\/t[0-7]\.tianditu\.gov\.cn\/(vec|cva)_w\/wmts\?/.test(u))).toBe(true);
    expect(await p.locator('.maplibregl-ctrl-attrib').innerText()).toContain('天地图');
    await tiles.close();
  });
});

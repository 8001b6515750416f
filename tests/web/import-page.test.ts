// Importing a facility file from the page (issue 14), in headless Debian Chromium against the real service
// with the Yuechi demo: a CSV whose headers are not recognised is mapped column by column, its bad rows are
// listed, the corrected file is imported, and the new facilities reach the service, the map and the analysis.
// Screenshots go to test-artifacts/web/.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, CHROMIUM, ensureWebBuild, launchChromium, startWebService, TOKEN, type WebService } from './web-harness.ts';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`tests/web/import-page.test.ts: skipped, ${CHROMIUM} is missing; install Debian's Chromium (apt-get install chromium)`);

const HEADER = '机构名称,X坐标,Y坐标,类型,床位';
// two bad rows among good ones: a latitude that is not a number, a category nobody knows
const BAD = [HEADER, '导入养老站甲,106.4361,30.5402,elderly_station,12', '导入养老站乙,106.4472,abc,elderly_station,8', '导入养老站丙,106.4520,30.5381,elderly_station,10', '导入养老站丁,106.4405,30.5466,spaceport,6'].join('\n') + '\n';
const FIXED = BAD.replace('106.4472,abc', '106.4472,30.5453').replace('spaceport', 'elderly_station');
const NAMES = ['导入养老站甲', '导入养老站乙', '导入养老站丙', '导入养老站丁'];

const ready = () => Boolean(document.body.dataset.analysis && window.lifecircle?.map.loaded() && window.lifecircle.renderedGaps() > 0);

describe.skipIf(!hasChromium)('import from the page in headless Chromium', () => {
  let service: WebService;
  let browser: Browser;
  let page: Page;
  let regionId: number;
  const outside: string[] = [];
  const pageErrors: string[] = [];
  const previewMs: number[] = [];

  const facilities = async () => (await (await fetch(`${service.url}/api/regions/${regionId}/facilities`)).json()).facilities as Array<{ name: string; lon: number; lat: number; status: string }>;
  const upload = (name: string, text: string) => page.setInputFiles('[data-testid=import-file]', { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  const summary = () => page.locator('[data-testid=import-summary]').innerText();

  beforeAll(async () => {
    await ensureWebBuild();
    service = await startWebService();
    regionId = (await (await fetch(`${service.url}/api/regions`)).json()).regions[0].id;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    context.on('request', (r) => void (!r.url().startsWith(`${service.url}/`) && !/^(data|blob):/.test(r.url()) && outside.push(r.url())));
    page = await context.newPage();
    page.on('pageerror', (e) => void pageErrors.push(e.message));
    page.on('requestfinished', (r) => void (r.url().endsWith('/imports/preview') && previewMs.push(Math.round(r.timing().responseEnd))));
    await page.goto(`${service.url}/#token=${TOKEN}`);
    await page.waitForFunction(ready, null, { timeout: 120_000, polling: 250 });
    // the planner folds the other sections away, so the import section has the panel
    await page.evaluate(() => document.querySelectorAll<HTMLDetailsElement>('details.section').forEach((d) => (d.open = d.dataset.section === 'imports')));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('shows the headers it did not recognise, one select per field, and nothing to commit yet', async () => {
    await upload('机构清单.csv', BAD);
    await page.waitForSelector('[data-testid=import-map-lon]');
    expect(await summary()).toMatch(/0 个要素可读，1 处错误/);
    expect(await page.locator('[data-testid=import-errors] tr.problem').allInnerTexts()).toEqual([expect.stringMatching(/^第 1 行\tlon\t/)]);
    expect(await page.locator('[data-testid=import-errors] tr.detail').innerText()).toMatch(/column 'lon' is required/);
    const options = await page.locator('[data-testid=import-map-lon] option').allInnerTexts();
    expect(options).toEqual(['（无）', '机构名称', 'X坐标', 'Y坐标', '类型', '床位']);
    expect(await page.locator('[data-testid=import-commit]').isDisabled()).toBe(true);
  });

  it('maps the columns (each choice previews again) and lists every bad row with its line and column', async () => {
    const settle = () => page.waitForFunction(() => !document.querySelector<HTMLSelectElement>('[data-testid=import-map-lon]')?.disabled, null, { timeout: 30_000 });
    const started = Date.now();
    for (const [field, column] of [['lon', 'X坐标'], ['lat', 'Y坐标'], ['category', '类型'], ['name', '机构名称']]) {
      await page.selectOption(`[data-testid=import-map-${field}]`, column);
      await settle();
    }
    console.info(`web import: 4 mapping choices, each previewed again, in ${Date.now() - started} ms (preview round trips ${previewMs.join(', ')} ms)`);
    await page.waitForFunction(() => /2 处错误/.test(document.querySelector('[data-testid=import-summary]')?.textContent ?? ''), null, { timeout: 30_000 });
    const rows = await page.locator('[data-testid=import-errors] tr.problem').allInnerTexts();
    expect(rows).toEqual([expect.stringMatching(/^第 3 行\tY坐标\tabc\ta number in \[-90, 90\]/), expect.stringMatching(/^第 5 行\t类型\tspaceport\t/)]);
    expect(await page.locator('[data-testid=import-errors] tr.detail').first().innerText()).toMatch(/column 'Y坐标' \(lat\) must be a number/);
    expect(await page.locator('[data-testid=import-commit]').isDisabled()).toBe(true);
    // the readable rows are on the map already, the one with the unknown category marked
    const drawn = await page.evaluate(() => window.lifecircle!.store.get().importPreview?.features.map((f) => `${f.properties?.name}${f.properties?.problem ? '!' : ''}`));
    expect(drawn).toEqual(['导入养老站甲', '导入养老站丙', '导入养老站丁!']);
    await page.evaluate(() => window.lifecircle!.map.jumpTo({ center: [106.444, 30.542], zoom: 13 }));
    await page.waitForFunction(() => window.lifecircle!.map.loaded() && window.lifecircle!.map.queryRenderedFeatures({ layers: ['import-preview'] }).length === 3, null, { timeout: 30_000 });
    await page.screenshot({ path: artifactPath('import-01-errors.png') });
    await page.locator('#panel').screenshot({ path: artifactPath('import-02-panel.png') });
  });

  it('takes the corrected file with the same mapping, imports it, and the new facilities reach the service, the map and the analysis', async () => {
    const before = await facilities();
    const analysisBefore = await page.evaluate(() => document.body.dataset.analysis);
    await upload('机构清单-改.csv', FIXED);
    await page.waitForFunction(() => /无错误/.test(document.querySelector('[data-testid=import-summary]')?.textContent ?? ''), null, { timeout: 30_000 });
    expect(await summary()).toContain('4 个要素');
    expect(await page.locator('[data-testid=import-map-lat]').inputValue()).toBe('Y坐标');
    expect(await page.locator('[data-testid=import-commit]').isEnabled()).toBe(true);
    // a preview writes nothing
    expect((await facilities()).length).toBe(before.length);
    await page.click('[data-testid=import-commit]');
    await page.waitForFunction((a) => document.body.dataset.imported && document.body.dataset.analysis && document.body.dataset.analysis !== a && window.lifecircle!.map.loaded(), analysisBefore, { timeout: 180_000, polling: 250 });
    expect(await page.locator('[data-testid=import-message]').innerText()).toMatch(/已导入 4 条设施数据（机构清单-改\.csv）/);
    const after = await facilities();
    expect(after.length).toBe(before.length + 4);
    expect(after.filter((f) => NAMES.includes(f.name)).map((f) => [f.name, f.lon, f.lat]).sort()).toEqual([
      ['导入养老站丁', 106.4405, 30.5466], ['导入养老站丙', 106.452, 30.5381], ['导入养老站乙', 106.4472, 30.5453], ['导入养老站甲', 106.4361, 30.5402],
    ]);
    // the map's facility layer holds them, and the preview is gone
    const onMap = await page.evaluate(async (names) => {
      const src = window.lifecircle!.map.getSource('facilities') as unknown as { getData(): Promise<{ features: Array<{ properties: { name: string } }> }> };
      return (await src.getData()).features.filter((f) => names.includes(f.properties.name)).length;
    }, NAMES);
    expect(onMap).toBe(4);
    expect(await page.evaluate(() => window.lifecircle!.store.get().importPreview)).toBeNull();
    await page.waitForFunction(() => window.lifecircle!.map.queryRenderedFeatures({ layers: ['facilities'] }).some((f) => String(f.properties.name).startsWith('导入养老站')), null, { timeout: 30_000 });
    await page.screenshot({ path: artifactPath('import-03-imported.png') });
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { mapSheetPdf, type MapSheetInput } from '../server/export/map-sheet-pdf.ts';
import { findSheetFont } from '../server/export/sheet-font.ts';

const poppler = ['pdftotext', 'pdftoppm', 'pdfinfo'].every((tool) => !spawnSync(tool, ['-v']).error);
if (!poppler) console.warn('map sheet test skipped: pdftotext/pdftoppm/pdfinfo not on PATH (apt-get install poppler-utils)');
if (!findSheetFont()) console.warn('map sheet test skipped: no Chinese font (npm install brings @expo-google-fonts/noto-sans-sc; or apt-get install fonts-wqy-microhei)');

const pages = (file: string) => Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout)?.[1]);

// share of the first page's pixels that are not white, from a greyscale PGM (P5) that pdftoppm writes: no image package needed
function inkShare(file: string, out: string): number {
  spawnSync('pdftoppm', ['-gray', '-r', '20', '-f', '1', '-l', '1', '-singlefile', file, out]);
  const pgm = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const pixels = pgm.subarray(header[0].length);
  let ink = 0;
  for (const v of pixels) if (v < 240) ink++;
  return ink / pixels.length;
}

const square = (lon: number, lat: number, d = 0.05) => ({ type: 'Polygon' as const, coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });

// a hand-made sheet of three townships; the expected texts are the input's own words, read back by poppler
function input(o: Partial<MapSheetInput> = {}): MapSheetInput {
  return {
    title: '测试县 15分钟养老服务圈：覆盖与缺口', subtitle: 'Test county · 15-minute elderly-care circle', paper: 'A4', orientation: 'landscape',
    townships: { type: 'FeatureCollection', features: [
      { type: 'Feature', geometry: square(106.40, 30.50), properties: { name: '九龙街道', share: 0.95 } },
      { type: 'Feature', geometry: square(106.45, 30.50), properties: { name: '黄龙乡', share: 0 } },
      { type: 'Feature', geometry: square(106.40, 30.55), properties: { name: '朝阳街道', share: null } },
    ] },
    gaps: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: square(106.46, 30.51, 0.02), properties: {} }] },
    facilities: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [106.42, 30.52] }, properties: { name: '养老站' } }] },
    sites: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [106.47, 30.52] }, properties: { rank: 1 } }] },
    target: 0.9,
    legend: { facilities: '养老服务 elderly care', gaps: '未覆盖区域 gaps', sites: '建议选址 suggested sites', share: '60岁以上覆盖率 coverage of residents 60+' },
    table: { head: ['乡镇名称', '60岁及以上人口', '覆盖率', '结论'], rows: [['九龙街道', 1200, '95.0', '达标'], ['黄龙乡', 800, '0.0', '未达标'], ['朝阳街道', null, '', '无数据']] },
    sources: ['依据 standard: 测试'], synthetic: true, date: '2026-12-03', ...o,
  };
}

describe.skipIf(!poppler || !findSheetFont())('map sheet PDF', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-sheet-'));
  for (const [paper, orientation, pageCount] of [['A4', 'landscape', 1], ['A3', 'portrait', 1]] as const) {
    test(`${paper} ${orientation}: renders, and its text layer holds the title, legend, townships and table`, async () => {
      const file = join(dir, `${paper}-${orientation}.pdf`);
      writeFileSync(file, await mapSheetPdf(input({ paper, orientation })));
      const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
      expect(info).toMatch(new RegExp(`Pages:\\s+${pageCount}\\b`));
      expect(info).toContain(`(${paper})`);
      expect(spawnSync('pdftoppm', ['-png', '-r', '50', '-singlefile', file, join(dir, `${paper}`)]).status).toBe(0);
      // a blank page compresses to a few hundred bytes; the drawn map does not
      expect(readFileSync(join(dir, `${paper}.png`)).length).toBeGreaterThan(5_000);
      // the townships' fills cover a good part of the page
      expect(inkShare(file, join(dir, `${paper}-grey`))).toBeGreaterThan(0.1);
      expect(spawnSync('pdftotext', ['-layout', file, `${file}.txt`]).status).toBe(0);
      const text = readFileSync(`${file}.txt`, 'utf8');
      for (const want of ['测试县 15分钟养老服务圈：覆盖与缺口', '图例', '养老服务 elderly care', '未覆盖区域 gaps', '建议选址', '九龙街道', '黄龙乡', '朝阳街道', '60岁及以上人口', '未达标', '演示数据为生成数据', '公里 km']) {
        expect(text, want).toContain(want);
      }
      // the north arrow's label (its two words may be laid out apart)
      expect(text).toMatch(/N\s*北/);
    });
  }

  test('A3 landscape keeps the 27-row table beside the map, on one page', async () => {
    const rows = Array.from({ length: 27 }, (_, i) => [`乡镇${i}`, i * 10, '50.0', '未达标']);
    const file = join(dir, 'a3-landscape.pdf');
    writeFileSync(file, await mapSheetPdf(input({ paper: 'A3', orientation: 'landscape', table: { head: ['乡镇名称', '60岁及以上人口', '覆盖率', '结论'], rows } })));
    expect(pages(file)).toBe(1);
    spawnSync('pdftotext', ['-layout', file, `${file}.txt`]);
    expect(readFileSync(`${file}.txt`, 'utf8')).toContain('乡镇26');
  });

  test('a table too long for the page goes on to following pages, each with its heading', async () => {
    const rows = Array.from({ length: 160 }, (_, i) => [`乡镇${i}`, i * 10, '50.0', '未达标']);
    const file = join(dir, 'long.pdf');
    writeFileSync(file, await mapSheetPdf(input({ table: { head: ['乡镇名称', '60岁及以上人口', '覆盖率', '结论'], rows } })));
    const n = pages(file);
    expect(n).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    for (let p = 2; p <= n; p++) {
      spawnSync('pdftotext', ['-layout', '-f', String(p), '-l', String(p), file, `${file}.${p}.txt`]);
      const text = readFileSync(`${file}.${p}.txt`, 'utf8');
      expect(text, `page ${p}`).toContain('乡镇名称');
      seen.push(...(text.match(/乡镇\d+/g) ?? []));
    }
    // every row printed once, in order
    expect(seen).toEqual(rows.map((r) => r[0]));
  });

  test('no townships, an unknown paper or orientation, or a missing font file is a clear error', async () => {
    await expect(mapSheetPdf(input({ townships: { type: 'FeatureCollection', features: [] } }))).rejects.toThrow(/no townships/);
    await expect(mapSheetPdf(input({ paper: 'B5' as never }))).rejects.toThrow(/A4 or A3, found 'B5'/);
    await expect(mapSheetPdf(input({ orientation: 'square' as never }))).rejects.toThrow(/landscape or portrait, found 'square'/);
    await expect(mapSheetPdf(input(), { fontPath: join(dir, 'no-such-font.ttf') })).rejects.toThrow(/font file .*no-such-font\.ttf not found/);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { mapSheetPdf, type MapSheetInput } from '../server/export/map-sheet-pdf.ts';
import { findSheetFont } from '../server/export/sheet-font.ts';

const poppler = !spawnSync('pdftotext', ['-v']).error && !spawnSync('pdftoppm', ['-v']).error;
if (!poppler) console.warn('map sheet test skipped: pdftotext/pdftoppm (poppler-utils) not installed');
if (!findSheetFont()) console.warn('map sheet test skipped: no Chinese font (apt-get install fonts-wqy-microhei)');

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
  for (const [paper, orientation, pages] of [['A4', 'landscape', 1], ['A3', 'portrait', 1]] as const) {
    test(`${paper} ${orientation}: renders, and its text layer holds the title, legend, townships and table`, async () => {
      const file = join(dir, `${paper}-${orientation}.pdf`);
      writeFileSync(file, await mapSheetPdf(input({ paper, orientation })));
      const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
      expect(info).toMatch(new RegExp(`Pages:\\s+${pages}\\b`));
      expect(info).toContain(`(${paper})`);
      expect(spawnSync('pdftoppm', ['-png', '-r', '40', '-singlefile', file, join(dir, `${paper}`)]).status).toBe(0);
      // a blank page compresses to a few hundred bytes; the drawn map does not
      expect(readFileSync(join(dir, `${paper}.png`)).length).toBeGreaterThan(5_000);
      expect(spawnSync('pdftotext', ['-layout', file, `${file}.txt`]).status).toBe(0);
      const text = readFileSync(`${file}.txt`, 'utf8');
      for (const want of ['测试县 15分钟养老服务圈：覆盖与缺口', '图例', '养老服务 elderly care', '未覆盖区域 gaps', '建议选址', '九龙街道', '黄龙乡', '朝阳街道', '60岁及以上人口', '未达标', '演示数据为生成数据', '公里 km']) {
        expect(text, want).toContain(want);
      }
      // the north arrow's label (its two words may be laid out apart)
      expect(text).toMatch(/N\s*北/);
    });
  }

  test('a table too long for the page goes on to a second page with its heading', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`乡镇${i}`, i * 10, '50.0', '未达标']);
    const file = join(dir, 'long.pdf');
    writeFileSync(file, await mapSheetPdf(input({ table: { head: ['乡镇名称', '60岁及以上人口', '覆盖率', '结论'], rows } })));
    expect(Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout)![1])).toBeGreaterThanOrEqual(2);
    spawnSync('pdftotext', ['-f', '2', '-l', '2', file, `${file}.txt`]);
    expect(readFileSync(`${file}.txt`, 'utf8')).toContain('乡镇名称');
  });

  test('no townships, or an unknown paper, is a clear error', async () => {
    await expect(mapSheetPdf(input({ townships: { type: 'FeatureCollection', features: [] } }))).rejects.toThrow(/no townships/);
    await expect(mapSheetPdf(input({ paper: 'B5' as never }))).rejects.toThrow(/A4 or A3/);
  });
});

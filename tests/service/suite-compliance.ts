import { expect, it } from 'vitest';
import type { Harness } from './service-harness.ts';

interface Row { areaKind: string; areaName: string; itemId: string; aged60: { covered: number } | null; verdict: string }

/** Compliance reports: the standards judged per township, filed, and served as CSV and HTML. */
export function complianceSuite(h: () => Harness): void {
  it('files a compliance report whose circle agrees with the analysis run', async () => {
    const id = h().regionId;
    const r = await h().api(`/regions/${id}/compliance`, { body: { only: ['elderly-care-15min'] } });
    expect(r.status).toBe(201);
    const view = await r.json();
    expect(view.report.synthetic).toBe(true);
    const rows = view.report.rows as Row[];
    expect(rows.filter((x) => x.areaKind === 'township').map((x) => x.areaName)).toEqual(['测试街道', '测试镇']);
    const county = rows.find((x) => x.areaKind === 'county' && x.itemId === 'elderly-care-15min')!;
    const run = await (await h().api('/analyses', { body: { preset: 'elderly-care-15min' } })).json();
    expect(county.aged60!.covered).toBeCloseTo(run.summary.aged60.covered, 0);
    expect(county.verdict).toBe(run.summary.verdict);
    const list = (await (await h().api(`/regions/${id}/compliance`)).json()).reports;
    expect(list[0]).toMatchObject({ id: view.id, counts: expect.any(Object) });
    const csv = Buffer.from(await (await h().api(`/compliance/${view.id}/report.csv`)).arrayBuffer());
    // the BOM that makes Excel read UTF-8 (fetch's text() would hide it)
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain('测试街道');
    const html = await (await h().api(`/compliance/${view.id}/report.html`)).text();
    expect(html).toContain('SYNTHETIC');
    // the workbook holds the CSV's cells (read back with exceljs, the CSV with csv-parse), verdicts coloured
    const { parse } = await import('csv-parse/sync');
    const table = parse(csv.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    const x = await h().api(`/compliance/${view.id}/report.xlsx`);
    expect(x.status).toBe(200);
    expect(x.headers.get('content-type')).toMatch(/spreadsheetml/);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await x.arrayBuffer() as never);
    const ws = book.worksheets[0];
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.rowCount).toBe(table.length);
    table.forEach((line, i) => line.forEach((want, c) => {
      const got = ws.getRow(i + 1).getCell(c + 1).value;
      expect(got === null || got === undefined ? '' : typeof got === 'number' ? got : String(got), `row ${i + 1} column ${c + 1}`).toEqual(want !== '' && typeof got === 'number' ? Number(want) : want);
    }));
    const verdictCol = table[0].indexOf('结论 verdict') + 1;
    const v = ws.getRow(2).getCell(verdictCol);
    expect((v.fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe(v.value === '达标' ? 'FFC6EFCE' : v.value === '未达标' ? 'FFFFC7CE' : 'FFE7E6E6');
    expect(book.worksheets[1].getSheetValues().flat().join(' ')).toContain('elderly-care-15min');
    expect((await h().api(`/compliance/${view.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('runs the full report as a job, and rejects unknown items', async () => {
    const id = h().regionId;
    const r = await h().api(`/regions/${id}/compliance`, { body: { background: true } });
    expect(r.status).toBe(202);
    const { links } = await r.json();
    const text = await (await fetch(`${h().url}${links.events}`)).text();
    expect(text).toMatch(/event: done/);
    const done = JSON.parse(/event: done\nid: \d+\ndata: (.*)/.exec(text)![1]);
    const report = await (await h().api(`/compliance/${done.result.complianceId}`)).json();
    expect(report.report.items.length).toBeGreaterThan(10);
    const bad = await h().api(`/regions/${id}/compliance`, { body: { only: ['no-such-circle'] } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('no-such-circle');
  });
}

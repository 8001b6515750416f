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

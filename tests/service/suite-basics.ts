import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Harness } from './service-harness.ts';
import { regionStamps } from '../../server/features/regions/region.repository.ts';

/** Health, docs, security (token, read-only, limits, headers), errors, regions. */
export function basicsSuite(h: () => Harness): void {
  it('answers health with the backend it runs on', async () => {
    const r = await h().api('/health');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, database: h().backend, readOnly: false });
  });

  it('moves a region\'s data stamps on every write by anyone (database triggers): facilities alone move the facility stamp, layers the layer stamp', async () => {
    const db = h().deps.db;
    const region = await (await h().api('/regions', { body: { name: '印章测试 stamps' } })).json();
    const at = async () => regionStamps(db, region.id);
    const s0 = await at();
    // raw SQL, as another process or a psql session would write: no service code runs
    await sql`insert into facilities (region_id, name, category, status, source, lon, lat) values (${region.id}, 'x', 'elderly_station', 'existing', 'psql', 106.44, 30.54)`.execute(db);
    const s1 = await at();
    expect(s1.facilities).not.toBe(s0.facilities);
    expect(s1.layers).toBe(s0.layers);
    await sql`update facilities set name = 'y' where region_id = ${region.id}`.execute(db);
    const s2 = await at();
    expect(s2.facilities).not.toBe(s1.facilities);
    await sql`delete from facilities where region_id = ${region.id}`.execute(db);
    const s3 = await at();
    expect(s3.facilities).not.toBe(s2.facilities);
    await sql`insert into admin_units (region_id, position, name, code, geometry) values (${region.id}, 0, '甲镇', '1', ${JSON.stringify({ type: 'Polygon', coordinates: [[[106.4, 30.5], [106.5, 30.5], [106.5, 30.6], [106.4, 30.5]]] })}::jsonb)`.execute(db);
    const s4 = await at();
    expect(s4.layers).not.toBe(s3.layers);
    expect(s4.facilities).toBe(s3.facilities);
    // another region's writes leave this one's stamps alone
    await sql`insert into facilities (region_id, name, category, status, source, lon, lat) values (${h().regionId}, 'z', 'elderly_station', 'planned', 'psql', 106.44, 30.54)`.execute(db);
    expect(await at()).toEqual(s4);
    await sql`delete from facilities where region_id = ${h().regionId} and name = 'z'`.execute(db);
    expect((await h().api(`/regions/${region.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('serves an OpenAPI document and a script-free docs page', async () => {
    const doc = await (await h().api('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/analyses', '/api/regions/{regionId}/imports', '/api/jobs/{id}/events']));
    const page = await h().api('/docs');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('/api/analyses');
    expect(html).not.toMatch(/<script|https?:\/\/cdn/i);
  });

  it('sends security headers', async () => {
    const r = await h().api('/regions');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('refuses writes without the token, or with a wrong one', async () => {
    const none = await h().api('/analyses', { body: { preset: 'elderly-care-15min' }, token: null });
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    const wrong = await h().api(`/regions/${h().regionId}/facilities`, { body: { category: 'x', lon: 106.43, lat: 30.54 }, token: 'nope' });
    expect(wrong.status).toBe(401);
  });

  it('refuses every write in read-only mode, and still serves reads', async () => {
    const ro = await h().variant({ readOnly: true });
    try {
      const w = await fetch(`${ro.url}/api/regions`, { method: 'POST', headers: { authorization: 'Bearer test-token-0123456789', 'content-type': 'application/json' }, body: '{"name":"x"}' });
      expect(w.status).toBe(403);
      expect((await w.json()).error.code).toBe('read_only');
      expect((await fetch(`${ro.url}/api/regions`)).status).toBe(200);
    } finally {
      await ro.close();
    }
  });

  it('limits heavy requests per client', async () => {
    const limited = await h().variant({ limits: { jsonBytes: 256 * 1024, uploadBytes: 1024, heavyPerMinute: 1 } });
    try {
      const post = () => fetch(`${limited.url}/api/analyses`, { method: 'POST', headers: { authorization: 'Bearer test-token-0123456789', 'content-type': 'application/json' }, body: '{"preset":"no-such"}' });
      expect((await post()).status).toBe(400);
      const second = await post();
      expect(second.status).toBe(429);
      expect((await second.json()).error.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });

  it('rejects bodies over the size limit and malformed JSON', async () => {
    const big = await h().api(`/regions/${h().regionId}/scenarios`, { body: { name: 'x', description: 'y'.repeat(300 * 1024) } });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('payload_too_large');
    const bad = await h().api('/analyses', { body: '{"preset": ' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_request');
  });

  it('answers unknown endpoints with a JSON 404, and the root with the placeholder page', async () => {
    const r = await h().api('/nope');
    expect(r.status).toBe(404);
    expect((await r.json()).error).toMatchObject({ code: 'not_found' });
    const root = await fetch(`${h().url}/`);
    expect(await root.text()).toContain('/api/docs');
  });

  it('serves a built web app on the same port, with client routes and no way out of its folder', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'lifecircle-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>map</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    const web = await h().variant({ webDist: dist });
    try {
      expect(await (await fetch(`${web.url}/`)).text()).toContain('<title>map</title>');
      expect((await fetch(`${web.url}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
      expect(await (await fetch(`${web.url}/regions/1/map`)).text()).toContain('<title>map</title>');
      const out = await fetch(`${web.url}/..%2f..%2f..%2fetc%2fpasswd`);
      expect(await out.text()).not.toContain('root:');
      expect((await fetch(`${web.url}/api/nope`)).status).toBe(404);
    } finally {
      await web.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('lists the seeded region with its layers, units and outline', async () => {
    const id = h().regionId;
    const region = await (await h().api(`/regions/${id}`)).json();
    expect(region.layers).toMatchObject({ units: 2, grid: { cells: expect.any(Number) }, roads: { ways: expect.any(Number) } });
    expect(region.facilities.length).toBeGreaterThan(0);
    const units = await (await h().api(`/regions/${id}/units`)).json();
    expect(units.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['测试街道', '测试镇']);
    expect((await (await h().api(`/regions/${id}/outline`)).json()).geometry.type).toBe('Polygon');
    expect((await h().api('/regions/999999')).status).toBe(404);
    expect((await h().api('/regions/abc')).status).toBe(400);
  });

  it('lists the circle presets with their reach and source', async () => {
    const { presets } = await (await h().api('/presets')).json();
    const elderly = presets.find((p: { id: string }) => p.id === 'elderly-care-15min');
    expect(elderly).toMatchObject({ population: 'aged60', urban: { mode: 'elderly-walk', minutes: 15 } });
  });
}

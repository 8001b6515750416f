import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUILDABLE, DEMO_DIR, DEMO_FILES } from '../../server/io/load-demo.ts';
import { uploadForm } from './service-harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const demoPresent = Object.values(DEMO_FILES).every((f) => existsSync(join(DEMO_DIR, f)));
const buildablePresent = demoPresent && existsSync(join(DEMO_DIR, DEMO_BUILDABLE));

// what `npm start` runs, with no database settings: PGlite in a fresh folder, seeded on first start
describe('npm start with no environment', () => {
  let child: ChildProcess;
  let output = '';
  let url = '';
  let token = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'lifecircle-start-'));

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LIFECIRCLE_DATA_DIR: dataDir };
    for (const k of ['DATABASE_URL', 'LIFECIRCLE_TOKEN', 'LIFECIRCLE_READ_ONLY']) delete env[k];
    child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'server', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (b: Buffer) => { output += b.toString(); });
    child.stderr!.on('data', (b: Buffer) => { output += b.toString(); });
    await new Promise<void>((ok, fail) => {
      const poll = setInterval(() => {
        const m = /serving (http:\/\/\S+\/)/.exec(output);
        const t = /write token: (\S+)/.exec(output);
        if (m && t) { clearInterval(poll); url = m[1]; token = t[1]; ok(); }
      }, 100);
      child.once('exit', (code) => { clearInterval(poll); fail(new Error(`npm start exited with ${code}:\n${output}`)); });
    });
  }, 240_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URL and a generated token, kept private beside the database', () => {
    expect(output).toContain('/api/docs');
    expect(readFileSync(join(dataDir, 'token'), 'utf8').trim()).toBe(token);
    expect(statSync(join(dataDir, 'token')).mode & 0o077).toBe(0);
  });

  it(`serves ${demoPresent ? 'the Yuechi demo' : 'the fixture region (data/yuechi is missing)'} and the elderly-care circle per township`, async () => {
    const { regions } = await (await fetch(`${url}api/regions`)).json();
    expect(regions[0].code).toBe(demoPresent ? '511621' : '999001');
    const r = await fetch(`${url}api/analyses`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"preset":"elderly-care-15min"}' });
    expect(r.status).toBe(201);
    const run = await r.json();
    expect(run.units).toHaveLength(demoPresent ? 27 : 2);
    for (const u of run.units) expect(u).toMatchObject({ name: expect.any(String), aged60: { total: expect.any(Number) }, verdict: expect.stringMatching(/pass|fail|no-data/) });
    if (demoPresent) expect(run.summary.aged60.total).toBe(204954);
  });

  it.skipIf(!buildablePresent)('gives the demo region the generated buildable parcels, sites on them, and lets the bureau replace them', async () => {
    const write = { authorization: `Bearer ${token}` };
    const { regions } = await (await fetch(`${url}api/regions`)).json();
    const id = regions[0].id;
    const land = await (await fetch(`${url}api/regions/${id}/buildable`)).json();
    expect(land.features.length).toBeGreaterThanOrEqual(200);
    for (const f of land.features) expect(f.properties).toMatchObject({ name: f.properties.地块名称, synthetic: true });
    const r = await fetch(`${url}api/regions/${id}/suggested-sites`, { method: 'POST', headers: { ...write, 'content-type': 'application/json' }, body: JSON.stringify({ preset: 'elderly-care-15min', k: 3, candidates: 'buildable' }) });
    expect(r.status, await r.clone().text()).toBe(200);
    const body = await r.json();
    expect(body.buildable.parcels).toBe(land.features.length);
    expect(body.sites).toHaveLength(3);
    for (const site of body.sites) {
      const holders = land.features.filter((f: { geometry: never }) => booleanPointInPolygon([site.lon, site.lat], f.geometry));
      expect(holders).toHaveLength(1);
      expect(site.parcel).toBe(holders[0].properties.name);
    }
    // the bureau's own layer replaces the generated one
    const own = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 地块编号: 'YC-2026-001' }, geometry: { type: 'Polygon', coordinates: [[[106.43, 30.53], [106.434, 30.53], [106.434, 30.533], [106.43, 30.533], [106.43, 30.53]]] } }] };
    const imported = await fetch(`${url}api/regions/${id}/imports`, { method: 'POST', headers: write, body: uploadForm(JSON.stringify(own), 'own.geojson', { kind: 'buildable', mode: 'replace' }) });
    expect(imported.status, await imported.clone().text()).toBe(201);
    const after = await (await fetch(`${url}api/regions/${id}/buildable`)).json();
    expect(after.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['YC-2026-001']);
  }, 120_000);

  it('serves the placeholder page while the web app is not built', async () => {
    const page = await (await fetch(url)).text();
    expect(page).toMatch(existsSync(join(ROOT, 'web', 'dist', 'index.html')) ? /<html/i : /not built/);
  });

  /** Runs `npm start`'s entry to its exit; returns the exit code and everything printed. */
  function runToExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
    return new Promise((ok) => {
      const c = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'server', 'main.ts')], { cwd: ROOT, env: { ...process.env, HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
      c.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
      const timer = setTimeout(() => c.kill('SIGKILL'), 180_000);
      c.once('exit', (code) => { clearTimeout(timer); ok({ code, output: out }); });
    });
  }

  it('refuses a second start on the same folder, naming the holder; the first keeps serving', async () => {
    const second = await runToExit({ PORT: '0', LIFECIRCLE_DATA_DIR: dataDir });
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/db is in use by process \d+ \(since /);
    expect(second.output).not.toMatch(/is serving/);
    expect((await fetch(`${url}api/health`)).status).toBe(200);
  }, 200_000);

  it('exits with a clear error when the port is taken', async () => {
    const other = mkdtempSync(join(tmpdir(), 'lifecircle-start-port-'));
    try {
      const port = new URL(url).port;
      const second = await runToExit({ PORT: port, LIFECIRCLE_DATA_DIR: other });
      expect(second.code).not.toBe(0);
      expect(second.output).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(second.output).not.toMatch(/is serving/);
      // it let go of its own folder: a start there now succeeds past the lock
      expect(existsSync(join(other, 'db.lock'))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    expect((await fetch(`${url}api/health`)).status).toBe(200);
  }, 200_000);
});

// Acknowledged writes survive SIGKILL of `npm start` on the embedded database (issue 11): rounds of
// (write, acknowledge, kill -9, restart) and every acknowledged region is still there, none twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const ROUNDS = Number(process.env.LIFECIRCLE_CRASH_ROUNDS ?? 20);
const TOKEN = 'crash-test-token-0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'lifecircle-crash-'));
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the service on the folder (the first start seeds the demo; later starts only open it). */
async function start(): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LIFECIRCLE_DATA_DIR: dataDir, LIFECIRCLE_TOKEN: TOKEN };
  delete env.DATABASE_URL;
  // the tsx CLI runs the server in a child of its own: run node with tsx's loader directly, so SIGKILL hits the server
  const c = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child = c;
  let out = '';
  c.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  c.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  return new Promise((ok, fail) => {
    const poll = setInterval(() => {
      const m = /serving (http:\/\/\S+?\/)/.exec(out);
      if (m) { clearInterval(poll); ok(m[1]); }
    }, 50);
    c.once('exit', (code) => { clearInterval(poll); fail(new Error(`start exited with ${code}:\n${out}`)); });
  });
}

function kill9(): Promise<void> {
  const c = child!;
  child = null;
  return new Promise((ok) => { c.once('exit', () => ok()); c.kill('SIGKILL'); });
}

describe(`${ROUNDS} rounds of write, SIGKILL, restart on embedded PGlite`, () => {
  it('loses no acknowledged write', async () => {
    const acknowledged: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const url = await start();
      const { regions } = await (await fetch(`${url}api/regions`)).json() as { regions: { name: string }[] };
      const names = regions.map((r) => r.name).filter((n) => n.startsWith('崩溃测试'));
      expect(names.sort()).toEqual([...acknowledged].sort());
      const name = `崩溃测试 ${round}`;
      const r = await fetch(`${url}api/regions`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
      expect(r.status).toBe(201);
      acknowledged.push(name);
      await kill9();
    }
    const url = await start();
    const { regions } = await (await fetch(`${url}api/regions`)).json() as { regions: { name: string }[] };
    expect(regions.map((r) => r.name).filter((n) => n.startsWith('崩溃测试')).sort()).toEqual([...acknowledged].sort());
    await kill9();
  }, 600_000);
});

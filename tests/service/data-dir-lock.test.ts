// The embedded folder's lock and the clean-up of uploads a killed process left (issue 11).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../server/app/data-dir-lock.ts';
import { removeStaleUploads } from '../../server/features/imports/upload-file.ts';

const root = mkdtempSync(join(tmpdir(), 'lifecircle-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The PID of a process that has exited (a finished shell). */
function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(String(r.stdout).trim());
}

describe('the data folder lock', () => {
  it('refuses a second holder, naming the first; lets go on release', async () => {
    const dir = join(root, 'a', 'db');
    const first = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(new RegExp(`db is in use by process ${process.pid} \\(since `));
    await first.release();
    const again = await lockDataDir(dir);
    await again.release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('takes over a lock whose holder was killed (same host, PID gone)', async () => {
    const dir = join(root, 'b', 'db');
    mkdirSync(`${dir}.lock`, { recursive: true });
    writeFileSync(`${dir}.lock-holder`, JSON.stringify({ pid: deadPid(), host: hostname(), since: 'then' }));
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it('does not take over a live holder on another host', async () => {
    const dir = join(root, 'c', 'db');
    mkdirSync(`${dir}.lock`, { recursive: true });
    writeFileSync(`${dir}.lock-holder`, JSON.stringify({ pid: deadPid(), host: 'other-machine', since: 'then' }));
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by process \d+ on other-machine/);
  });
});

describe('upload temp folders', () => {
  it('are removed on start when their process is gone, kept while it runs', async () => {
    const dir = join(root, 'tmp');
    mkdirSync(join(dir, `lifecircle-upload-${deadPid()}-x1`), { recursive: true });
    mkdirSync(join(dir, `lifecircle-upload-${process.pid}-x2`), { recursive: true });
    mkdirSync(join(dir, 'someone-else-9-x3'), { recursive: true });
    expect(await removeStaleUploads(dir)).toBe(1);
    expect(existsSync(join(dir, `lifecircle-upload-${process.pid}-x2`))).toBe(true);
    expect(existsSync(join(dir, 'someone-else-9-x3'))).toBe(true);
  });
});

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';

/** A held lock on a data folder; release it on shutdown (a killed holder's lock goes stale by itself). */
export interface DataDirLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * Locks the embedded database's folder so a second process cannot open it (two PGlite instances on one
 * folder corrupt it). A lock left by a process that is gone (same host, PID not running) is taken over.
 *
 * @example const lock = await lockDataDir('.lifecircle'); … await lock.release();
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  // beside the folder, not in it: PGlite wants its folder to itself
  await mkdir(dirname(dir), { recursive: true });
  const holderFile = `${dir}.lock-holder`;
  const options = { lockfilePath: `${dir}.lock`, stale: 10_000, update: 2_000, realpath: false };
  const take = async () => {
    const release = await lockfile.lock(dir, {
      ...options,
      // the lock's mtime stops being refreshed: another process could take it, so this one must stop writing
      onCompromised: (e: Error) => { process.stderr.write(`lifecircle: the lock on ${dir} was lost (${e.message}); stopping\n`); process.exit(1); },
    });
    await writeFile(holderFile, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }) + '\n');
    return release;
  };
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    const holder = JSON.parse(await readFile(holderFile, 'utf8').catch(() => '{}')) as { pid?: number; host?: string; since?: string };
    if (holder.pid !== undefined && holder.host === hostname() && !alive(holder.pid)) {
      // its holder was killed within the stale window: nothing else can be using the folder
      await rm(options.lockfilePath, { recursive: true, force: true });
      release = await take();
    } else {
      const who = holder.pid !== undefined ? `process ${holder.pid}${holder.host && holder.host !== hostname() ? ` on ${holder.host}` : ''} (since ${holder.since})` : 'another process';
      throw new Error(`${dir} is in use by ${who}; stop it first, or set LIFECIRCLE_DATA_DIR to another folder`);
    }
  }
  return {
    async release() {
      await rm(holderFile, { force: true });
      await release().catch(() => undefined);
    },
  };
}

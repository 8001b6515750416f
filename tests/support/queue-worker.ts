// `lifecircle worker` processes for the queue tests (bin/lifecircle.js: the compiled CLI when fresh, as installed).
import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface Worker { child: ChildProcess; name: string; output: () => string }

/** Starts `lifecircle worker` and resolves once it takes jobs, with its host:pid as it names itself. */
export function startWorker(url: string): Promise<Worker> {
  const child = spawn(process.execPath, ['bin/lifecircle.js', 'worker', '--db', url, '--threads', '1'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 60 s:\n${text}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /lifecircle worker (\S+): taking jobs/.exec(text);
      if (m) { clearTimeout(timer); resolve({ child, name: m[1], output: () => text }); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited with ${code} before taking jobs:\n${text}`)); });
  });
}

/** Polls `probe` every 20 ms until it gives a value, or throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

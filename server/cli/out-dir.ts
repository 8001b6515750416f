import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * Makes `--out` and proves it writable before any work, so a bad folder fails in a second with its reason
 * instead of after the whole analysis. Folders are made one level at a time: Node's recursive mkdir spins
 * forever under /proc.
 *
 * @example await checkOutDir('out/gaps');
 */
export async function checkOutDir(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = resolve(dir);
  try {
    for (;;) {
      const s = await stat(at).catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return null; throw e; });
      if (s) { if (!s.isDirectory()) throw Object.assign(new Error(`${at} is a file`), { code: 'ENOTDIR' }); break; }
      missing.unshift(at);
      if (dirname(at) === at) break;
      at = dirname(at);
    }
    for (const d of missing) await mkdir(d);
    const probe = join(dir, `.lifecircle-write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`--out ${dir}: cannot write there (${code ?? (e as Error).message}); choose a folder you can write to`);
  }
}

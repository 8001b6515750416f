import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/**
 * The bytes of a data file, gunzipped when its name ends in `.gz`; missing, empty and damaged files
 * fail with a one-line message naming the file.
 *
 * @example const bytes = await readFileBytes('data/yuechi/population.csv.gz');
 */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new Error(e.code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot read file (${e.code ?? e.message})`);
  });
  if (info.isDirectory()) throw new Error(`${path}: expected a file, found a directory`);
  if (info.size === 0) throw new Error(`${path}: file is empty`);
  let bytes: Uint8Array = await readFile(path);
  if (/\.gz$/i.test(path)) {
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new Error(`${path}: expected gzip data (.gz), found a file that is not gzipped`);
    try {
      bytes = await gunzipAsync(bytes);
    } catch (e) {
      const reason = (e as Error).message;
      throw new Error(`${path}: gzip data is ${/unexpected end/i.test(reason) ? 'truncated' : 'corrupt'} (${reason})`);
    }
    if (bytes.length === 0) throw new Error(`${path}: file is empty once gunzipped`);
  }
  return bytes;
}

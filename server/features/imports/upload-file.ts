import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AppError, type ErrorCode } from '../../app/app-error.ts';

const UPLOAD_PREFIX = 'lifecircle-upload-';

/**
 * Removes upload temp folders of processes that are gone (killed mid-upload); returns how many.
 *
 * @example await removeStaleUploads(); // on start
 */
export async function removeStaleUploads(dir: string = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = new RegExp(`^${UPLOAD_PREFIX}(\\d+)-`).exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = pid === process.pid;
    if (!alive) try { process.kill(pid, 0); alive = true; } catch (e) { alive = (e as NodeJS.ErrnoException).code === 'EPERM'; }
    if (alive) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/**
 * Runs a path-based reader on uploaded bytes: they go to a fresh private temp folder under the system temp
 * dir, as `upload.<ext>` (never a name the client chose), which is removed afterwards. The reader's messages
 * name the client's file instead of the temp path; its plain errors become `code` (default invalid_file).
 *
 * @example const set = await withUploadFile(bytes, 'csv', 'schools.csv', (path) => readFacilities(path));
 */
export async function withUploadFile<T>(bytes: Uint8Array, extension: string, fileName: string, read: (path: string) => Promise<T>, code: ErrorCode = 'invalid_file'): Promise<T> {
  // the PID in the name lets a later start remove what a killed process left
  const dir = await mkdtemp(join(tmpdir(), `${UPLOAD_PREFIX}${process.pid}-`));
  const path = join(dir, `upload.${extension}`);
  try {
    await writeFile(path, bytes, { mode: 0o600 });
    return await read(path);
  } catch (e) {
    if (e instanceof AppError) throw e;
    const message = (e instanceof Error ? e.message : String(e)).split(path).join(fileName).split(dir).join('(upload)');
    throw new AppError(code, message);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Most bytes an upload may unpack to (gzip, zip); LIFECIRCLE_MAX_UNPACKED_MB changes it (default 256). */
export function maxUnpackedBytes(): number {
  return Math.max(1, Number(process.env.LIFECIRCLE_MAX_UNPACKED_MB) || 256) * 1024 * 1024;
}

export function unpackedTooLarge(fileName: string): AppError {
  const mb = maxUnpackedBytes() / 1024 / 1024;
  return new AppError('payload_too_large', `${fileName}: unpacks to more than ${mb} MB, the limit (LIFECIRCLE_MAX_UNPACKED_MB)`, { expected: `at most ${mb} MB unpacked`, found: 'more' });
}

/**
 * Gunzips an upload whose bytes are gzip (`.geojson.gz`, `.csv.gz`), dropping `.gz` from its name; other
 * uploads pass through. A damaged or cut-off archive is a 422 saying so.
 *
 * @example const { bytes, fileName } = gunzipUpload(raw, 'population.csv.gz');
 */
export function gunzipUpload(bytes: Uint8Array, fileName: string): { bytes: Uint8Array; fileName: string } {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return { bytes, fileName };
  try {
    // inflation stops at the cap, so a small bomb never reaches memory
    return { bytes: gunzipSync(bytes, { maxOutputLength: maxUnpackedBytes() }), fileName: fileName.replace(/\.gz$/i, '') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw unpackedTooLarge(fileName);
    const reason = (e as Error).message;
    throw new AppError('invalid_file', `${fileName}: gzip data is ${/unexpected end/i.test(reason) ? 'truncated' : 'corrupt'} (${reason})`, { expected: 'complete gzip data', found: 'truncated or corrupt gzip' });
  }
}

/** The bytes of a JSON value, for a reader that wants a file. */
export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

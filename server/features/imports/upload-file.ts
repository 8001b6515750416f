import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AppError, type ErrorCode } from '../../app/app-error.ts';

/**
 * Runs a path-based reader on uploaded bytes: they go to a fresh private temp folder under the system temp
 * dir, as `upload.<ext>` (never a name the client chose), which is removed afterwards. The reader's messages
 * name the client's file instead of the temp path; its plain errors become `code` (default invalid_file).
 *
 * @example const set = await withUploadFile(bytes, 'csv', 'schools.csv', (path) => readFacilities(path));
 */
export async function withUploadFile<T>(bytes: Uint8Array, extension: string, fileName: string, read: (path: string) => Promise<T>, code: ErrorCode = 'invalid_file'): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lifecircle-upload-'));
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

/**
 * Gunzips an upload whose bytes are gzip (`.geojson.gz`, `.csv.gz`), dropping `.gz` from its name; other
 * uploads pass through. A damaged or cut-off archive is a 422 saying so.
 *
 * @example const { bytes, fileName } = gunzipUpload(raw, 'population.csv.gz');
 */
export function gunzipUpload(bytes: Uint8Array, fileName: string): { bytes: Uint8Array; fileName: string } {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return { bytes, fileName };
  try {
    return { bytes: gunzipSync(bytes), fileName: fileName.replace(/\.gz$/i, '') };
  } catch (e) {
    const reason = (e as Error).message;
    throw new AppError('invalid_file', `${fileName}: gzip data is ${/unexpected end/i.test(reason) ? 'truncated' : 'corrupt'} (${reason})`, { expected: 'complete gzip data', found: 'truncated or corrupt gzip' });
  }
}

/** The bytes of a JSON value, for a reader that wants a file. */
export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

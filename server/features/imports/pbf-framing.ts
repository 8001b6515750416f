import { AppError } from '../../app/app-error.ts';

function varint(b: Uint8Array, at: number): [number, number] {
  let v = 0, shift = 0, p = at;
  for (;;) {
    if (p >= b.length) throw new Error('varint runs past the header');
    const byte = b[p++];
    v += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [v, p];
    shift += 7;
    if (shift > 49) throw new Error('varint too long');
  }
}

/** The `datasize` (field 3) of an OSM BlobHeader message. */
function blobDataSize(h: Uint8Array): number {
  let p = 0, size = -1;
  while (p < h.length) {
    const [key, q] = varint(h, p);
    const field = Math.floor(key / 8), wire = key % 8;
    if (wire === 0) {
      const [v, r] = varint(h, q);
      if (field === 3) size = v;
      p = r;
    } else if (wire === 2) {
      const [len, r] = varint(h, q);
      p = r + len;
    } else {
      throw new Error(`unexpected wire type ${wire}`);
    }
  }
  if (size < 0) throw new Error('no datasize');
  return size;
}

/**
 * Walks the blob framing of an OSM PBF file (4-byte length, BlobHeader, blob) to the last byte, since the
 * parser stops quietly at a cut-off blob and a truncated extract would import as a smaller network.
 *
 * @example checkPbfFraming(bytes, 'county.osm.pbf');
 */
export function checkPbfFraming(bytes: Uint8Array, fileName: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0, blob = 0;
  while (p < bytes.length) {
    const fail = (why: string) => new AppError('invalid_file', `${fileName}: not a complete OSM PBF file: blob ${blob} at byte ${p} ${why} (truncated?)`, { expected: 'complete OSM PBF', found: 'truncated or damaged PBF' });
    if (p + 4 > bytes.length) throw fail('has no complete header length');
    const headerLength = view.getUint32(p);
    if (headerLength > 64 * 1024 || p + 4 + headerLength > bytes.length) throw fail(`declares a ${headerLength}-byte header, ${bytes.length - p - 4} bytes remain`);
    let size: number;
    try {
      size = blobDataSize(bytes.subarray(p + 4, p + 4 + headerLength));
    } catch (e) {
      throw fail(`has an unreadable header (${(e as Error).message})`);
    }
    const end = p + 4 + headerLength + size;
    if (end > bytes.length) throw fail(`declares ${size} bytes of data, ${bytes.length - p - 4 - headerLength} remain`);
    p = end;
    blob++;
  }
}

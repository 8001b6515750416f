/**
 * Byte-stable writers: JSON in a fixed key order (the order objects are built in), one feature per line, and
 * gzip at level 9, whose header carries no timestamp in Node's zlib.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** A FeatureCollection with a `metadata` member, one feature per line so diffs stay readable. */
export function featureCollectionText(metadata: Record<string, unknown>, features: unknown[]): string {
  const head = `{"type":"FeatureCollection","metadata":${JSON.stringify(metadata)},"features":[`;
  return `${head}\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

/** Writes `text` to `dir/name` (gzipped when the name ends in .gz) and returns the bytes written. */
export function writeOutput(dir: string, name: string, text: string): number {
  const raw = Buffer.from(text, 'utf8');
  const buf = name.endsWith('.gz') ? zlib.gzipSync(raw, { level: 9 }) : raw;
  fs.writeFileSync(path.join(dir, name), buf);
  return buf.length;
}

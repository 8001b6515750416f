// Node ships a GBK decoder (WHATWG TextDecoder, full ICU) but no encoder; inverting the decoder over every
// two-byte code gives the encoder without a new package.
let table: Map<number, number> | undefined;

function gbkTable(): Map<number, number> {
  if (table) return table;
  const decoder = new TextDecoder('gbk', { fatal: true });
  const map = new Map<number, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      let s: string;
      try {
        s = decoder.decode(pair);
      } catch {
        continue;
      }
      // keep the first code for a character; GBK has a few duplicates
      if (s.length === 1 && !map.has(s.charCodeAt(0))) map.set(s.charCodeAt(0), (lead << 8) | trail);
    }
  }
  // the one single-byte code above ASCII: WHATWG and Windows code page 936 put the euro sign at 0x80
  map.set(0x20ac, 0x80);
  return (table = map);
}

/**
 * Encodes text as GBK (code page 936), the encoding of older Chinese shapefiles; characters GBK lacks become '?'.
 *
 * @example encodeGbk('九龙街道') // Uint8Array [0xbe, 0xc5, 0xc1, 0xfa, 0xbd, 0xd6, 0xb5, 0xc0]
 */
export function encodeGbk(text: string): Uint8Array {
  const map = gbkTable();
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const code = map.get(c);
      if (code === undefined) out.push(0x3f);
      else if (code > 0xff) out.push(code >> 8, code & 0xff);
      else out.push(code);
    }
  }
  return Uint8Array.from(out);
}

/**
 * Whether every character of `text` has a GBK code.
 *
 * @example isGbkEncodable('九龙街道') // true
 */
export function isGbkEncodable(text: string): boolean {
  const map = gbkTable();
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 && !map.has(c)) return false;
  }
  return true;
}

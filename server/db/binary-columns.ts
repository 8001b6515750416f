/** Typed-array kinds a packed column may hold. */
type ColumnArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

const KINDS = {
  f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array,
} as const;
type Kind = keyof typeof KINDS;

const MAGIC = 'LCB1';

interface ColumnEntry {
  name: string;
  kind: Kind;
  length: number;
  offset: number;
}

function kindOf(a: ColumnArray): Kind {
  for (const [k, ctor] of Object.entries(KINDS)) if (a instanceof ctor) return k as Kind;
  throw new Error(`binary columns: unsupported array type ${Object.prototype.toString.call(a)}`);
}

/**
 * Packs named typed arrays and a small JSON header into one buffer (magic, header length, header, then each
 * column 8-byte aligned), so a grid or road network is one bytea value that unpacks without parsing.
 *
 * @example const buf = packColumns({ cellSize: 100 }, { population: new Float64Array([3, 4]) });
 */
export function packColumns(header: Record<string, unknown>, columns: Record<string, ColumnArray>): Buffer {
  const entries: ColumnEntry[] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(columns)) {
    entries.push({ name, kind: kindOf(array), length: array.length, offset });
    offset += Math.ceil(array.byteLength / 8) * 8;
  }
  const json = Buffer.from(JSON.stringify({ ...header, columns: entries }), 'utf8');
  const start = Math.ceil((8 + json.length) / 8) * 8;
  const out = Buffer.alloc(start + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  for (const e of entries) {
    const a = columns[e.name];
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, start + e.offset);
  }
  return out;
}

/** What `packColumns` packed: the header and each column as a fresh, aligned typed array. */
export interface UnpackedColumns {
  header: Record<string, unknown>;
  column<K extends Kind>(name: string, kind: K): InstanceType<(typeof KINDS)[K]>;
}

/**
 * Reverses `packColumns`; a damaged or foreign buffer fails with a message saying which.
 *
 * @example const population = unpackColumns(buf).column('population', 'f64');
 */
export function unpackColumns(buf: Uint8Array, what = 'packed data'): UnpackedColumns {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${what}: expected ${MAGIC} packed columns, found other bytes`);
  const jsonLength = bytes.readUInt32LE(4);
  const parsed = JSON.parse(bytes.toString('utf8', 8, 8 + jsonLength)) as Record<string, unknown> & { columns: ColumnEntry[] };
  const start = Math.ceil((8 + jsonLength) / 8) * 8;
  const byName = new Map(parsed.columns.map((e) => [e.name, e]));
  const { columns: _columns, ...header } = parsed;
  return {
    header,
    column<K extends Kind>(name: string, kind: K) {
      const e = byName.get(name);
      if (!e) throw new Error(`${what}: column '${name}' is missing`);
      if (e.kind !== kind) throw new Error(`${what}: column '${name}' holds ${e.kind}, expected ${kind}`);
      const ctor = KINDS[kind];
      const byteLength = e.length * ctor.BYTES_PER_ELEMENT;
      if (start + e.offset + byteLength > bytes.length) throw new Error(`${what}: column '${name}' is truncated`);
      // copy into a fresh buffer: the driver's Buffer need not be aligned for Float64Array
      const copy = new Uint8Array(byteLength);
      copy.set(bytes.subarray(start + e.offset, start + e.offset + byteLength));
      return new ctor(copy.buffer) as InstanceType<(typeof KINDS)[K]>;
    },
  };
}

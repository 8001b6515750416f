// Reads an OSM PBF in a worker thread, block by block with the `pbf` protobuf reader straight into typed
// arrays (no object per node: 1.6–4× faster than osm-pbf-parser's streams, which tests/pbf-reader.test.ts
// keeps as the oracle). In a worker so a pathological file costs this thread, never the caller's.
// Plain JavaScript so it runs under node, tsx, vitest and the compiled CLI alike.
// Posts { lon, lat, ways, nodes, rawWays } (lon/lat transferred) or { error }.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { parentPort, workerData } from 'node:worker_threads';
import { PbfReader } from 'pbf';

// the format caps a block at 32 MiB uncompressed and a header at 64 KiB: inflate or read no further
const MAX_BLOCK = 32 * 1024 * 1024;
const MAX_HEADER = 64 * 1024;
// as osm-pbf-parser scales them, so coordinates match it to the bit
const NANO = 1e-9;

function readExactly(fd, length, position, what) {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) throw new Error(`file truncated: ${what} at byte ${position} declares ${length} bytes, ${got} present`);
    got += n;
  }
  return buf;
}

function blobHeader(buf) {
  const h = { type: '', datasize: -1 };
  new PbfReader(buf).readFields((tag, o, p) => {
    if (tag === 1) o.type = p.readString();
    else if (tag === 3) o.datasize = p.readVarint();
  }, h);
  return h;
}

function blobData(buf, type) {
  const b = { raw: null, zlib: null, rawSize: -1, other: 0 };
  new PbfReader(buf).readFields((tag, o, p) => {
    if (tag === 1) o.raw = p.readBytes();
    else if (tag === 2) o.rawSize = p.readVarint();
    else if (tag === 3) o.zlib = p.readBytes();
    else if (tag >= 4 && tag <= 7) { o.other = tag; p.skip(p.type); }
  }, b);
  if (b.raw) return b.raw;
  if (!b.zlib) throw new Error(`block ${type || '?'} is not zlib-compressed (raw, lzma or empty blocks are not read)`);
  try {
    return inflateSync(b.zlib, { maxOutputLength: MAX_BLOCK });
  } catch (e) {
    throw e.code === 'ERR_BUFFER_TOO_LARGE' ? new Error(`a block inflates past ${MAX_BLOCK} bytes, the format's limit`) : new Error(`block ${type}: ${e.message}`);
  }
}

// ---- the whole file's nodes and highway ways
let lon = new Float64Array(1 << 16), lat = new Float64Array(1 << 16), ids = new Float64Array(1 << 16), n = 0;
// extracts list nodes by ascending id: refs are then found by binary search, no Map of every node
let ascending = true;
const rawWays = [];

function pushNode(id, x, y) {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  if (n === lon.length) {
    const l2 = new Float64Array(n * 2), a2 = new Float64Array(n * 2), i2 = new Float64Array(n * 2);
    l2.set(lon); a2.set(lat); i2.set(ids); lon = l2; lat = a2; ids = i2;
  }
  if (n > 0 && id <= ids[n - 1]) ascending = false;
  lon[n] = x; lat[n] = y; ids[n] = id;
  n++;
}

/** index of each node id (the last node of an id wins, as a Map filled in file order would) */
function nodeIndex() {
  if (ascending) {
    return (id) => {
      let lo = 0, hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1, v = ids[mid];
        if (v < id) lo = mid + 1; else if (v > id) hi = mid - 1; else return mid;
      }
      return undefined;
    };
  }
  const index = new Map();
  for (let i = 0; i < n; i++) index.set(ids[i], i);
  return (id) => index.get(id);
}

function packedEnd(p) {
  const len = p.readVarint();
  return p.pos + len;
}

function readDense(p, block) {
  const end = packedEnd(p);
  // the id, lat and lon lists are read in step from their own positions: no array per block
  let idAt = -1, idEnd = -1, latAt = -1, latEnd = -1, lonAt = -1, lonEnd = -1;
  while (p.pos < end) {
    const val = p.readVarint(), tag = val >> 3;
    if (tag === 1) { idEnd = packedEnd(p); idAt = p.pos; p.pos = idEnd; }
    else if (tag === 8) { latEnd = packedEnd(p); latAt = p.pos; p.pos = latEnd; }
    else if (tag === 9) { lonEnd = packedEnd(p); lonAt = p.pos; p.pos = lonEnd; }
    else p.skip(val & 7);
  }
  if (idAt < 0) return;
  if (latAt < 0 || lonAt < 0) throw new Error('dense nodes without latitudes or longitudes');
  let id = 0, y = 0, x = 0;
  while (idAt < idEnd) {
    if (latAt >= latEnd || lonAt >= lonEnd) throw new Error('dense nodes with fewer latitudes or longitudes than ids');
    p.pos = idAt; id += p.readSVarint(); idAt = p.pos;
    p.pos = latAt; y += p.readSVarint(); latAt = p.pos;
    p.pos = lonAt; x += p.readSVarint(); lonAt = p.pos;
    pushNode(id, block.lonOffset + block.granularity * x, block.latOffset + block.granularity * y);
  }
  if (latAt < latEnd || lonAt < lonEnd) throw new Error('dense nodes with more latitudes or longitudes than ids');
  p.pos = end;
}

function readNode(p, block) {
  const end = packedEnd(p);
  let id = 0, y = 0, x = 0;
  while (p.pos < end) {
    const val = p.readVarint(), tag = val >> 3;
    if (tag === 1) id = p.readSVarint();
    else if (tag === 8) y = p.readSVarint();
    else if (tag === 9) x = p.readSVarint();
    else p.skip(val & 7);
  }
  pushNode(id, block.lonOffset + block.granularity * x, block.latOffset + block.granularity * y);
}

function readWay(p, strings) {
  const end = packedEnd(p);
  let id = 0;
  const keys = [], vals = [], refs = [];
  while (p.pos < end) {
    const val = p.readVarint(), tag = val >> 3;
    if (tag === 1) id = p.readVarint();
    else if (tag === 2) { const e = packedEnd(p); while (p.pos < e) keys.push(p.readVarint()); }
    else if (tag === 3) { const e = packedEnd(p); while (p.pos < e) vals.push(p.readVarint()); }
    else if (tag === 8) { const e = packedEnd(p); let r = 0; while (p.pos < e) { r += p.readSVarint(); refs.push(r); } }
    else p.skip(val & 7);
  }
  // only roads are kept: look for the highway key before building any tag object
  if (strings.highway === undefined || !keys.includes(strings.highway)) return;
  const tags = {};
  for (let i = 0; i < keys.length; i++) {
    const k = strings.list[keys[i]], v = strings.list[vals[i]];
    if (k === undefined || v === undefined) throw new Error(`way ${id}: tag index ${keys[i]}/${vals[i]} outside the block's ${strings.list.length} strings`);
    tags[k] = v;
  }
  rawWays.push({ refs, tags, id });
}

function readPrimitiveBlock(buf) {
  const p = new PbfReader(buf);
  const block = { granularity: NANO * 100, latOffset: 0, lonOffset: 0 };
  const strings = { list: [], highway: undefined };
  const groups = [];
  while (p.pos < p.length) {
    const val = p.readVarint(), tag = val >> 3;
    if (tag === 1) {
      const end = packedEnd(p);
      while (p.pos < end) {
        const v = p.readVarint();
        if (v >> 3 === 1) {
          const s = p.readString();
          if (s === 'highway') strings.highway = strings.list.length;
          strings.list.push(s);
        } else p.skip(v & 7);
      }
    } else if (tag === 2) {
      // groups after the block's scalars may still follow: read them once those are known
      const len = p.readVarint();
      groups.push([p.pos, p.pos + len]);
      p.pos += len;
    } else if (tag === 17) block.granularity = NANO * p.readVarint();
    else if (tag === 19) block.latOffset = NANO * p.readVarint(true);
    else if (tag === 20) block.lonOffset = NANO * p.readVarint(true);
    else p.skip(val & 7);
  }
  for (const [start, end] of groups) {
    p.pos = start;
    while (p.pos < end) {
      const val = p.readVarint(), tag = val >> 3;
      if (tag === 1) readNode(p, block);
      else if (tag === 2) readDense(p, block);
      else if (tag === 3) readWay(p, strings);
      else p.skip(val & 7);
    }
  }
}

try {
  const fd = openSync(workerData.path, 'r');
  try {
    const size = fstatSync(fd).size;
    let pos = 0;
    while (pos < size) {
      const head = readExactly(fd, 4, pos, 'a block length');
      const headerLength = head.readUInt32BE(0);
      if (headerLength > MAX_HEADER) throw new Error(`a block header at byte ${pos} declares ${headerLength} bytes, past the format's ${MAX_HEADER}`);
      const header = blobHeader(readExactly(fd, headerLength, pos + 4, 'a block header'));
      if (!(header.datasize >= 0) || header.datasize > MAX_BLOCK) throw new Error(`block ${header.type || '?'} at byte ${pos} declares ${header.datasize} bytes`);
      const blob = readExactly(fd, header.datasize, pos + 4 + headerLength, `block ${header.type}`);
      pos += 4 + headerLength + header.datasize;
      if (header.type === 'OSMData') readPrimitiveBlock(blobData(blob, header.type));
      else if (header.type === 'OSMHeader') blobData(blob, header.type);
      else throw new Error(`block type '${header.type}' is neither OSMHeader nor OSMData`);
    }
  } finally {
    closeSync(fd);
  }
  const ways = [];
  const indexOf = nodeIndex();
  for (const w of rawWays) {
    const nodes = [];
    // an extract cut at its boundary keeps ways whose far nodes are gone: keep the part we have
    for (const r of w.refs) { const k = indexOf(r); if (k !== undefined) nodes.push(k); }
    if (nodes.length >= 2) ways.push({ nodes, tags: w.tags, id: w.id });
  }
  const l = lon.slice(0, n), a = lat.slice(0, n);
  parentPort.postMessage({ lon: l, lat: a, ways, nodes: n, rawWays: rawWays.length }, [l.buffer, a.buffer]);
} catch (e) {
  parentPort.postMessage({ error: String(e && e.message ? e.message : e) });
}

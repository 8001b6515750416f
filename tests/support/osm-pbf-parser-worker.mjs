// Reads an OSM PBF in a worker thread: osm-pbf-parser throws from zlib callbacks on corrupt blocks, which
// would take the whole process down; here a throw ends this worker only. Plain JavaScript so it runs under
// node, tsx and vitest alike. Posts { lon, lat, ways } (lon/lat transferred) or { error }.
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const parseOSM = require('osm-pbf-parser');
const zlib = require('node:zlib');

// the PBF format caps a block at 32 MiB uncompressed: inflate no further, so a zip bomb stops here
const MAX_BLOCK = 32 * 1024 * 1024;
parseOSM.BlobDecompressor.prototype._transform = function (chunk, _enc, cb) {
  if (!chunk.zlib_data) return cb(new Error(`block ${chunk.type ?? '?'} is not zlib-compressed (raw, lzma or empty blocks are not read)`));
  zlib.inflate(chunk.zlib_data, { maxOutputLength: MAX_BLOCK }, (err, data) => {
    if (err) return cb(err.code === 'ERR_BUFFER_TOO_LARGE' ? new Error(`a block inflates past ${MAX_BLOCK} bytes, the format's limit`) : err);
    chunk.data = data;
    delete chunk.zlib_data;
    this.push(chunk);
    cb();
  });
};

let failed = false;
// the first error is the answer; the main thread terminates this worker when it reads it
const fail = (e) => { if (!failed) { failed = true; parentPort.postMessage({ error: String(e && e.message ? e.message : e) }); } };
process.on('uncaughtException', fail);

const { path } = workerData;
// every node's position is kept: in a sorted extract nodes come before the ways that use them
const index = new Map();
let lon = new Float64Array(1 << 16), lat = new Float64Array(1 << 16), n = 0;
const rawWays = [];
const parser = parseOSM();
parser.on('error', fail);
parser.on('data', (items) => {
  for (const it of items) {
    if (it.type === 'node') {
      if (!Number.isFinite(it.lon) || !Number.isFinite(it.lat)) continue;
      if (n === lon.length) {
        const l2 = new Float64Array(n * 2), a2 = new Float64Array(n * 2);
        l2.set(lon); a2.set(lat); lon = l2; lat = a2;
      }
      lon[n] = it.lon; lat[n] = it.lat;
      index.set(it.id, n++);
    } else if (it.type === 'way' && it.tags && it.tags.highway !== undefined && it.refs) {
      rawWays.push({ refs: it.refs, tags: it.tags, id: it.id });
    }
  }
});
parser.on('end', () => {
  if (failed) return;
  const ways = [];
  for (const w of rawWays) {
    const nodes = [];
    // an extract cut at its boundary keeps ways whose far nodes are gone: keep the part we have
    for (const r of w.refs) { const k = index.get(r); if (k !== undefined) nodes.push(k); }
    if (nodes.length >= 2) ways.push({ nodes, tags: w.tags, id: w.id });
  }
  const l = lon.slice(0, n), a = lat.slice(0, n);
  parentPort.postMessage({ lon: l, lat: a, ways, nodes: n, rawWays: rawWays.length }, [l.buffer, a.buffer]);
});
createReadStream(path).on('error', fail).pipe(parser);

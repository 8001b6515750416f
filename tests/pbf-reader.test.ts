// The typed-array PBF reader (server/io/pbf-worker.mjs) against osm-pbf-parser, the library it replaced
// (tests/support/osm-pbf-parser-worker.mjs, the previous worker): the same nodes, coordinates to the bit,
// ways, node indices and tags. Files: seeded OSM XML written here and packed by osmium (dense and plain
// nodes, ascending and shuffled ids, non-road ways, refs to missing nodes), and the real extracts in
// ../shared when present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { readRoads } from '../server/io/read-roads.ts';
import { seededRandom } from './support/seeded-random.ts';

const ROOT = join(import.meta.dirname, '..');
const REAL = [
  join(ROOT, '..', 'shared', 'data', 'realworld', 'porto-alegre', 'poa_osm.pbf'),
  join(ROOT, '..', 'shared', 'data', 'realworld', 'las-palmas', 'las_palmas_2023.osm.pbf'),
];
const hasOsmium = spawnSync('osmium', ['--version']).status === 0;

interface Read { lon: Float64Array; lat: Float64Array; ways: Array<{ nodes: number[]; tags: Record<string, string>; id: number }> }

function oracle(path: string): Promise<Read> {
  return new Promise((resolve, reject) => {
    const w = new Worker(join(ROOT, 'tests', 'support', 'osm-pbf-parser-worker.mjs'), { workerData: { path } });
    w.once('message', (m) => { void w.terminate(); if (m.error) reject(new Error(m.error)); else resolve(m); });
    w.once('error', reject);
  });
}

async function expectSameAsOracle(path: string): Promise<void> {
  const [fresh, old] = await Promise.all([readRoads(path), oracle(path)]);
  expect(fresh.lon.length).toBe(old.lon.length);
  let differ = 0;
  for (let i = 0; i < old.lon.length; i++) if (!Object.is(fresh.lon[i], old.lon[i]) || !Object.is(fresh.lat[i], old.lat[i])) differ++;
  expect(differ, 'nodes whose coordinates differ in any bit').toBe(0);
  expect(fresh.ways.map((w) => ({ ...w, nodes: Array.from(w.nodes) }))).toEqual(old.ways);
}

interface Written { xml: string; nodes: Array<{ id: number; lon: number; lat: number }>; ways: Array<{ id: number; refs: number[]; tags: Record<string, string> }> }

/** Seeded OSM XML: nodes in the given id order, highway and other ways, some refs to nodes not in the file. */
function osmXml(seed: number, nodes: number, shuffled: boolean): Written {
  const written: Written = { xml: '', nodes: [], ways: [] };
  const rand = seededRandom(seed);
  const ids = Array.from({ length: nodes }, (_, i) => 1000 + i * 3);
  if (shuffled) for (let i = ids.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [ids[i], ids[j]] = [ids[j], ids[i]]; }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="lifecircle-test">'];
  for (const id of ids) {
    // coordinates at the format's 1e-7° resolution, spread over both hemispheres' signs
    const lat = (Math.round((rand() * 2 - 1) * 80e7) / 1e7).toFixed(7), lon = (Math.round((rand() * 2 - 1) * 179e7) / 1e7).toFixed(7);
    out.push(`<node id="${id}" version="1" lat="${lat}" lon="${lon}"/>`);
    written.nodes.push({ id, lon: Number(lon), lat: Number(lat) });
  }
  const kinds = ['primary', 'residential', 'footway', 'service', 'track'];
  for (let w = 0; w < Math.floor(nodes / 4); w++) {
    const refs = Array.from({ length: 2 + Math.floor(rand() * 6) }, () => (rand() < 0.05 ? 999_999 : 1000 + Math.floor(rand() * nodes) * 3));
    const tags = rand() < 0.8
      ? [['highway', kinds[Math.floor(rand() * kinds.length)]], ...(rand() < 0.3 ? [['oneway', 'yes']] : []), ...(rand() < 0.3 ? [['name', `路${w} &amp; road`]] : [])]
      : [['building', 'yes']];
    written.ways.push({ id: 5000 + w, refs, tags: Object.fromEntries(tags.map(([k, v]) => [k, v.replace('&amp;', '&')])) });
    out.push(`<way id="${5000 + w}" version="1">${refs.map((r) => `<nd ref="${r}"/>`).join('')}${tags.map(([k, v]) => `<tag k="${k}" v="${v}"/>`).join('')}</way>`);
  }
  out.push('</osm>');
  written.xml = out.join('\n');
  return written;
}

/** What the file holds by construction: every node in order, the highway ways with refs to present nodes. */
async function expectAsWritten(path: string, w: Written): Promise<void> {
  const read = await readRoads(path);
  expect(read.lon.length).toBe(w.nodes.length);
  let off = 0;
  // the format stores 1e-7° integers: the decoded double is within a rounding of the decimal written
  w.nodes.forEach((nd, i) => { if (Math.abs(read.lon[i] - nd.lon) > 1e-12 || Math.abs(read.lat[i] - nd.lat) > 1e-12) off++; });
  expect(off, 'nodes off their written position').toBe(0);
  const at = new Map(w.nodes.map((nd, i) => [nd.id, i]));
  const expected = w.ways.filter((x) => x.tags.highway !== undefined)
    .map((x) => ({ nodes: x.refs.filter((r) => at.has(r)).map((r) => at.get(r)!), tags: x.tags, id: x.id }))
    .filter((x) => x.nodes.length >= 2);
  expect(read.ways.map((x) => ({ nodes: Array.from(x.nodes), tags: x.tags, id: x.id }))).toEqual(expected);
}

function packed(xml: string, dense: boolean): string {
  // osmium keeps the input order: ids stay shuffled where the XML shuffled them
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-pbf-'));
  writeFileSync(join(dir, 'in.osm'), xml);
  const out = join(dir, 'out.osm.pbf');
  execFileSync('osmium', ['cat', join(dir, 'in.osm'), '-o', out, '-f', dense ? 'pbf' : 'pbf,pbf_dense_nodes=false', '--no-progress']);
  return out;
}

describe.skipIf(!hasOsmium)('PBF reader on files osmium packs: as written, and as osm-pbf-parser reads them', () => {
  for (const [name, nodes, shuffled, dense] of [
    ['dense nodes, ascending ids', 4000, false, true],
    ['dense nodes, shuffled ids (the Map path)', 3000, true, true],
    ['plain nodes, ascending ids', 2000, false, false],
    ['several blocks (9,000 nodes per block at most in osmium: 20,000 nodes)', 20_000, false, true],
  ] as const) {
    it(name, async () => {
      const written = osmXml(nodes, nodes, shuffled);
      const path = packed(written.xml, dense);
      await expectAsWritten(path, written);
      // osm-pbf-parser skips plain (non-dense) nodes, one reason it was replaced
      if (dense) await expectSameAsOracle(path);
    }, 60_000);
  }
});
if (!hasOsmium) describe('PBF reader on osmium-packed files', () => it.skip('osmium (Debian osmium-tool) not installed', () => undefined));

describe('PBF reader equals osm-pbf-parser on the real extracts', () => {
  for (const path of REAL) {
    it.skipIf(!existsSync(path))(path.split('/').at(-1)!, async () => {
      await expectSameAsOracle(path);
    }, 60_000);
  }
});

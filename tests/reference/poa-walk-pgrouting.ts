/*
 * Independent reference for the Porto Alegre walking analysis, built only from osmium, osm2pgrouting,
 * PostGIS and pgRouting (nothing from analysis/), so it can check the engine rather than echo it.
 *
 * 1. osmium keeps the walkable ways: tags-filter on the highway classes, drops foot=no with -i, splits off
 *    ways with access=no|private and merges back only those with foot=yes|designated|permissive; the
 *    result is written as .osm XML because osm2pgrouting reads only XML.
 * 2. osm2pgrouting imports it with a mapconfig listing exactly those highway classes into schema
 *    poa_walk_ref (dropped and recreated each run); it splits ways at shared nodes. Its length and cost
 *    columns and one-way flags are ignored: walking is undirected and an edge costs
 *    ST_Length(geom::geography, false) / (walkKmh / 3.6) seconds (sphere, like haversine).
 * 3. Every facility (hexagon with healthcare > 0) and every origin (all hexagons) snaps to the nearest
 *    edge by spherical geography distance within maxSnapMeters, ties to the lower edge id; the position
 *    along it is found in the local UTM zone. A facility hexagon is snapped twice, once per role.
 * 4. Snapped edges are split at those positions (pieces costed by their own spherical length); each
 *    point gets its own vertex joined to its split vertex by a "leg" edge costing distance / speed. An
 *    origin and a facility on the same edge are then joined directly by the pieces between them.
 * 5. pgr_drivingDistance(undirected) from all facility vertices with limit minutes * 60; an origin's time
 *    is the minimum agg_cost at its vertex: facility leg + network + origin leg. Not reached: null.
 *    equicost := true would give that minimum directly, but pgRouting 3.4.2 returns larger costs for some
 *    nodes with many starts, so the minimum is taken in SQL, checked against a single tree from a super
 *    source, and the equicost discrepancy is reported in `notes`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The schema the reference owns; dropped and rebuilt on every run, so two runs must not overlap. */
export const POA_WALK_SCHEMA = 'poa_walk_ref';

/** Highway classes a pedestrian may use, the same list the engine's walk profile uses. */
export const WALK_HIGHWAYS = [
  'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link', 'tertiary', 'tertiary_link',
  'unclassified', 'residential', 'living_street', 'service', 'track', 'road', 'pedestrian', 'footway', 'path',
  'steps', 'cycleway', 'bridleway', 'corridor',
] as const;

export interface PoaWalkReferenceOptions {
  pbfPath: string;
  hexCsvPath: string;
  minutes: number;
  walkKmh: number;
  maxSnapMeters: number;
}

export interface PoaWalkReferenceHexagon {
  id: string;
  lon: number;
  lat: number;
  population: number;
  /** walking seconds to the nearest healthcare hexagon, null when unreachable within the limit */
  seconds: number | null;
}

export interface PoaWalkReference {
  hexagons: PoaWalkReferenceHexagon[];
  coveredPopulation: number;
  totalPopulation: number;
  /** routable edges osm2pgrouting imported (ways split at shared nodes) */
  edgeCount: number;
  notes: string;
}

interface HexRow {
  id: string;
  lon: number;
  lat: number;
  population: number;
  healthcare: number;
}

/**
 * Walking time from every Porto Alegre hexagon to its nearest healthcare hexagon, computed by pgRouting.
 *
 * @example
 * const ref = await computePoaWalkReference(url, { pbfPath, hexCsvPath, minutes: 15, walkKmh: 4.5, maxSnapMeters: 500 });
 * console.log(ref.coveredPopulation / ref.totalPopulation);
 */
export async function computePoaWalkReference(pgUrl: string, opts: PoaWalkReferenceOptions): Promise<PoaWalkReference> {
  const { pbfPath, hexCsvPath, minutes, walkKmh, maxSnapMeters } = opts;
  if (!(minutes > 0) || !(walkKmh > 0) || !(maxSnapMeters >= 0)) {
    throw new Error(`expected minutes > 0, walkKmh > 0, maxSnapMeters >= 0, found ${minutes}, ${walkKmh}, ${maxSnapMeters}`);
  }
  const hexes = readHexCsv(hexCsvPath);
  const work = mkdtempSync(join(tmpdir(), 'poa-walk-ref-'));
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const t0 = performance.now();
    const osmPath = await filterWalkableWays(pbfPath, work);
    const t1 = performance.now();
    await client.query(`DROP SCHEMA IF EXISTS ${POA_WALK_SCHEMA} CASCADE; CREATE SCHEMA ${POA_WALK_SCHEMA}`);
    await importWithOsm2pgrouting(pgUrl, osmPath, work);
    const t2 = performance.now();
    const result = await route(client, hexes, minutes, walkKmh / 3.6, maxSnapMeters);
    const t3 = performance.now();
    const ms = (a: number, b: number) => `${((b - a) / 1000).toFixed(1)} s`;
    result.notes += `\ntimings: osmium ${ms(t0, t1)}, osm2pgrouting ${ms(t1, t2)}, snapping and routing ${ms(t2, t3)}`;
    return result;
  } finally {
    await client.end();
    rmSync(work, { recursive: true, force: true });
  }
}

function readHexCsv(path: string): HexRow[] {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${path}: expected column "${name}", found ${header.join(',')}`);
    return i;
  };
  const [id, lon, lat, population, healthcare] = ['id', 'lon', 'lat', 'population', 'healthcare'].map(col);
  return lines.slice(1).map((line) => {
    const f = line.split(',');
    return { id: f[id], lon: Number(f[lon]), lat: Number(f[lat]), population: Number(f[population]), healthcare: Number(f[healthcare]) };
  });
}

// tags-filter cannot AND two tags, so "access=no|private unless foot=yes|..." is a split and a merge;
// -R everywhere because tags-filter's pass for referenced nodes costs ~1.5 s a call; nodes come from cat
async function filterWalkableWays(pbfPath: string, work: string): Promise<string> {
  const p = (name: string): string => join(work, name);
  const osmium = (...args: string[]) => run('osmium', [...args, '--overwrite'], { maxBuffer: 16 << 20 });
  await osmium('cat', '-t', 'node', pbfPath, '-o', p('nodes.osm.pbf'));
  await osmium('tags-filter', '-R', pbfPath, `w/highway=${WALK_HIGHWAYS.join(',')}`, '-o', p('highway.osm.pbf'));
  await osmium('tags-filter', '-R', '-i', p('highway.osm.pbf'), 'w/foot=no', '-o', p('foot.osm.pbf'));
  await osmium('tags-filter', '-R', '-i', p('foot.osm.pbf'), 'w/access=no,private', '-o', p('open.osm.pbf'));
  await osmium('tags-filter', '-R', p('foot.osm.pbf'), 'w/access=no,private', '-o', p('restricted.osm.pbf'));
  await osmium('tags-filter', '-R', p('restricted.osm.pbf'), 'w/foot=yes,designated,permissive', '-o', p('allowed.osm.pbf'));
  // osm2pgrouting reads only XML and ignores nodes no way uses
  await osmium('merge', p('nodes.osm.pbf'), p('open.osm.pbf'), p('allowed.osm.pbf'), '-o', p('walk.osm'));
  return p('walk.osm');
}

async function importWithOsm2pgrouting(pgUrl: string, osmPath: string, work: string): Promise<void> {
  const config = join(work, 'mapconfig.xml');
  const values = WALK_HIGHWAYS.map((h, i) => `    <tag_value name="${h}" id="${101 + i}" />`).join('\n');
  writeFileSync(config, `<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n  <tag_name name="highway" id="1">\n${values}\n  </tag_name>\n</configuration>\n`);
  const url = new URL(pgUrl);
  const args = [
    '-f', osmPath, '-c', config, '--schema', POA_WALK_SCHEMA, '--clean',
    '-d', decodeURIComponent(url.pathname.slice(1)),
    '-U', decodeURIComponent(url.username || 'postgres'),
    '-h', url.searchParams.get('host') || url.hostname || 'localhost',
    '-p', url.port || '5432',
  ];
  const env = { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) };
  try {
    await run('osm2pgrouting', args, { env, maxBuffer: 64 << 20 });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`osm2pgrouting failed: ${e.message}\n${e.stderr ?? ''}${(e.stdout ?? '').slice(-2000)}`);
  }
}

async function route(client: pg.Client, hexes: HexRow[], minutes: number, speed: number, maxSnap: number): Promise<PoaWalkReference> {
  const s = POA_WALK_SCHEMA;
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
  const edgeCount = Number((await q(`SELECT count(*) AS n FROM ${s}.ways`)).rows[0].n);
  // osm2pgrouting can exit 0 having imported nothing
  if (edgeCount === 0) throw new Error(`osm2pgrouting imported 0 edges into ${s}.ways, expected the walkable network`);

  // UTM zone of the data: a conformal metric plane for locating the nearest point along an edge
  const lon0 = hexes.reduce((a, h) => a + h.lon, 0) / hexes.length;
  const lat0 = hexes.reduce((a, h) => a + h.lat, 0) / hexes.length;
  const utm = (lat0 < 0 ? 32700 : 32600) + Math.floor((lon0 + 180) / 6) + 1;

  await q(`CREATE TABLE ${s}.hex AS
    SELECT ord, id, lon, lat, population, healthcare, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom
    FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[]) WITH ORDINALITY
      AS t(id, lon, lat, population, healthcare, ord)`,
    [hexes.map((h) => h.id), hexes.map((h) => h.lon), hexes.map((h) => h.lat), hexes.map((h) => h.population), hexes.map((h) => h.healthcare)]);

  await q(`CREATE TABLE ${s}.edge AS
    SELECT gid AS id, source, target, the_geom AS geom, the_geom::geography AS geog,
           ST_Transform(the_geom, ${utm}) AS geom_m, ST_Length(the_geom::geography, false) AS len_m
    FROM ${s}.ways`);
  await q(`CREATE INDEX ON ${s}.edge USING gist (geog)`);
  await q(`ANALYZE ${s}.edge`);

  // one row per role: a facility hexagon is also an origin, with its own leg
  await q(`CREATE TABLE ${s}.pt AS
    SELECT row_number() OVER (ORDER BY h.ord, r.role)::bigint AS pid, h.id AS hex_id, r.role, h.geom
    FROM ${s}.hex h CROSS JOIN (VALUES ('facility'), ('origin')) AS r(role)
    WHERE r.role = 'origin' OR h.healthcare > 0`);

  await q(`CREATE TABLE ${s}.snap AS
    SELECT p.pid, p.role, p.hex_id, n.id AS edge_id, n.frac,
           ST_Distance(p.geom::geography, ST_Transform(ST_LineInterpolatePoint(n.geom_m, n.frac), 4326)::geography, false) AS leg_m
    FROM ${s}.pt p CROSS JOIN LATERAL (
      SELECT e.id, e.geom_m, ST_LineLocatePoint(e.geom_m, ST_Transform(p.geom, ${utm})) AS frac
      FROM ${s}.edge e
      WHERE ST_DWithin(e.geog, p.geom::geography, $1, false)
      ORDER BY ST_Distance(e.geog, p.geom::geography, false), e.id
      LIMIT 1
    ) n`, [maxSnap]);

  // new vertex ids above osm2pgrouting's: split vertex base + pid, point vertex base + npt + pid
  const base = Number((await q(`SELECT coalesce(max(id), 0) AS m FROM ${s}.ways_vertices_pgr`)).rows[0].m);
  const npt = Number((await q(`SELECT count(*) AS n FROM ${s}.pt`)).rows[0].n);
  const pointVertex = base + npt;
  await q(`CREATE TABLE ${s}.net (id bigserial PRIMARY KEY, source bigint, target bigint, cost float8, kind text)`);
  await q(`INSERT INTO ${s}.net (source, target, cost, kind)
    SELECT source, target, len_m / $1, 'edge' FROM ${s}.edge WHERE id NOT IN (SELECT edge_id FROM ${s}.snap)`, [speed]);
  // a snapped edge becomes the chain source -> cut -> ... -> target, cuts ordered by position
  await q(`WITH cuts AS (
      SELECT e.id AS edge_id, 0::float8 AS frac, 0::bigint AS k, e.source AS v
        FROM ${s}.edge e WHERE e.id IN (SELECT edge_id FROM ${s}.snap)
      UNION ALL
      SELECT edge_id, frac, row_number() OVER (PARTITION BY edge_id ORDER BY frac, pid), $2::bigint + pid FROM ${s}.snap
      UNION ALL
      SELECT e.id, 1, 9223372036854775807, e.target FROM ${s}.edge e WHERE e.id IN (SELECT edge_id FROM ${s}.snap)
    ), pieces AS (
      SELECT edge_id, frac AS f0, v AS v0, lead(frac) OVER w AS f1, lead(v) OVER w AS v1
      FROM cuts WINDOW w AS (PARTITION BY edge_id ORDER BY k)
    )
    INSERT INTO ${s}.net (source, target, cost, kind)
      SELECT p.v0, p.v1,
             CASE WHEN p.f1 > p.f0
               THEN ST_Length(ST_Transform(ST_LineSubstring(e.geom_m, p.f0, p.f1), 4326)::geography, false) / $1
               ELSE 0 END,
             'piece'
      FROM pieces p JOIN ${s}.edge e ON e.id = p.edge_id WHERE p.v1 IS NOT NULL`, [speed, base]);
  await q(`INSERT INTO ${s}.net (source, target, cost, kind)
    SELECT $3::bigint + pid, $2::bigint + pid, leg_m / $1, 'leg' FROM ${s}.snap`, [speed, base, pointVertex]);
  await q(`ANALYZE ${s}.net`);

  const limit = minutes * 60;
  const starts = (await q(`SELECT ARRAY(SELECT $1::bigint + pid FROM ${s}.snap WHERE role = 'facility' ORDER BY pid) AS v`, [pointVertex]))
    .rows[0].v as string[];
  const edgesSql = `SELECT id, source, target, cost FROM ${s}.net`;
  await q(`CREATE TABLE ${s}.reach AS
    SELECT node, min(agg_cost) AS seconds
    FROM pgr_drivingDistance($1, $2::bigint[], $3, directed := false) GROUP BY node`, [edgesSql, starts, limit]);
  const times = await q(`
    SELECT h.ord, r.seconds
    FROM ${s}.hex h
    LEFT JOIN ${s}.pt p ON p.hex_id = h.id AND p.role = 'origin'
    LEFT JOIN ${s}.reach r ON r.node = $1::bigint + p.pid
    ORDER BY h.ord`, [pointVertex]);

  // cross-checks on every reached node: a super source tied to each facility at cost 0 must agree exactly;
  // equicost is only measured
  const superSource = base + 2 * npt + 1;
  const superSql = `${edgesSql} UNION ALL
    SELECT (SELECT max(id) FROM ${s}.net) + pid, ${superSource}, ${pointVertex} + pid, 0 FROM ${s}.snap WHERE role = 'facility'`;
  const compare = async (otherSql: string, params: unknown[]) => (await q(`
    SELECT count(*) FILTER (WHERE a.seconds IS NULL OR b.cost IS NULL OR abs(a.seconds - b.cost) > 1e-6) AS differ,
           coalesce(max(b.cost - a.seconds), 0) AS worst
    FROM ${s}.reach a FULL JOIN (${otherSql}) b USING (node)
    WHERE node <> ${superSource}`, params)).rows[0] as { differ: string; worst: number };
  const viaSuper = await compare(`SELECT node, agg_cost AS cost FROM pgr_drivingDistance($1, ${superSource}::bigint, $2, directed := false)`, [superSql, limit]);
  if (Number(viaSuper.differ) !== 0) {
    throw new Error(`the minimum over per-facility trees and the super-source tree should agree, found ${viaSuper.differ} nodes differ`);
  }
  const viaEquicost = await compare(
    `SELECT node, agg_cost AS cost FROM pgr_drivingDistance($1, $2::bigint[], $3, directed := false, equicost := true)`,
    [edgesSql, starts, limit],
  );

  const seconds = new Map<number, number>();
  for (const r of times.rows as Array<{ ord: string; seconds: number | null }>) {
    if (r.seconds !== null) seconds.set(Number(r.ord), r.seconds);
  }
  const hexagons = hexes.map((h, i) => {
    const t = seconds.get(i + 1);
    return { id: h.id, lon: h.lon, lat: h.lat, population: h.population, seconds: t !== undefined && t <= limit ? t : null };
  });
  const totalPopulation = hexagons.reduce((a, h) => a + h.population, 0);
  const coveredPopulation = hexagons.reduce((a, h) => a + (h.seconds !== null ? h.population : 0), 0);

  const stats = (await q(`SELECT
      (SELECT count(*) FROM ${s}.pt WHERE role = 'facility') AS facilities,
      (SELECT count(*) FROM ${s}.snap WHERE role = 'facility') AS facilities_snapped,
      (SELECT count(*) FROM ${s}.pt WHERE role = 'origin') - (SELECT count(*) FROM ${s}.snap WHERE role = 'origin') AS origins_unsnapped,
      (SELECT count(*) FROM ${s}.net) AS net_edges,
      pgr_version() AS pgr`)).rows[0];
  const notes = [
    `osm2pgrouting edges ${edgeCount}; routed graph ${stats.net_edges} edges after splitting at snaps (positions in EPSG:${utm})`,
    `facilities ${stats.facilities} (${stats.facilities_snapped} snapped); origins not snapped within ${maxSnap} m: ${stats.origins_unsnapped}`,
    `min over per-facility trees = super-source tree on all reached nodes; pgRouting ${stats.pgr} equicost := true differs on ` +
      `${viaEquicost.differ} nodes (up to ${Number(viaEquicost.worst).toFixed(1)} s worse), so it is not used`,
  ].join('\n');
  return { hexagons, coveredPopulation, totalPopulation, edgeCount, notes };
}

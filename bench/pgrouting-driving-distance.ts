import { performance } from 'node:perf_hooks';
import pg from 'pg';

/**
 * A directed graph as column arrays: edge i runs source[i] -> target[i] at cost[i] and back at
 * reverseCost[i]. Nodes are 0-based indices; a cost of -1 (any negative) or Infinity closes that direction.
 */
export interface DrivingDistanceGraph {
  source: Int32Array;
  target: Int32Array;
  cost: Float64Array;
  reverseCost: Float64Array;
}

export interface DrivingDistanceTiming {
  bestMs: number;
  medianMs: number;
  maxMs: number;
  /** distinct nodes within `distance` of some start (without equicost pgRouting returns a row per start and node) */
  reachedNodes: number;
}

const BATCH = 50_000;

/**
 * Times pgRouting's pgr_drivingDistance on the same graph the engine searches, for a side-by-side bench.
 * pgRouting wants positive vertex ids, so node index n is vertex n + 1 and edge i is id i + 1; `starts`
 * are 0-based node indices like everywhere else in the engine. Edges closed both ways are left out.
 * The time is the client's wall time of `SELECT count(*) FROM pgr_drivingDistance(...)`, so it includes
 * pgRouting reading the edges through SQL (which it does on every call) but not shipping result rows.
 * `equicost` (default true) is pgRouting's own "nearest start only" mode. Caveat: pgRouting 3.4's
 * equicost can return costs above the true minimum with many starts; time it, but do not use its rows
 * as ground truth (equicost false plus a minimum per node is exact).
 *
 * @example
 * const { url, stop } = await startEphemeralPostgres(); // from tests/support/postgres.ts
 * try { console.log(await timePgrDrivingDistance(url, graph, [0, 42], 900)); } finally { stop(); }
 */
export async function timePgrDrivingDistance(
  pgUrl: string,
  graph: DrivingDistanceGraph,
  starts: number[],
  distance: number,
  repeats = 3,
  equicost = true,
): Promise<DrivingDistanceTiming> {
  const { source, target, cost, reverseCost } = graph;
  const m = source.length;
  if (target.length !== m || cost.length !== m || reverseCost.length !== m) {
    throw new Error(`graph arrays must have equal lengths, found source ${m}, target ${target.length}, cost ${cost.length}, reverseCost ${reverseCost.length}`);
  }
  if (starts.length === 0 || !starts.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new Error(`starts must be a non-empty list of 0-based node indices, found [${starts.slice(0, 5).join(', ')}${starts.length > 5 ? ', ...' : ''}]`);
  }
  if (!(distance > 0) || !(repeats >= 1)) throw new Error(`distance must be > 0 and repeats >= 1, found ${distance} and ${repeats}`);

  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  const table = `bench_dd_edges_${process.pid}`;
  try {
    // a temp table lives in this session, which is also where pgRouting runs the edges query
    await client.query(`CREATE TEMP TABLE ${table} (id integer, source integer, target integer, cost float8, reverse_cost float8)`);
    for (let lo = 0; lo < m; lo += BATCH) {
      const hi = Math.min(m, lo + BATCH);
      const ids: number[] = [], src: number[] = [], dst: number[] = [], fwd: number[] = [], bwd: number[] = [];
      for (let i = lo; i < hi; i++) {
        const f = open(cost[i]), b = open(reverseCost[i]);
        if (f < 0 && b < 0) continue;
        ids.push(i + 1); src.push(source[i] + 1); dst.push(target[i] + 1); fwd.push(f); bwd.push(b);
      }
      await client.query(
        `INSERT INTO ${table} SELECT * FROM unnest($1::integer[], $2::integer[], $3::integer[], $4::float8[], $5::float8[])`,
        [ids, src, dst, fwd, bwd],
      );
    }
    await client.query(`ANALYZE ${table}`);

    const call = `pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM ${table}',
      $1::bigint[], $2::float8, directed := true, equicost := $3::boolean)`;
    const params = [starts.map((s) => s + 1), distance, equicost];
    // the warm-up (plan cache, pages in memory) also counts distinct nodes, which the timed calls skip
    const warm = await client.query(`SELECT count(DISTINCT node)::integer AS n FROM ${call}`, params);
    const reachedNodes = (warm.rows[0] as { n: number }).n;
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t = performance.now();
      await client.query(`SELECT count(*) FROM ${call}`, params);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const mid = times.length >> 1;
    const medianMs = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
    return { bestMs: times[0], medianMs, maxMs: times[times.length - 1], reachedNodes };
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await client.end();
  }
}

// pgRouting reads a negative cost as "no edge this way"
function open(c: number): number {
  return Number.isFinite(c) && c >= 0 ? c : -1;
}

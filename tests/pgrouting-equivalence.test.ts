// Network travel times against pgRouting on the same graph. How the graph is built: a seeded jittered street
// lattice (tests/support/generated-network.ts) with random classes and one-way streets; its car graph's
// segments are written to PostgreSQL one row each (id, source = segA + 1, target = segB + 1, cost = the
// a→b seconds or -1 where closed, reverse_cost = the b→a seconds or -1), and pgr_drivingDistance with several
// starts gives each vertex its cost from each start; the minimum per vertex must equal the engine's
// multi-source Dijkstra within 0.1 % or 1 s. equicost => false on purpose: pgRouting 3.4's equicost answer
// is not exact (measured here: 24 of 1,571 vertices of seed 13 got a cost up to 4 % above their nearest
// start), while its per-start trees are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModeGraph } from '../analysis/network/mode-graph.ts';
import { defaultSpeedTable, type Mode } from '../analysis/network/speed-table.ts';
import { multiSourceDijkstra } from '../analysis/traveltime/multi-source-dijkstra.ts';
import { generatedNetwork } from './support/generated-network.ts';
import { seededRandom } from './support/seeded-random.ts';
import { skipMessage, testDatabaseUrl, withClient } from './support/postgres.ts';
import { costsOf } from './support/segment-costs.ts';

const url = await testDatabaseUrl();
if (!url) console.warn(skipMessage('engine vs pgr_drivingDistance on generated graphs'));

describe.skipIf(!url).each<[Mode, number, number]>([['car', 11, 300], ['walk', 12, 900], ['car', 13, Infinity]])(
  'pgRouting pgr_drivingDistance, %s graph seed %i, cut-off %s s',
  (mode, seed, cutoff) => {
    const network = generatedNetwork(seed, 40);
    const graph = buildModeGraph(network, mode, defaultSpeedTable());
    const rand = seededRandom(seed * 7);
    const starts = Array.from(new Set(Array.from({ length: 6 }, () => Math.floor(rand() * network.nodeCount))));
    const table = `eq_${mode.replace('-', '_')}_${seed}`;

    beforeAll(async () => {
      await withClient(url!, async (c) => {
        await c.query(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id int, source int, target int, cost float8, reverse_cost float8)`);
        const rows: string[] = [];
        for (let s = 0; s < network.segmentCount; s++) {
          const f = costsOf(graph).forward[s], b = costsOf(graph).backward[s];
          if (f === Infinity && b === Infinity) continue;
          rows.push(`(${s + 1},${network.segA[s] + 1},${network.segB[s] + 1},${f === Infinity ? -1 : f},${b === Infinity ? -1 : b})`);
        }
        await c.query(`INSERT INTO ${table} VALUES ${rows.join(',')}`);
      });
    });
    afterAll(async () => {
      await withClient(url!, (c) => c.query(`DROP TABLE IF EXISTS ${table}`));
    });

    it('gives every vertex the same cost to its nearest start', async () => {
      // pgRouting has no "no limit"; a distance beyond any path stands in for it
      const limit = cutoff === Infinity ? 1e9 : cutoff;
      const rows = await withClient(url!, async (c) => (await c.query(
        `SELECT node, min(agg_cost) AS agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM ${table}', $1::bigint[], $2, directed => true, equicost => false) GROUP BY node`,
        [starts.map((s) => s + 1), limit],
      )).rows as Array<{ node: string; agg_cost: number }>);
      const ours = multiSourceDijkstra(graph, {
        node: Int32Array.from(starts), cost: new Float64Array(starts.length), source: Int32Array.from(starts.map((_, i) => i)),
      }, cutoff);
      const theirs = new Map(rows.map((r) => [Number(r.node) - 1, r.agg_cost]));
      let compared = 0;
      for (let v = 0; v < network.nodeCount; v++) {
        const t = theirs.get(v);
        if (t === undefined) {
          // isolated starts may be absent from pgRouting's answer; anything else unreached must be unreached here too
          if (!starts.includes(v)) expect(ours.cost[v], `node ${v}`).toBe(Infinity);
          continue;
        }
        compared++;
        expect(Math.abs(ours.cost[v] - t), `node ${v}: ours ${ours.cost[v]} s, pgRouting ${t} s`).toBeLessThanOrEqual(Math.max(1, t * 0.001));
      }
      expect(compared).toBeGreaterThan(starts.length * 10);
    });
  },
);

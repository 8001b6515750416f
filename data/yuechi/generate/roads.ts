/**
 * Rural roads by class, chosen from the candidate graph: national (trunk) and provincial (primary) roads
 * through the county seat and town seats to the border, county roads (县道, secondary) from the county seat
 * to every town seat, township roads (乡道, tertiary) from each seat to its villages, village roads
 * (村道, unclassified) on a spanning tree of all hamlets with a few loops.
 */
import Delaunator from 'delaunator';
import { createRng } from './random.ts';
import { segmentDistance } from './frame.ts';
import { pathTo, shortestTree, spanningTree, type RoadGraph } from './road-graph.ts';
import type { Township } from './townships.ts';
import type { Settlements } from './settlements.ts';

export interface RoadLine {
  /** flat x, y in the metre frame */
  coords: number[];
  highway: string;
  name?: string;
  ref?: string;
  oneway?: boolean;
}

export const RANK: Record<string, number> = { unclassified: 1, tertiary: 2, secondary: 3, primary: 4, trunk: 5 };
const SPACING: Record<string, number> = { trunk: 150, primary: 130, secondary: 110, tertiary: 100, unclassified: 90 };
const BEND: Record<string, number> = { trunk: 0.035, primary: 0.045, secondary: 0.055, tertiary: 0.07, unclassified: 0.09 };

interface Route {
  highway: string;
  name?: string;
  ref?: string;
  start: number;
  edges: number[];
}

/** Through roads: [exit bearing in degrees from east, counter-clockwise, …]; trunk pairs pass the county seat. */
export const TRUNK_EXITS: [number, number][] = [[200, 15], [105, 285]];
export const PRIMARY_EXITS = [55, 160, 330];

/**
 * Chooses routes on the graph and returns their curved lines (not yet noded).
 * `exitNode[k]` is the node of exit k: first the trunk pairs in order, then the primary exits.
 *
 * @example const lines = buildRuralRoads(graph, zones, settlements, exitNodes, 20240601);
 */
export function buildRuralRoads(g: RoadGraph, zones: Township[], s: Settlements, exitNode: number[], seed: number): RoadLine[] {
  const rng = createRng(seed, 'roads');
  const m = g.edgeA.length;
  const rank = new Int8Array(m);
  const owner = new Int32Array(m).fill(-1);
  const routes: Route[] = [];
  const county = 0; // seats come first in the graph, in township order; 九龙街道 is the county seat
  const townSeats = zones.map((z, i) => ({ z, i })).filter(({ z }) => !z.urban);

  const claim = (r: Route) => {
    const id = routes.length;
    routes.push(r);
    for (const e of r.edges) if (RANK[r.highway] > rank[e]) { rank[e] = RANK[r.highway]; owner[e] = id; }
  };
  const costWith = (minRank: number, factor: number) => (e: number) => g.edgeCost[e] * (rank[e] >= minRank ? factor : 1);
  const legs = (nodes: number[], cost: (e: number) => number): number[] => {
    const out: number[] = [];
    for (let k = 0; k + 1 < nodes.length; k++) out.push(...pathTo(g, shortestTree(g, nodes[k], cost), nodes[k + 1]));
    return out;
  };
  // town seats lying near the straight line from a to b become waypoints, so through roads pass through towns
  const viaTowns = (a: number, b: number): number[] => {
    const near = townSeats.map(({ i }) => {
      const { d, t } = segmentDistance(g.x[i], g.y[i], g.x[a], g.y[a], g.x[b], g.y[b]);
      return { i, d, t };
    }).filter((c) => c.d < 2600 && c.t > 0.12 && c.t < 0.9).sort((p, q) => p.t - q.t);
    return near.map((c) => c.i);
  };

  // invented refs (no real road is meant): 9xx numbers are not used by the national or Sichuan plans
  const trunkNames = [['G918', '国道918线'], ['G945', '国道945线']];
  TRUNK_EXITS.forEach((_, k) => {
    const a = exitNode[2 * k], b = exitNode[2 * k + 1];
    const nodes = [a, ...viaTowns(a, county), county, ...viaTowns(county, b), b];
    claim({ highway: 'trunk', ref: trunkNames[k][0], name: trunkNames[k][1], start: a, edges: legs(nodes, costWith(5, 0.6)) });
  });
  const primaryNames = [['S903', '省道903线'], ['S904', '省道904线'], ['S905', '省道905线']];
  PRIMARY_EXITS.forEach((_, k) => {
    const b = exitNode[2 * TRUNK_EXITS.length + k];
    const nodes = [county, ...viaTowns(county, b), b];
    claim({ highway: 'primary', ref: primaryNames[k][0], name: primaryNames[k][1], start: county, edges: legs(nodes, costWith(4, 0.6)) });
  });
  // county roads: one shortest-path tree from the county seat reaches every town seat
  const fromCounty = shortestTree(g, county, costWith(3, 0.5));
  townSeats.forEach(({ z, i }, k) => {
    claim({ highway: 'secondary', ref: `X${String(k + 1).padStart(3, '0')}`, name: `岳${z.name[0]}路`, start: county, edges: pathTo(g, fromCounty, i) });
  });
  // a few town-to-town county roads where the tree makes a long detour
  const seatPts = new Float64Array(townSeats.flatMap(({ i }) => [g.x[i], g.y[i]]));
  const tri = new Delaunator(seatPts);
  const pairs: [number, number][] = [];
  for (let e = 0; e < tri.triangles.length; e++) {
    const a = townSeats[tri.triangles[e]].i, b = townSeats[tri.triangles[e % 3 === 2 ? e - 2 : e + 1]].i;
    if (a < b && Math.hypot(g.x[a] - g.x[b], g.y[a] - g.y[b]) < 11000) pairs.push([a, b]);
  }
  let links = 0;
  for (const [a, b] of rng.shuffle(pairs)) {
    if (links >= 7) break;
    const onlyMain = (e: number) => (rank[e] >= 3 ? g.edgeLen[e] : Infinity);
    const via = shortestTree(g, a, onlyMain);
    const onMain = pathTo(g, via, b).reduce((sum, e) => sum + g.edgeLen[e], 0);
    if (onMain < 1.7 * Math.hypot(g.x[a] - g.x[b], g.y[a] - g.y[b])) continue;
    links++;
    claim({ highway: 'secondary', ref: `X${100 + links}`, name: `${zones[a].name[0]}${zones[b].name[0]}路`, start: a, edges: pathTo(g, shortestTree(g, a, costWith(3, 0.5)), b) });
  }
  // township roads from each seat to most of its villages
  let yref = 0;
  zones.forEach((z, ti) => {
    const via = shortestTree(g, ti, costWith(2, 0.55));
    for (let v = 0; v < g.x.length; v++) {
      if (g.kind[v] !== 'village' || g.township[v] !== ti) continue;
      const site = s.villages[g.site[v]];
      const close = Math.hypot(g.x[v] - g.x[ti], g.y[v] - g.y[ti]) < 1500;
      if (!close && rng.chance(0.25)) continue;
      yref++;
      claim({ highway: 'tertiary', ref: `Y${String(yref).padStart(3, '0')}`, name: `${z.name[0]}${site.name.slice(0, 2)}路`.replace(/(.)\1路$/, '$1路'), start: ti, edges: pathTo(g, via, v) });
    }
  });

  // village roads: the spanning tree, plus short extra edges for loops
  const village = new Uint8Array(m);
  for (const e of spanningTree(g)) if (rank[e] === 0) village[e] = 1;
  for (let e = 0; e < m; e++) if (rank[e] === 0 && !village[e] && g.edgeLen[e] < 650 && rng.chance(0.16)) village[e] = 1;
  for (let e = 0; e < m; e++) if (village[e]) rank[e] = 1;
  const curve = edgeCurves(g, rank, seed);

  const lines: RoadLine[] = [];
  routes.forEach((r, id) => {
    let node = r.start;
    let run: number[] | null = null;
    for (const e of r.edges) {
      const forward = g.edgeA[e] === node;
      const next = forward ? g.edgeB[e] : g.edgeA[e];
      if (owner[e] === id) {
        const seg = forward ? curve[e] : reversePairs(curve[e]);
        if (!run) run = seg.slice();
        else run.push(...seg.slice(2));
      } else if (run) {
        lines.push({ coords: run, highway: r.highway, name: r.name, ref: r.ref });
        run = null;
      }
      node = next;
    }
    if (run) lines.push({ coords: run, highway: r.highway, name: r.name, ref: r.ref });
  });
  lines.push(...chainVillageRoads(g, rank, village, curve));
  return lines;
}

function reversePairs(pts: number[]): number[] {
  const out: number[] = [];
  for (let k = pts.length - 2; k >= 0; k -= 2) out.push(pts[k], pts[k + 1]);
  return out;
}

/** A gently curved polyline for every ranked edge, from edgeA to edgeB, vertices every 90–150 m. */
function edgeCurves(g: RoadGraph, rank: Int8Array, seed: number): number[][] {
  const rng = createRng(seed, 'road-curves');
  const names = Object.keys(RANK);
  const out: number[][] = [];
  for (let e = 0; e < g.edgeA.length; e++) {
    const c1 = rng.range(-1, 1), c2 = rng.range(-0.6, 0.6);
    if (rank[e] === 0) { out.push([]); continue; }
    const cls = names.find((k) => RANK[k] === rank[e])!;
    const a = g.edgeA[e], b = g.edgeB[e];
    const ax = g.x[a], ay = g.y[a], bx = g.x[b], by = g.y[b];
    const len = g.edgeLen[e];
    const n = Math.max(1, Math.round(len / SPACING[cls]));
    const nx = -(by - ay) / len, ny = (bx - ax) / len;
    const pts: number[] = [ax, ay];
    for (let k = 1; k < n; k++) {
      const t = k / n;
      const off = len * BEND[cls] * (c1 * Math.sin(Math.PI * t) + c2 * Math.sin(2 * Math.PI * t));
      pts.push(ax + t * (bx - ax) + off * nx, ay + t * (by - ay) + off * ny);
    }
    pts.push(bx, by);
    out.push(pts);
  }
  return out;
}

/** Joins village-road edges into longer lines, breaking at junctions (nodes with other than two road edges). */
function chainVillageRoads(g: RoadGraph, rank: Int8Array, village: Uint8Array, curve: number[][]): RoadLine[] {
  const degree = new Int32Array(g.x.length);
  for (let e = 0; e < g.edgeA.length; e++) if (rank[e] > 0) { degree[g.edgeA[e]]++; degree[g.edgeB[e]]++; }
  const done = new Uint8Array(g.edgeA.length);
  const lines: RoadLine[] = [];
  const walk = (start: number, e0: number) => {
    let node = start, e = e0;
    const coords: number[] = [];
    for (;;) {
      done[e] = 1;
      const forward = g.edgeA[e] === node;
      const seg = forward ? curve[e] : reversePairs(curve[e]);
      if (coords.length === 0) coords.push(...seg); else coords.push(...seg.slice(2));
      node = forward ? g.edgeB[e] : g.edgeA[e];
      if (degree[node] !== 2 || g.kind[node] !== 'hamlet') break;
      const nextE = g.adj[node].find((f) => f !== e && rank[f] > 0);
      if (nextE === undefined || !village[nextE] || done[nextE]) break;
      e = nextE;
    }
    lines.push({ coords, highway: 'unclassified' });
  };
  for (let v = 0; v < g.x.length; v++) {
    if (degree[v] === 2 && g.kind[v] === 'hamlet') continue;
    for (const e of g.adj[v]) if (village[e] && !done[e]) walk(v, e);
  }
  // closed loops of degree-2 hamlets have no junction to start from
  for (let e = 0; e < g.edgeA.length; e++) if (village[e] && !done[e]) walk(g.edgeA[e], e);
  return lines;
}

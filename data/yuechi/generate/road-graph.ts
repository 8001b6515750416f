/**
 * The candidate graph the rural roads are chosen from: seats, village centres, hamlets and county exits, joined
 * by the edges of their Delaunay triangulation. Delaunay edges never cross, so roads picked from them are
 * planar by construction; noding only has to deal with curves and city grids.
 */
import Delaunator from 'delaunator';
import FlatQueue from 'flatqueue';
import { createNoise, createRng } from './random.ts';
import { bboxOfMulti, createMask, distanceToBoundary, type MultiRings } from './frame.ts';
import type { Settlements, BuiltUp } from './settlements.ts';
import type { Township } from './townships.ts';

export type NodeKind = 'seat' | 'village' | 'hamlet' | 'exit';

export interface RoadGraph {
  x: Float64Array;
  y: Float64Array;
  kind: NodeKind[];
  /** township index for seats and villages, -1 otherwise */
  township: Int16Array;
  /** village site index for villages, -1 otherwise */
  site: Int32Array;
  edgeA: Int32Array;
  edgeB: Int32Array;
  edgeLen: Float64Array;
  /** travel cost used to choose routes: length, dearer over hills */
  edgeCost: Float64Array;
  /** edge ids per node */
  adj: number[][];
}

/** Bridson's Poisson-disc sampling over the bbox, keeping points that `accept`. */
function poissonDisc(bbox: [number, number, number, number], r: number, accept: (x: number, y: number) => boolean, seed: number): [number, number][] {
  const rng = createRng(seed, 'hamlets');
  const [x0, y0, x1, y1] = bbox;
  const cs = r / Math.SQRT2;
  const cols = Math.ceil((x1 - x0) / cs), rows = Math.ceil((y1 - y0) / cs);
  const grid = new Int32Array(cols * rows).fill(-1);
  const pts: [number, number][] = [];
  const active: number[] = [];
  const fits = (x: number, y: number): boolean => {
    if (x < x0 || y < y0 || x >= x1 || y >= y1) return false;
    const c = Math.floor((x - x0) / cs), rr = Math.floor((y - y0) / cs);
    for (let j = Math.max(0, rr - 2); j <= Math.min(rows - 1, rr + 2); j++) {
      for (let i = Math.max(0, c - 2); i <= Math.min(cols - 1, c + 2); i++) {
        const k = grid[j * cols + i];
        if (k >= 0 && (pts[k][0] - x) ** 2 + (pts[k][1] - y) ** 2 < r * r) return false;
      }
    }
    return true;
  };
  const add = (x: number, y: number) => {
    pts.push([x, y]);
    grid[Math.floor((y - y0) / cs) * cols + Math.floor((x - x0) / cs)] = pts.length - 1;
    active.push(pts.length - 1);
  };
  // seed the sampler on a coarse lattice so every part of a concave county gets started
  for (let y = y0 + r; y < y1; y += 4 * r) for (let x = x0 + r; x < x1; x += 4 * r) if (fits(x, y)) add(x, y);
  while (active.length > 0) {
    const ai = Math.floor(rng.next() * active.length);
    const [px, py] = pts[active[ai]];
    let found = false;
    for (let k = 0; k < 24; k++) {
      const a = rng.range(0, 2 * Math.PI), d = rng.range(r, 2 * r);
      const x = px + d * Math.cos(a), y = py + d * Math.sin(a);
      if (fits(x, y)) { add(x, y); found = true; }
    }
    if (!found) { active[ai] = active[active.length - 1]; active.pop(); }
  }
  return pts.filter(([x, y]) => accept(x, y));
}

/** Cast a ray from the county seat at `bearing` (radians, east = 0) and stop `inset` metres inside the outline. */
export function exitPoint(outline: MultiRings, bearing: number, inset: number): [number, number] {
  const mask = createMask(outline, 50);
  let last: [number, number] = [0, 0];
  for (let d = 0; d < 80000; d += 25) {
    const x = d * Math.cos(bearing), y = d * Math.sin(bearing);
    if (!mask.inside(x, y)) break;
    last = [x, y];
  }
  const d = Math.max(0, Math.hypot(last[0], last[1]) - inset);
  return [d * Math.cos(bearing), d * Math.sin(bearing)];
}

function crossesForeignBuiltUp(ax: number, ay: number, bx: number, by: number, blocked: BuiltUp[], a: number, b: number, seatNode: Map<BuiltUp, number[]>): boolean {
  const len = Math.hypot(bx - ax, by - ay);
  const n = Math.max(2, Math.ceil(len / 60));
  for (const bu of blocked) {
    const own = seatNode.get(bu) ?? [];
    if (own.includes(a) || own.includes(b)) continue;
    if (Math.hypot((ax + bx) / 2 - bu.cx, (ay + by) / 2 - bu.cy) > bu.radius * 1.4 + len / 2) continue;
    for (let k = 1; k < n; k++) {
      const t = k / n;
      if (bu.relDistance(ax + t * (bx - ax), ay + t * (by - ay)) < 0.95) return true;
    }
  }
  return false;
}

/**
 * Builds the candidate graph. `exits` are points just inside the border where through roads leave the county.
 *
 * @example const g = buildRoadGraph(outlineXY, zones, settlements, exits, 20240601);
 */
export function buildRoadGraph(outline: MultiRings, zones: Township[], s: Settlements, exits: [number, number][], seed: number): RoadGraph {
  const mask = createMask(outline, 50);
  const hills = createNoise(seed + 21, 5200, 3);
  const rng = createRng(seed, 'road-graph');
  const px: number[] = [], py: number[] = [], kind: NodeKind[] = [], tw: number[] = [], site: number[] = [];
  const seatNode = new Map<BuiltUp, number[]>();
  zones.forEach((z, i) => {
    px.push(z.seat[0]); py.push(z.seat[1]); kind.push('seat'); tw.push(i); site.push(-1);
    const bu = s.seats[i];
    seatNode.set(bu, [...(seatNode.get(bu) ?? []), i]);
  });
  s.villages.forEach((v, k) => {
    if (v.kind !== 'village') return;
    px.push(v.x); py.push(v.y); kind.push('village'); tw.push(v.township); site.push(k);
  });
  for (const e of exits) { px.push(e[0]); py.push(e[1]); kind.push('exit'); tw.push(-1); site.push(-1); }
  const fixed = px.length;
  const builtUps = [s.core, ...s.seats.filter((b) => b !== s.core)];
  const hamlets = poissonDisc(bboxOfMulti(outline), 370, (x, y) => {
    if (!mask.inside(x, y) || distanceToBoundary(x, y, outline) < 120) return false;
    for (const bu of builtUps) if (Math.hypot(x - bu.cx, y - bu.cy) < bu.radius * 1.6 && bu.relDistance(x, y) < 1.08) return false;
    for (let i = 0; i < fixed; i++) if ((px[i] - x) ** 2 + (py[i] - y) ** 2 < 250 * 250) return false;
    return true;
  }, seed);
  for (const [x, y] of hamlets) { px.push(x); py.push(y); kind.push('hamlet'); tw.push(-1); site.push(-1); }

  const n = px.length;
  const coords = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) { coords[2 * i] = px[i]; coords[2 * i + 1] = py[i]; }
  const del = new Delaunator(coords);
  const ea: number[] = [], eb: number[] = [], keep: boolean[] = [];
  for (let e = 0; e < del.triangles.length; e++) {
    const opp = del.halfedges[e];
    if (opp !== -1 && opp < e) continue;
    const a = del.triangles[e], b = del.triangles[e % 3 === 2 ? e - 2 : e + 1];
    ea.push(Math.min(a, b)); eb.push(Math.max(a, b));
  }
  const m = ea.length;
  const len = new Float64Array(m), cost = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const a = ea[e], b = eb[e];
    const l = Math.hypot(px[b] - px[a], py[b] - py[a]);
    len[e] = l;
    let ok = l < 3200;
    for (let k = 1; ok && k * 80 < l; k++) {
      const t = (k * 80) / l;
      if (!mask.inside(px[a] + t * (px[b] - px[a]), py[a] + t * (py[b] - py[a]))) ok = false;
    }
    if (ok) ok = !crossesForeignBuiltUp(px[a], py[a], px[b], py[b], builtUps, a, b, seatNode);
    keep.push(ok);
    cost[e] = l * (1 + 0.8 * hills((px[a] + px[b]) / 2, (py[a] + py[b]) / 2)) * rng.range(1, 1.15);
  }
  // the kept edges must join every node; put back the shortest dropped edges where they do not
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; } return i; };
  for (let e = 0; e < m; e++) if (keep[e]) parent[find(ea[e])] = find(eb[e]);
  const dropped = Array.from({ length: m }, (_, e) => e).filter((e) => !keep[e]).sort((a, b) => len[a] - len[b] || a - b);
  for (const e of dropped) {
    const ra = find(ea[e]), rb = find(eb[e]);
    if (ra !== rb && mask.inside((px[ea[e]] + px[eb[e]]) / 2, (py[ea[e]] + py[eb[e]]) / 2)) { keep[e] = true; parent[ra] = rb; }
  }
  const ids = Array.from({ length: m }, (_, e) => e).filter((e) => keep[e]);
  const g: RoadGraph = {
    x: Float64Array.from(px), y: Float64Array.from(py), kind, township: Int16Array.from(tw), site: Int32Array.from(site),
    edgeA: Int32Array.from(ids, (e) => ea[e]), edgeB: Int32Array.from(ids, (e) => eb[e]),
    edgeLen: Float64Array.from(ids, (e) => len[e]), edgeCost: Float64Array.from(ids, (e) => cost[e]),
    adj: Array.from({ length: n }, () => []),
  };
  for (let e = 0; e < ids.length; e++) { g.adj[g.edgeA[e]].push(e); g.adj[g.edgeB[e]].push(e); }
  return g;
}

/** Edge ids of a minimum spanning tree by length (Kruskal). */
export function spanningTree(g: RoadGraph): number[] {
  const n = g.x.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; } return i; };
  const order = Array.from({ length: g.edgeA.length }, (_, e) => e).sort((a, b) => g.edgeLen[a] - g.edgeLen[b] || a - b);
  const out: number[] = [];
  for (const e of order) {
    const ra = find(g.edgeA[e]), rb = find(g.edgeB[e]);
    if (ra === rb) continue;
    parent[ra] = rb;
    out.push(e);
  }
  return out;
}

/** Shortest-path tree from `source` under `cost(e)`: the edge taken into each node, -1 at the source or unreached. */
export function shortestTree(g: RoadGraph, source: number, cost: (e: number) => number): Int32Array {
  const n = g.x.length;
  const dist = new Float64Array(n).fill(Infinity);
  const via = new Int32Array(n).fill(-1);
  const q = new FlatQueue<number>();
  dist[source] = 0;
  q.push(source, 0);
  while (q.length > 0) {
    const d = q.peekValue()!;
    const u = q.pop()!;
    if (d > dist[u]) continue;
    for (const e of g.adj[u]) {
      const v = g.edgeA[e] === u ? g.edgeB[e] : g.edgeA[e];
      const nd = d + cost(e);
      if (nd < dist[v]) { dist[v] = nd; via[v] = e; q.push(v, nd); }
    }
  }
  return via;
}

/** The node path source → target read off a shortest-path tree, as edge ids in travel order. */
export function pathTo(g: RoadGraph, via: Int32Array, target: number): number[] {
  const edges: number[] = [];
  let v = target;
  while (via[v] >= 0) {
    const e = via[v];
    edges.push(e);
    v = g.edgeA[e] === v ? g.edgeB[e] : g.edgeA[e];
  }
  return edges.reverse();
}

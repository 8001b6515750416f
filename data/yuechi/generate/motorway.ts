/**
 * One expressway (高速) across the county, south of the county seat: two one-way carriageways that touch the
 * rest of the network only through motorway_link ramps at three interchanges. It crosses other roads on
 * bridges, without shared vertices.
 */
import { createMask, type MultiRings } from './frame.ts';
import type { RoadGraph } from './road-graph.ts';
import type { RoadLine } from './roads.ts';

const CONTROL: [number, number][] = [[34000, 30000], [14000, 9000], [5200, -1600], [-2500, -4300], [-12000, -5200], [-36000, -16000]];
const CARRIAGEWAY_OFFSET = 14;
const RAMP = 350;

function catmullRom(pts: [number, number][], step: number): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < pts.length; k++) {
    const p0 = pts[Math.max(0, k - 1)], p1 = pts[k], p2 = pts[k + 1], p3 = pts[Math.min(pts.length - 1, k + 2)];
    const n = Math.max(1, Math.ceil(Math.hypot(p2[0] - p1[0], p2[1] - p1[1]) / step));
    for (let s = 0; s < n; s++) {
      const t = s / n, t2 = t * t, t3 = t2 * t;
      const f = (a: number, b: number, c: number, d: number) => 0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (-a + 3 * b - 3 * c + d) * t3);
      out.push([f(p0[0], p1[0], p2[0], p3[0]), f(p0[1], p1[1], p2[1], p3[1])]);
    }
  }
  out.push(pts[pts.length - 1]);
  return out;
}

function offsetLine(c: [number, number][], d: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < c.length; k++) {
    const a = c[Math.max(0, k - 1)], b = c[Math.min(c.length - 1, k + 1)];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    // right-hand traffic: positive d is the right side of the direction of travel
    out.push(c[k][0] + (d * (b[1] - a[1])) / len, c[k][1] - (d * (b[0] - a[0])) / len);
  }
  return out;
}

function reverse(coords: number[]): number[] {
  const out: number[] = [];
  for (let k = coords.length - 2; k >= 0; k -= 2) out.push(coords[k], coords[k + 1]);
  return out;
}

function ramp(ax: number, ay: number, bx: number, by: number, bulge: number): number[] {
  const mx = (ax + bx) / 2, my = (ay + by) / 2, len = Math.hypot(bx - ax, by - ay);
  return [ax, ay, mx - (bulge * (by - ay)) / len, my + (bulge * (bx - ax)) / len, bx, by];
}

/**
 * The expressway, its ramps and the graph nodes the ramps land on (those nodes must end up on the network).
 *
 * @example const { lines } = buildMotorway(outlineXY, graph, usedNodes);
 */
export function buildMotorway(outline: MultiRings, g: RoadGraph, onNetwork: (node: number) => boolean): { lines: RoadLine[]; rampNodes: number[] } {
  const mask = createMask(outline, 50);
  const centre = catmullRom(CONTROL, 100);
  // keep the longest stretch inside the county
  let best: [number, number][] = [], cur: [number, number][] = [];
  for (const p of centre) {
    if (mask.inside(p[0], p[1])) cur.push(p);
    else { if (cur.length > best.length) best = cur; cur = []; }
  }
  if (cur.length > best.length) best = cur;
  if (best.length < 50) throw new Error(`motorway: expected a long stretch inside the county, found ${best.length} vertices; move the control points`);
  const inner = best.slice(1, -1);
  const fwd = offsetLine(inner, CARRIAGEWAY_OFFSET);
  const back = reverse(offsetLine(inner, -CARRIAGEWAY_OFFSET));
  const props = { highway: 'motorway', name: '岳池高速', ref: 'S99', oneway: true };
  const lines: RoadLine[] = [{ coords: fwd, ...props }, { coords: back, ...props }];
  const rampNodes: number[] = [];
  // interchanges at the vertices nearest the county seat and about 13 km either way
  let seatK = 0;
  inner.forEach((p, k) => { if (Math.hypot(p[0], p[1]) < Math.hypot(inner[seatK][0], inner[seatK][1])) seatK = k; });
  const step = Math.round(RAMP / 100);
  for (const k of [seatK - 130, seatK, seatK + 130]) {
    if (k - step < 0 || k + step >= inner.length) continue;
    const [mx, my] = inner[k];
    let node = -1, nd = 1500;
    for (let v = 0; v < g.x.length; v++) {
      if (!onNetwork(v)) continue;
      const d = Math.hypot(g.x[v] - mx, g.y[v] - my);
      if (d > 250 && d < nd) { nd = d; node = v; }
    }
    if (node < 0) continue;
    rampNodes.push(node);
    const nx = g.x[node], ny = g.y[node];
    const up = k - step, down = k + step;
    const nBack = inner.length - 1;
    const link = { highway: 'motorway_link', oneway: true };
    lines.push(
      { coords: ramp(fwd[2 * up], fwd[2 * up + 1], nx, ny, 40), ...link },
      { coords: ramp(nx, ny, fwd[2 * down], fwd[2 * down + 1], -40), ...link },
      { coords: ramp(back[2 * (nBack - down)], back[2 * (nBack - down) + 1], nx, ny, -40), ...link },
      { coords: ramp(nx, ny, back[2 * (nBack - up)], back[2 * (nBack - up) + 1], 40), ...link },
    );
  }
  return { lines, rampNodes };
}

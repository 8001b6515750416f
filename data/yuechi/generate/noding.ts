/**
 * Noding: wherever two roads cross or one ends on another, both get a vertex with identical coordinates there,
 * so a loader that joins lines at shared vertices sees the junction. The motorway is left out: it crosses
 * on bridges.
 */
import Flatbush from 'flatbush';
import KDBush from 'kdbush';
import type { RoadLine } from './roads.ts';

const TOL = 1e-9;

interface Insert {
  t: number;
  x: number;
  y: number;
}

// every segment of the lines not skipped, its end points, and a box index grown by `pad` (metres)
function segmentsOf(lines: RoadLine[], skip: (l: RoadLine) => boolean, pad: number) {
  const segLine: number[] = [], segIdx: number[] = [];
  lines.forEach((l, li) => {
    if (skip(l)) return;
    for (let k = 0; k + 3 < l.coords.length; k += 2) { segLine.push(li); segIdx.push(k / 2); }
  });
  const ns = segLine.length;
  const P = (s: number, end: number): [number, number] => {
    const c = lines[segLine[s]].coords, k = 2 * (segIdx[s] + end);
    return [c[k], c[k + 1]];
  };
  const index = new Flatbush(Math.max(1, ns));
  for (let s = 0; s < ns; s++) {
    const [ax, ay] = P(s, 0), [bx, by] = P(s, 1);
    index.add(Math.min(ax, bx) - pad, Math.min(ay, by) - pad, Math.max(ax, bx) + pad, Math.max(ay, by) + pad);
  }
  if (ns === 0) index.add(0, 0, 0, 0);
  index.finish();
  return { segLine, segIdx, ns, P, index };
}

/**
 * Inserts shared vertices at every crossing and T-junction among the lines not skipped; mutates `lines`.
 * Returns the number of vertices inserted.
 *
 * @example nodeLines(lines, (l) => l.highway === 'motorway');
 */
export function nodeLines(lines: RoadLine[], skip: (l: RoadLine) => boolean): number {
  const { segLine, segIdx, ns, P, index } = segmentsOf(lines, skip, 0.01);
  if (ns === 0) return 0;
  const inserts = new Map<number, Insert[]>();
  const addInsert = (s: number, t: number, x: number, y: number) => {
    let list = inserts.get(s);
    if (!list) { list = []; inserts.set(s, list); }
    list.push({ t, x, y });
  };
  let count = 0;
  for (let s = 0; s < ns; s++) {
    const [ax, ay] = P(s, 0), [bx, by] = P(s, 1);
    const rx = bx - ax, ry = by - ay;
    const rlen = Math.hypot(rx, ry);
    for (const o of index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))) {
      if (o <= s) continue;
      if (segLine[o] === segLine[s] && Math.abs(segIdx[o] - segIdx[s]) <= 1) continue;
      const [cx, cy] = P(o, 0), [dx, dy] = P(o, 1);
      const qx = dx - cx, qy = dy - cy;
      const qlen = Math.hypot(qx, qy);
      if (rlen === 0 || qlen === 0) continue;
      const denom = rx * qy - ry * qx;
      const wx = cx - ax, wy = cy - ay;
      if (Math.abs(denom) <= 1e-12 * rlen * qlen) {
        // parallel: only endpoints lying on the other segment matter
        const onSeg = (px: number, py: number, sx: number, sy: number, ux: number, uy: number, l: number) => {
          const t = ((px - sx) * ux + (py - sy) * uy) / (l * l);
          const dist = Math.abs((px - sx) * uy - (py - sy) * ux) / l;
          return dist < 1e-6 && t > TOL && t < 1 - TOL ? t : -1;
        };
        let t = onSeg(cx, cy, ax, ay, rx, ry, rlen); if (t > 0) { addInsert(s, t, cx, cy); count++; }
        t = onSeg(dx, dy, ax, ay, rx, ry, rlen); if (t > 0) { addInsert(s, t, dx, dy); count++; }
        t = onSeg(ax, ay, cx, cy, qx, qy, qlen); if (t > 0) { addInsert(o, t, ax, ay); count++; }
        t = onSeg(bx, by, cx, cy, qx, qy, qlen); if (t > 0) { addInsert(o, t, bx, by); count++; }
        continue;
      }
      const t = (wx * qy - wy * qx) / denom;
      const u = (wx * ry - wy * rx) / denom;
      const et = 1e-6 / rlen, eu = 1e-6 / qlen;
      if (t < -et || t > 1 + et || u < -eu || u > 1 + eu) continue;
      const tEnd = t <= et ? 0 : t >= 1 - et ? 1 : -1;
      const uEnd = u <= eu ? 0 : u >= 1 - eu ? 1 : -1;
      if (tEnd >= 0 && uEnd >= 0) continue; // vertex meets vertex: the snapping pass unifies them
      let x: number, y: number;
      if (tEnd >= 0) [x, y] = P(s, tEnd);
      else if (uEnd >= 0) [x, y] = P(o, uEnd);
      else { x = ax + t * rx; y = ay + t * ry; }
      if (tEnd < 0) { addInsert(s, t, x, y); count++; }
      if (uEnd < 0) { addInsert(o, u, x, y); count++; }
    }
  }
  // rebuild each touched line with its inserted vertices in order
  const byLine = new Map<number, number[]>();
  for (const s of inserts.keys()) {
    const li = segLine[s];
    if (!byLine.has(li)) byLine.set(li, []);
    byLine.get(li)!.push(s);
  }
  for (const [li, segs] of byLine) {
    const l = lines[li];
    const bySeg = new Map<number, Insert[]>();
    for (const s of segs) bySeg.set(segIdx[s], inserts.get(s)!.sort((a, b) => a.t - b.t));
    const out: number[] = [];
    for (let k = 0; k + 1 < l.coords.length; k += 2) {
      out.push(l.coords[k], l.coords[k + 1]);
      for (const ins of bySeg.get(k / 2) ?? []) out.push(ins.x, ins.y);
    }
    l.coords = out;
  }
  snapVertices(lines, skip, 0.02);
  return count;
}

/** Gives vertices closer than `tol` metres the coordinates of the first of them, then drops repeats. */
export function snapVertices(lines: RoadLine[], skip: (l: RoadLine) => boolean, tol: number): void {
  const refs: [number, number][] = [];
  lines.forEach((l, li) => { if (!skip(l)) for (let k = 0; k < l.coords.length; k += 2) refs.push([li, k]); });
  const kd = new KDBush(refs.length);
  for (const [li, k] of refs) kd.add(lines[li].coords[k], lines[li].coords[k + 1]);
  kd.finish();
  const done = new Uint8Array(refs.length);
  for (let i = 0; i < refs.length; i++) {
    if (done[i]) continue;
    const [li, k] = refs[i];
    const x = lines[li].coords[k], y = lines[li].coords[k + 1];
    for (const j of kd.within(x, y, tol)) {
      if (done[j]) continue;
      done[j] = 1;
      const [lj, kj] = refs[j];
      lines[lj].coords[kj] = x;
      lines[lj].coords[kj + 1] = y;
    }
  }
  for (const l of lines) l.coords = dropRepeats(l.coords);
}

export function dropRepeats(coords: number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < coords.length; k += 2) {
    const n = out.length;
    if (n >= 2 && out[n - 2] === coords[k] && out[n - 1] === coords[k + 1]) continue;
    out.push(coords[k], coords[k + 1]);
  }
  return out;
}

/**
 * Crossings left without a shared vertex among the lines not skipped (should be 0 after noding).
 *
 * @example countUnnodedCrossings(lines, (l) => l.highway === 'motorway');
 */
export function countUnnodedCrossings(lines: RoadLine[], skip: (l: RoadLine) => boolean): number {
  const { segLine, segIdx, ns, P, index } = segmentsOf(lines, skip, 0);
  if (ns === 0) return 0;
  let bad = 0;
  for (let s = 0; s < ns; s++) {
    const [ax, ay] = P(s, 0), [bx, by] = P(s, 1);
    for (const o of index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))) {
      if (o <= s) continue;
      const [cx, cy] = P(o, 0), [dx, dy] = P(o, 1);
      const shared = (ax === cx && ay === cy) || (ax === dx && ay === dy) || (bx === cx && by === cy) || (bx === dx && by === dy);
      if (shared) continue;
      const d1 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
      const d2 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
      const d3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
      const d4 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
      // strict crossing only: touching within rounding is a junction already shared one segment over
      if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) bad++;
    }
  }
  return bad;
}

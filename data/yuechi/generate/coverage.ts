/**
 * Final shaping of the road layer: round to output precision, keep what is joined to the county seat, and add
 * farm tracks (机耕道, highway=track) so every populated cell has a connected road within REACH metres.
 */
import Flatbush from 'flatbush';
import { frame, round6, segmentDistance } from './frame.ts';
import type { RoadLine } from './roads.ts';
import type { PopulationCells } from './population.ts';

/** Every populated cell centre is at most this far from a connected road (the brief asks for ~300 m). */
export const REACH = 250;

const isMotorway = (l: RoadLine) => l.highway === 'motorway';
const notLocal = (l: RoadLine) => l.highway === 'motorway' || l.highway === 'motorway_link';

/** Snaps every vertex to the 6-decimal lon/lat grid it will be written on (and back into metres). */
export function roundLines(lines: RoadLine[]): void {
  for (const l of lines) {
    const out: number[] = [];
    for (let k = 0; k < l.coords.length; k += 2) {
      const [lon, lat] = frame.inverse(l.coords[k], l.coords[k + 1]);
      const x = (round6(lon) - frame.lon0) * frame.kx, y = (round6(lat) - frame.lat0) * frame.ky;
      if (out.length >= 2 && out[out.length - 2] === x && out[out.length - 1] === y) continue;
      out.push(x, y);
    }
    l.coords = out;
  }
}

/**
 * Components of the network joined at shared vertices; returns a component id per line.
 *
 * @example const comp = components(lines); comp[0] === comp[1];
 */
export function components(lines: RoadLine[]): Int32Array {
  const parent = Int32Array.from({ length: lines.length }, (_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; } return i; };
  const owner = new Map<string, number>();
  lines.forEach((l, li) => {
    for (let k = 0; k < l.coords.length; k += 2) {
      const key = `${l.coords[k]},${l.coords[k + 1]}`;
      const o = owner.get(key);
      if (o === undefined) owner.set(key, li);
      else parent[find(li)] = find(o);
    }
  });
  return Int32Array.from({ length: lines.length }, (_, i) => find(i));
}

/** Lines joined to the vertex nearest (x, y); the others are dropped. */
export function keepConnected(lines: RoadLine[], x: number, y: number): { kept: RoadLine[]; dropped: number } {
  let best = -1, bd = Infinity;
  lines.forEach((l, li) => {
    if (notLocal(l)) return;
    for (let k = 0; k < l.coords.length; k += 2) {
      const d = Math.hypot(l.coords[k] - x, l.coords[k + 1] - y);
      if (d < bd) { bd = d; best = li; }
    }
  });
  const comp = components(lines);
  const kept = lines.filter((_, i) => comp[i] === comp[best]);
  return { kept, dropped: lines.length - kept.length };
}

interface Seg { line: RoadLine; k: number }

/**
 * Adds tracks from uncovered populated cells to the nearest point of the local network (never the motorway or
 * its ramps), densest cells first. A track to the nearest point cannot cross the lines searched.
 *
 * @example const added = addTracks(lines, cells);
 */
export function addTracks(lines: RoadLine[], cells: PopulationCells): number {
  const segs: Seg[] = [];
  for (const l of lines) if (!notLocal(l)) for (let k = 0; k + 3 < l.coords.length; k += 2) segs.push({ line: l, k });
  const index = new Flatbush(segs.length);
  for (const { line, k } of segs) {
    const c = line.coords;
    index.add(Math.min(c[k], c[k + 2]), Math.min(c[k + 1], c[k + 3]), Math.max(c[k], c[k + 2]), Math.max(c[k + 1], c[k + 3]));
  }
  index.finish();
  const tracks: RoadLine[] = [];
  const nearestIn = (x: number, y: number, radius: number, pool: Seg[] | null) => {
    let best: { seg: Seg; d: number; t: number } | null = null;
    const cands = pool ?? index.search(x - radius, y - radius, x + radius, y + radius).map((i) => segs[i]);
    for (const seg of cands) {
      const c = seg.line.coords;
      const r = segmentDistance(x, y, c[seg.k], c[seg.k + 1], c[seg.k + 2], c[seg.k + 3]);
      if (r.d <= radius && (!best || r.d < best.d)) best = { seg, d: r.d, t: r.t };
    }
    return best;
  };
  // tracks added so far, in a coarse bucket grid so the search stays local
  const bucket = new Map<string, Seg[]>();
  const B = 1000;
  const bucketsNear = (x: number, y: number, r: number): Seg[] => {
    const out: Seg[] = [];
    for (let bx = Math.floor((x - r) / B); bx <= Math.floor((x + r) / B); bx++) {
      for (let by = Math.floor((y - r) / B); by <= Math.floor((y + r) / B); by++) out.push(...(bucket.get(`${bx},${by}`) ?? []));
    }
    return out;
  };
  const addToBuckets = (line: RoadLine) => {
    const c = line.coords;
    for (let k = 0; k + 3 < c.length; k += 2) {
      const keys = new Set([`${Math.floor(c[k] / B)},${Math.floor(c[k + 1] / B)}`, `${Math.floor(c[k + 2] / B)},${Math.floor(c[k + 3] / B)}`]);
      for (const key of keys) { if (!bucket.has(key)) bucket.set(key, []); bucket.get(key)!.push({ line, k }); }
    }
  };
  const order = Array.from({ length: cells.count }, (_, i) => i).sort((a, b) => cells.population[b] - cells.population[a] || a - b);
  const pending: { seg: Seg; t: number; x: number; y: number }[] = [];
  for (const i of order) {
    const x = cells.x[i], y = cells.y[i];
    if (nearestIn(x, y, REACH, null) || nearestIn(x, y, REACH, bucketsNear(x, y, REACH))) continue;
    let hit: { seg: Seg; d: number; t: number } | null = null;
    for (let r = 2 * REACH; !hit && r < 64000; r *= 2) {
      const a = nearestIn(x, y, r, null), b = nearestIn(x, y, r, bucketsNear(x, y, r));
      hit = a && b ? (a.d <= b.d ? a : b) : a ?? b;
    }
    if (!hit) throw new Error(`tracks: no road within 64 km of cell ${i}; the network is empty`);
    const c = hit.seg.line.coords, k = hit.seg.k;
    const [lon, lat] = frame.inverse(c[k] + hit.t * (c[k + 2] - c[k]), c[k + 1] + hit.t * (c[k + 3] - c[k + 1]));
    const px = (round6(lon) - frame.lon0) * frame.kx, py = (round6(lat) - frame.lat0) * frame.ky;
    // stop a little short of the cell centre: the track serves the cell and those beside it
    const len = Math.hypot(x - px, y - py);
    const f = Math.max(0, (len - 60) / len);
    const [elon, elat] = frame.inverse(px + f * (x - px), py + f * (y - py));
    const ex = (round6(elon) - frame.lon0) * frame.kx, ey = (round6(elat) - frame.lat0) * frame.ky;
    const track: RoadLine = { coords: [px, py, ex, ey], highway: 'track' };
    tracks.push(track);
    addToBuckets(track);
    pending.push({ seg: hit.seg, t: hit.t, x: px, y: py });
  }
  // put each track's start into the line it lands on, so they share that vertex
  const byLine = new Map<RoadLine, { k: number; t: number; x: number; y: number }[]>();
  for (const p of pending) {
    if (!byLine.has(p.seg.line)) byLine.set(p.seg.line, []);
    byLine.get(p.seg.line)!.push({ k: p.seg.k, t: p.t, x: p.x, y: p.y });
  }
  for (const [line, ins] of byLine) {
    ins.sort((a, b) => a.k - b.k || a.t - b.t);
    const out: number[] = [];
    let j = 0;
    for (let k = 0; k < line.coords.length; k += 2) {
      out.push(line.coords[k], line.coords[k + 1]);
      while (j < ins.length && ins[j].k === k) { out.push(ins[j].x, ins[j].y); j++; }
    }
    line.coords = out;
  }
  for (const l of lines) {
    const out: number[] = [];
    for (let k = 0; k < l.coords.length; k += 2) {
      if (out.length >= 2 && out[out.length - 2] === l.coords[k] && out[out.length - 1] === l.coords[k + 1]) continue;
      out.push(l.coords[k], l.coords[k + 1]);
    }
    l.coords = out;
  }
  lines.push(...tracks);
  return tracks.length;
}

export { isMotorway, notLocal };

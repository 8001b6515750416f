/**
 * The generated 100 m population grid. Every cell's integer residents and residents aged 60+ add up exactly to
 * the 2020 census figures (urban, rural, 60+), by largest-remainder rounding of smooth density surfaces.
 */
import { createNoise, createRng, largestRemainder } from './random.ts';
import { bboxOfMulti, frame, round6, type MultiRings } from './frame.ts';
import type { Township } from './townships.ts';
import type { Settlements } from './settlements.ts';

export interface CensusFacts {
  total: number;
  urban: number;
  rural: number;
  aged60: number;
}

/** Urban residents aged 60+ (an assumption: the census table gives the county share only). */
export const URBAN_AGED60 = 58_400;
export const CELL = 100;

export interface PopulationCells {
  count: number;
  /** cell centre in the metre frame, projected from the rounded lon/lat */
  x: Float64Array;
  y: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  population: Int32Array;
  aged60: Int32Array;
  urban: Uint8Array;
  township: Int16Array;
}

interface Lattice {
  gx0: number;
  gy0: number;
  cols: number;
  rows: number;
  lon: Float64Array;
  lat: Float64Array;
  xr: Float64Array;
  yr: Float64Array;
}

function lattice(outline: MultiRings): Lattice {
  const [bx0, by0, bx1, by1] = bboxOfMulti(outline);
  const gx0 = Math.floor(bx0 / CELL) * CELL, gy0 = Math.floor(by0 / CELL) * CELL;
  const cols = Math.ceil((bx1 - gx0) / CELL), rows = Math.ceil((by1 - gy0) / CELL);
  // lon depends on the column only and lat on the row only, so rounding is per column / per row
  const lon = new Float64Array(cols), xr = new Float64Array(cols), lat = new Float64Array(rows), yr = new Float64Array(rows);
  for (let c = 0; c < cols; c++) { lon[c] = round6(frame.inverse(gx0 + (c + 0.5) * CELL, 0)[0]); xr[c] = (lon[c] - frame.lon0) * frame.kx; }
  for (let r = 0; r < rows; r++) { lat[r] = round6(frame.inverse(0, gy0 + (r + 0.5) * CELL)[1]); yr[r] = (lat[r] - frame.lat0) * frame.ky; }
  return { gx0, gy0, cols, rows, lon, lat, xr, yr };
}

/** Scanline fill: township index of every lattice cell whose (rounded) centre lies in a zone, else -1. */
function assignTownships(g: Lattice, zones: Township[]): Int16Array {
  const out = new Int16Array(g.cols * g.rows).fill(-1);
  zones.forEach((z, ti) => {
    const cross: number[][] = Array.from({ length: g.rows }, () => []);
    for (const rings of z.polys) for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        const lo = Math.min(yi, yj), hi = Math.max(yi, yj);
        const r0 = Math.max(0, Math.floor((lo - g.gy0) / CELL) - 1), r1 = Math.min(g.rows - 1, Math.ceil((hi - g.gy0) / CELL) + 1);
        for (let r = r0; r <= r1; r++) {
          const y = g.yr[r];
          // the same test as the crossing-number point-in-polygon, so both agree cell by cell
          if ((yi > y) !== (yj > y)) cross[r].push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
        }
      }
    }
    for (let r = 0; r < g.rows; r++) {
      const xs = cross[r];
      if (xs.length === 0) continue;
      xs.sort((a, b) => a - b);
      let k = 0;
      for (let c = 0; c < g.cols; c++) {
        const x = g.xr[c];
        while (k < xs.length && xs[k] <= x) k++;
        // inside when an odd number of crossings lie strictly to the right
        if ((xs.length - k) % 2 === 1) out[r * g.cols + c] = ti;
      }
    }
  });
  return out;
}

/**
 * Generates the grid. Rural density follows valleys (a noise field for the hills), village and hamlet clusters
 * and a peri-urban belt around seats; urban density falls from each built-up centre to its edge.
 *
 * @example const cells = buildPopulation(outlineXY, zones, settlements, facts, 20240601);
 */
export function buildPopulation(outline: MultiRings, zones: Township[], s: Settlements, facts: CensusFacts, seed: number): PopulationCells {
  const rng = createRng(seed, 'population');
  const g = lattice(outline);
  const tw = assignTownships(g, zones);
  const n = g.cols * g.rows;
  const hills = createNoise(seed + 21, 5200, 3);
  const clumps = createNoise(seed + 22, 900, 2);
  const age = createNoise(seed + 23, 7000, 2);
  const townFactor = zones.map(() => rng.range(0.75, 1.3));
  // -1 county core, >= 0 a town seat's built-up area, -2 nobody, -3 rural, -4 rural but empty (wood, water)
  const urbanOf = new Int16Array(n).fill(-2);
  const w = new Float64Array(n);
  const share = new Float64Array(n);
  const rural = new Float64Array(n);

  for (let r = 0; r < g.rows; r++) for (let c = 0; c < g.cols; c++) {
    const i = r * g.cols + c, ti = tw[i];
    if (ti < 0) continue;
    const x = g.xr[c], y = g.yr[r];
    const z = zones[ti];
    const bu = s.seats[ti];
    const inCore = z.urban && s.core.contains(x, y);
    if (inCore || (!z.urban && bu.contains(x, y))) {
      const rd = bu.relDistance(x, y);
      // parks, a river bank and depots leave some urban cells empty
      if (rng.chance(inCore ? 0.06 : 0.04)) { urbanOf[i] = -2; continue; }
      urbanOf[i] = inCore ? -1 : ti;
      w[i] = (inCore ? 0.1 + Math.exp(-3 * rd * rd) : 1 - 0.86 * Math.pow(Math.min(rd, 1), 1.5)) * rng.range(0.7, 1.3);
      share[i] = (inCore ? 0.17 + 0.06 * rd : 0.22 + 0.05 * rd) * rng.range(0.85, 1.15);
      continue;
    }
    const h = hills(x, y);
    const valley = Math.pow(1 - h, 2);
    if (rng.chance(0.06 + 0.32 * h * h)) { urbanOf[i] = -4; continue; } // forest, reservoir, steep slope
    const clump = 0.4 + 1.2 * clumps(x, y);
    const dSeat = Math.hypot(x - bu.cx, y - bu.cy);
    const edge = z.urban ? s.core.radius : bu.radius;
    const belt = (z.urban ? 6 : 4) * Math.exp(-((dSeat - edge) ** 2) / (2 * 600 * 600));
    let v = townFactor[ti] * (0.35 + 2.2 * valley) * clump * Math.exp(0.45 * rng.normal()) + belt;
    v = Math.max(0, v);
    rural[i] = v;
    const remote = Math.min(1, dSeat / 6000);
    share[i] = (0.27 + 0.07 * remote + 0.08 * (age(x, y) - 0.5)) * rng.range(0.9, 1.1);
    urbanOf[i] = -3;
  }
  // village and hamlet clusters on top of the scatter
  const addBump = (cx: number, cy: number, sigma: number, amp: number) => {
    const rad = Math.ceil((3 * sigma) / CELL);
    const c0 = Math.floor((cx - g.gx0) / CELL), r0 = Math.floor((cy - g.gy0) / CELL);
    for (let r = Math.max(0, r0 - rad); r <= Math.min(g.rows - 1, r0 + rad); r++) {
      for (let c = Math.max(0, c0 - rad); c <= Math.min(g.cols - 1, c0 + rad); c++) {
        const i = r * g.cols + c;
        if (urbanOf[i] !== -3 && urbanOf[i] !== -4) continue;
        const d2 = (g.xr[c] - cx) ** 2 + (g.yr[r] - cy) ** 2;
        rural[i] += amp * Math.exp(-d2 / (2 * sigma * sigma));
        // a cluster reaches into a wooded cell: it is lived in after all
        if (urbanOf[i] === -4) {
          urbanOf[i] = -3;
          share[i] = 0.31 * rng.range(0.9, 1.1);
        }
      }
    }
  };
  for (const v of s.villages) if (v.kind === 'village') addBump(v.x, v.y, 230, rng.range(7, 16));
  const [bx0, by0, bx1, by1] = bboxOfMulti(outline);
  for (let k = 0; k < 2600; k++) {
    const x = rng.range(bx0, bx1), y = rng.range(by0, by1);
    const c = Math.floor((x - g.gx0) / CELL), r = Math.floor((y - g.gy0) / CELL);
    if (c < 0 || r < 0 || c >= g.cols || r >= g.rows || urbanOf[r * g.cols + c] !== -3) continue;
    if (rng.chance(hills(x, y))) continue;
    addBump(x, y, 90, rng.range(3, 9));
  }
  // normalise each built-up area to its target, then round all urban cells together to the census figure
  const buSum = new Map<number, number>();
  for (let i = 0; i < n; i++) if (urbanOf[i] >= -1) buSum.set(urbanOf[i], (buSum.get(urbanOf[i]) ?? 0) + w[i]);
  const urbanIdx: number[] = [], ruralIdx: number[] = [];
  for (let i = 0; i < n; i++) {
    if (urbanOf[i] >= -1) urbanIdx.push(i);
    else if (urbanOf[i] === -3 && rural[i] > 0) ruralIdx.push(i);
  }
  const uw = Float64Array.from(urbanIdx, (i) => {
    const target = urbanOf[i] === -1 ? s.core.urbanTarget : s.seats[urbanOf[i]].urbanTarget;
    return (w[i] / buSum.get(urbanOf[i])!) * target;
  });
  const rw = Float64Array.from(ruralIdx, (i) => rural[i]);
  const upop = largestRemainder(uw, facts.urban);
  const rpop = largestRemainder(rw, facts.rural);
  const uaged = largestRemainder(Float64Array.from(urbanIdx, (i, k) => upop[k] * share[i]), URBAN_AGED60, upop);
  const raged = largestRemainder(Float64Array.from(ruralIdx, (i, k) => rpop[k] * share[i]), facts.aged60 - URBAN_AGED60, rpop);

  const rows: { i: number; pop: number; aged: number; urban: number }[] = [];
  urbanIdx.forEach((i, k) => { if (upop[k] > 0) rows.push({ i, pop: upop[k], aged: uaged[k], urban: 1 }); });
  ruralIdx.forEach((i, k) => { if (rpop[k] > 0) rows.push({ i, pop: rpop[k], aged: raged[k], urban: 0 }); });
  rows.sort((a, b) => a.i - b.i);
  const m = rows.length;
  const out: PopulationCells = {
    count: m, x: new Float64Array(m), y: new Float64Array(m), lon: new Float64Array(m), lat: new Float64Array(m),
    population: new Int32Array(m), aged60: new Int32Array(m), urban: new Uint8Array(m), township: new Int16Array(m),
  };
  rows.forEach((row, k) => {
    const c = row.i % g.cols, r = (row.i - c) / g.cols;
    out.x[k] = g.xr[c]; out.y[k] = g.yr[r]; out.lon[k] = g.lon[c]; out.lat[k] = g.lat[r];
    out.population[k] = row.pop; out.aged60[k] = row.aged; out.urban[k] = row.urban; out.township[k] = tw[row.i];
  });
  return out;
}

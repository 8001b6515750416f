import type { GridFrame } from './grid-frame.ts';

/** Samples per cell side of the lattice area-weighting builders count: 4×4 per cell. */
export const SAMPLES_PER_CELL_SIDE = 4;

/**
 * How many points of the frame's cell-aligned sample lattice (4×4 per cell) fall inside the rings, per
 * cell, added into `counts`. Rings are flat [x, y, x, y, …] in frame metres, open or closed; the even-odd
 * rule over all rings takes holes out. A scanline sweep with an active edge list keeps big polygons cheap.
 *
 * @example
 * const counts = latticeSampleCounts(frame, [Float64Array.of(0, 0, 250, 0, 250, 250, 0, 250)]);
 */
export function latticeSampleCounts(frame: GridFrame, rings: Float64Array[], counts = new Map<number, number>()): Map<number, number> {
  const { x0, y0, cols, rows, cellSize } = frame;
  const step = cellSize / SAMPLES_PER_CELL_SIDE;
  // edges as columns, lower end first; horizontal edges never cross a scanline
  const lowY: number[] = [], highY: number[] = [], lowX: number[] = [], slope: number[] = [];
  let minY = Infinity, maxY = -Infinity;
  for (const ring of rings) {
    const n = ring.length >> 1;
    for (let k = 0; k < n; k++) {
      const q = (k + 1) % n;
      const xa = ring[2 * k], ya = ring[2 * k + 1], xb = ring[2 * q], yb = ring[2 * q + 1];
      if (ya === yb) continue;
      const up = ya < yb;
      lowY.push(up ? ya : yb);
      highY.push(up ? yb : ya);
      lowX.push(up ? xa : xb);
      slope.push((xb - xa) / (yb - ya));
      if (lowY[lowY.length - 1] < minY) minY = lowY[lowY.length - 1];
      if (highY[highY.length - 1] > maxY) maxY = highY[highY.length - 1];
    }
  }
  if (lowY.length === 0) return counts;
  const order = Array.from(lowY.keys()).sort((a, b) => lowY[a] - lowY[b]);
  let active: number[] = [];
  let next = 0;
  const crossings: number[] = [];
  const firstRow = Math.ceil((minY - y0) / step - 0.5), lastRow = Math.floor((maxY - y0) / step - 0.5);
  for (let i = firstRow; i <= lastRow; i++) {
    const y = y0 + (i + 0.5) * step;
    while (next < order.length && lowY[order[next]] <= y) active.push(order[next++]);
    active = active.filter((e) => highY[e] > y);
    crossings.length = 0;
    // half-open [low, high) so a vertex on the scanline counts once
    for (const e of active) crossings.push(lowX[e] + (y - lowY[e]) * slope[e]);
    crossings.sort((a, b) => a - b);
    const row = Math.min(rows - 1, Math.max(0, Math.floor(i / SAMPLES_PER_CELL_SIDE)));
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // lattice columns j with x0 + (j + 0.5) * step in [left, right)
      const j0 = Math.ceil((crossings[k] - x0) / step - 0.5);
      const j1 = Math.ceil((crossings[k + 1] - x0) / step - 0.5) - 1;
      for (let j = j0; j <= j1; ) {
        const col = Math.floor(j / SAMPLES_PER_CELL_SIDE);
        const end = Math.min(j1, (col + 1) * SAMPLES_PER_CELL_SIDE - 1);
        const key = row * cols + Math.min(cols - 1, Math.max(0, col));
        counts.set(key, (counts.get(key) ?? 0) + (end - j + 1));
        j = end + 1;
      }
    }
  }
  return counts;
}

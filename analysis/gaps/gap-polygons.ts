import type { MultiPolygon, Polygon, Position } from 'geojson';
import { gridProjection, type PopulationGrid } from '../grid/population-grid.ts';

export interface GapShapeOptions {
  /** 4 (default): cells touching only at a corner are separate gaps; 8: they form one MultiPolygon gap */
  connectivity?: 4 | 8;
  /** per cell: neighbours join one gap only when their keys are equal (e.g. township and reason) */
  splitBy?: Int32Array;
}

/** One gap's outline and the populated cells (indices into the grid) it holds, ascending. */
export interface GapShape {
  geometry: Polygon | MultiPolygon;
  cells: Int32Array;
}

// cell sides, numbered so that side s is walked in the direction of side s+1's outward normal (counter-clockwise)
const S = 0, E = 1, N = 2, W = 3;

/**
 * Dissolves masked populated cells into polygons by tracing cell edges, one polygon per connected group of
 * cells (of one `splitBy` key), in row-major order of each group's first cell.
 *
 * Geometry: rings run along cell edges (the local projection is affine in lon/lat, so the edges are exact
 * straight lines), collinear vertices merged, exterior rings counter-clockwise and holes clockwise (RFC 7946).
 * Groups are 4-connected: two cells that touch only at a corner belong to different gaps unless joined through
 * other cells (with `connectivity: 8` such groups become one MultiPolygon whose parts touch at that corner).
 * Inside one group, a corner where the group's cells touch diagonally is crossed (8-connected tracing), so the
 * empty cells on either side end up in different rings: the shell and each hole are simple rings that may touch
 * one another at single corners, which OGC (and PostGIS `ST_IsValid`) accepts, instead of one ring that
 * touches itself there, which it does not.
 *
 * @example
 * const shapes = traceGapShapes(grid, mask, { splitBy: townshipOfCell });
 * shapes[0].geometry; shapes[0].cells;
 */
export function traceGapShapes(grid: PopulationGrid, cellMask: Uint8Array, options: GapShapeOptions = {}): GapShape[] {
  const n = grid.count;
  checkInputs(grid, cellMask, options);
  const connectivity = options.connectivity ?? 4;
  const key = options.splitBy;
  const { cols } = grid;

  // frame of the masked cells, padded by one empty cell so every ring closes inside it
  let minC = Infinity, maxC = -1, minR = Infinity, maxR = -1, masked = 0;
  for (let j = 0; j < n; j++) {
    if (cellMask[j] !== 1) continue;
    masked++;
    const col = grid.cellIndex[j] % cols, row = (grid.cellIndex[j] - col) / cols;
    if (col < minC) minC = col;
    if (col > maxC) maxC = col;
    if (row < minR) minR = row;
    if (row > maxR) maxR = row;
  }
  if (masked === 0) return [];
  const width = maxC - minC + 3, height = maxR - minR + 3;
  const size = width * height;
  const cellAt = new Int32Array(size).fill(-1);
  const cellPos = new Int32Array(masked);
  const cellOf = new Int32Array(masked);
  for (let j = 0, k = 0; j < n; j++) {
    if (cellMask[j] !== 1) continue;
    const col = grid.cellIndex[j] % cols, row = (grid.cellIndex[j] - col) / cols;
    const p = (row - minR + 1) * width + (col - minC + 1);
    cellAt[p] = j;
    cellPos[k] = p;
    cellOf[k++] = j;
  }

  // 4-connected components by flood fill, numbered from 1 in row-major order of their first cell
  const label = new Int32Array(size);
  const stack = new Int32Array(masked);
  const delta = [-width, 1, width, -1];
  let parts = 0;
  for (let k = 0; k < masked; k++) {
    const start = cellPos[k];
    if (label[start] !== 0) continue;
    label[start] = ++parts;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top];
      for (let s = 0; s < 4; s++) {
        const q = p + delta[s];
        if (cellAt[q] >= 0 && label[q] === 0 && (key === undefined || key[cellAt[q]] === key[cellAt[p]])) { label[q] = parts; stack[top++] = q; }
      }
    }
  }

  // gap of each part: the part itself, or with 8-connectivity the union of parts touching at corners
  const gapOfPart = new Int32Array(parts + 1);
  for (let i = 1; i <= parts; i++) gapOfPart[i] = i;
  if (connectivity === 8) {
    const find = (x: number): number => {
      while (gapOfPart[x] !== x) { gapOfPart[x] = gapOfPart[gapOfPart[x]]; x = gapOfPart[x]; }
      return x;
    };
    for (let k = 0; k < masked; k++) {
      const p = cellPos[k], a = label[p];
      for (const q of [p + width + 1, p + width - 1]) {
        const b = label[q];
        if (b === 0 || b === a || (key !== undefined && key[cellAt[q]] !== key[cellAt[p]])) continue;
        const ra = find(a), rb = find(b);
        if (ra !== rb) gapOfPart[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
    for (let i = 1; i <= parts; i++) gapOfPart[i] = find(i);
  }

  // rings: every cell side with another label across it, traced once
  const lonOfCol = new Float64Array(width + 1), latOfRow = new Float64Array(height + 1);
  const proj = gridProjection(grid);
  for (let c = 0; c <= width; c++) lonOfCol[c] = proj.inverse(grid.x0 + (c - 1 + minC) * grid.cellSize, 0)[0];
  for (let r = 0; r <= height; r++) latOfRow[r] = proj.inverse(0, grid.y0 + (r - 1 + minR) * grid.cellSize)[1];
  const visited = new Uint8Array(size);
  const shells: Position[][] = new Array(parts + 1);
  const holes: Position[][][] = Array.from({ length: parts + 1 }, () => []);
  for (let k = 0; k < masked; k++) {
    const p = cellPos[k], a = label[p];
    for (let s = 0; s < 4; s++) {
      if (visited[p] & (1 << s) || label[p + delta[s]] === a) continue;
      const { ring, area2 } = traceRing(label, visited, delta, width, p, s, lonOfCol, latOfRow);
      if (area2 > 0) shells[a] = ring;
      else holes[a].push(ring);
    }
  }

  // cells of each gap, ascending
  const gaps = parts + 1;
  const counts = new Int32Array(gaps + 1);
  for (let k = 0; k < masked; k++) counts[gapOfPart[label[cellPos[k]]] + 1]++;
  for (let g = 0; g < gaps; g++) counts[g + 1] += counts[g];
  const fillAt = counts.slice(0, gaps);
  const members = new Int32Array(masked);
  for (let k = 0; k < masked; k++) members[fillAt[gapOfPart[label[cellPos[k]]]]++] = cellOf[k];
  const partsOf: number[][] = Array.from({ length: gaps }, () => []);
  for (let i = 1; i <= parts; i++) partsOf[gapOfPart[i]].push(i);
  const shapes: GapShape[] = [];
  for (let g = 1; g < gaps; g++) {
    if (gapOfPart[g] !== g) continue;
    const polygons = partsOf[g].map((i) => [shells[i], ...holes[i]]);
    shapes.push({
      geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons },
      cells: members.slice(counts[g], counts[g + 1]).sort(),
    });
  }
  return shapes;
}

/**
 * Walks one ring with the part's cells on its left, from side `s0` of cell `p0`, marking the sides it uses.
 * At a corner it turns right onto the diagonal cell if that cell is in the part, else goes straight if the
 * cell ahead is, else turns left around its own cell. Only corners are emitted, so collinear vertices vanish.
 */
function traceRing(
  label: Int32Array, visited: Uint8Array, delta: number[], width: number, p0: number, s0: number,
  lonOfCol: Float64Array, latOfRow: Float64Array,
): { ring: Position[]; area2: number } {
  const part = label[p0];
  const ring: Position[] = [];
  const xs: number[] = [], ys: number[] = [];
  let p = p0, s = s0;
  do {
    visited[p] |= 1 << s;
    const ahead = p + delta[(s + 1) & 3];
    const diagonal = ahead + delta[s];
    let np: number, ns: number;
    if (label[diagonal] === part) { np = diagonal; ns = (s + 3) & 3; }
    else if (label[ahead] === part) { np = ahead; ns = s; }
    else { np = p; ns = (s + 1) & 3; }
    if (ns !== s) {
      // the corner at the end of side s of cell p
      const col = p % width, row = (p - col) / width;
      const x = s === S || s === E ? col + 1 : col;
      const y = s === E || s === N ? row + 1 : row;
      xs.push(x); ys.push(y);
      ring.push([lonOfCol[x], latOfRow[y]]);
    }
    p = np; s = ns;
  } while (p !== p0 || s !== s0);
  ring.push([ring[0][0], ring[0][1]]);
  // twice the signed area in cell units: positive for the counter-clockwise shell
  let area2 = 0;
  for (let i = 0, m = xs.length, k = m - 1; i < m; k = i++) area2 += xs[k] * ys[i] - xs[i] * ys[k];
  return { ring, area2 };
}

function checkInputs(grid: PopulationGrid, cellMask: Uint8Array, options: GapShapeOptions): void {
  const n = grid.count;
  if (cellMask.length !== n) throw new Error(`gap polygons: cellMask has ${cellMask.length} entries, expected one per populated cell (${n})`);
  if (options.splitBy && options.splitBy.length !== n) throw new Error(`gap polygons: splitBy has ${options.splitBy.length} entries, expected ${n}`);
  if (options.connectivity !== undefined && options.connectivity !== 4 && options.connectivity !== 8) {
    throw new Error(`gap polygons: connectivity must be 4 or 8, found ${String(options.connectivity)}`);
  }
}

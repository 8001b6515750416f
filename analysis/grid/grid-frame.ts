import { createLocalProjection, type LocalProjection } from '../geo/local-projection.ts';
import { gridFromPoints, type PopulationGrid } from './population-grid.ts';

/**
 * The grid frame `gridFromPoints` derives from a lon/lat box, made available before any point exists,
 * so builders that sample an area themselves (polygons, coarse rasters) sample on the final cells.
 */
export interface GridFrame {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
  readonly cellSize: number;
  readonly x0: number;
  readonly y0: number;
  readonly cols: number;
  readonly rows: number;
  /** frame coordinates of (minLon, minLat) and (maxLon, maxLat) */
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
  readonly projection: LocalProjection;
}

/** Population (and optional aged 60+ and urban class) per cell; a cell may appear more than once. */
export interface CellShares {
  cell: ArrayLike<number>;
  population: ArrayLike<number>;
  aged60?: ArrayLike<number>;
  urbanClass?: ArrayLike<number>;
}

/**
 * The frame `gridFromPoints` would build for points spanning this box (same centre, same snapping).
 *
 * @example
 * const frame = gridFrameForBounds(106.3, 30.4, 106.6, 30.7, 100);
 */
export function gridFrameForBounds(minLon: number, minLat: number, maxLon: number, maxLat: number, cellSize: number): GridFrame {
  if (!(cellSize > 0)) throw new Error(`cellSize must be a positive number of metres, found ${cellSize}`);
  if (![minLon, minLat, maxLon, maxLat].every(Number.isFinite) || minLon > maxLon || minLat > maxLat) {
    throw new Error(`grid bounds must be finite with min <= max, found [${minLon}, ${minLat}, ${maxLon}, ${maxLat}]`);
  }
  // the same arithmetic as gridFromPoints, so both arrive at bit-identical frames
  const lon0 = (minLon + maxLon) / 2, lat0 = (minLat + maxLat) / 2;
  const projection = createLocalProjection(lon0, lat0);
  const [xMin, yMin] = projection.forward(minLon, minLat);
  const [xMax, yMax] = projection.forward(maxLon, maxLat);
  const x0 = Math.floor(xMin / cellSize) * cellSize;
  const y0 = Math.floor(yMin / cellSize) * cellSize;
  const cols = Math.floor((xMax - x0) / cellSize) + 1;
  const rows = Math.floor((yMax - y0) / cellSize) + 1;
  return { minLon, minLat, maxLon, maxLat, cellSize, x0, y0, cols, rows, xMin, yMin, xMax, yMax, projection };
}

/** `row * cols + col` of the cell holding frame coordinates (x, y), clamped into the frame. */
export function frameCellAt(frame: GridFrame, x: number, y: number): number {
  const col = Math.min(frame.cols - 1, Math.max(0, Math.floor((x - frame.x0) / frame.cellSize)));
  const row = Math.min(frame.rows - 1, Math.max(0, Math.floor((y - frame.y0) / frame.cellSize)));
  return row * frame.cols + col;
}

/**
 * Builds the PopulationGrid for per-cell shares through `gridFromPoints` (cell centres as origins), so every
 * builder returns grids of one make; throws if the frame did not come out as planned.
 *
 * @example
 * const grid = gridFromCellShares(frame, { cell: [12, 13], population: [40.5, 9.5] });
 */
export function gridFromCellShares(frame: GridFrame, shares: CellShares): PopulationGrid {
  const m = shares.cell.length;
  if (shares.population.length !== m || (shares.aged60 && shares.aged60.length !== m) || (shares.urbanClass && shares.urbanClass.length !== m)) {
    throw new Error(`cell shares: cell, population, aged60 and urbanClass must have one entry per share (${m})`);
  }
  // two empty anchors at the box corners make gridFromPoints pick exactly this frame
  const n = m + 2;
  const lon = new Float64Array(n), lat = new Float64Array(n), population = new Float64Array(n);
  const aged60 = shares.aged60 ? new Float64Array(n) : undefined;
  const urbanClass = shares.urbanClass ? new Uint8Array(n) : undefined;
  lon[0] = frame.minLon; lat[0] = frame.minLat;
  lon[1] = frame.maxLon; lat[1] = frame.maxLat;
  const { x0, y0, cellSize: size, cols, projection } = frame;
  const expected: number[] = [];
  for (let k = 0; k < m; k++) {
    const cell = shares.cell[k];
    const col = cell % cols, row = (cell - col) / cols;
    // middle of the cell's part inside the box: inside the cell, and inside the box gridFromPoints sees
    const xm = (Math.max(x0 + col * size, frame.xMin) + Math.min(x0 + (col + 1) * size, frame.xMax)) / 2;
    const ym = (Math.max(y0 + row * size, frame.yMin) + Math.min(y0 + (row + 1) * size, frame.yMax)) / 2;
    const [plon, plat] = projection.inverse(xm, ym);
    lon[k + 2] = Math.min(frame.maxLon, Math.max(frame.minLon, plon));
    lat[k + 2] = Math.min(frame.maxLat, Math.max(frame.minLat, plat));
    population[k + 2] = shares.population[k];
    if (aged60 && shares.aged60) aged60[k + 2] = shares.aged60[k];
    if (urbanClass && shares.urbanClass) urbanClass[k + 2] = shares.urbanClass[k];
    if (population[k + 2] > 0 || (aged60 !== undefined && aged60[k + 2] > 0)) expected.push(cell);
  }
  const grid = gridFromPoints({ lon, lat, population, aged60, urbanClass }, { cellSize: size, weightedOrigins: false });
  const cells = Uint32Array.from(new Set(expected)).sort();
  let same = grid.x0 === x0 && grid.y0 === y0 && grid.cols === cols && grid.rows === frame.rows && grid.count === cells.length;
  for (let j = 0; same && j < cells.length; j++) same = grid.cellIndex[j] === cells[j];
  if (!same) {
    throw new Error(`grid frame mismatch: expected ${cols}x${frame.rows} cells from (${x0}, ${y0}) holding ${cells.length} populated, found ${grid.cols}x${grid.rows} from (${grid.x0}, ${grid.y0}) holding ${grid.count}; gridFromPoints changed how it frames points`);
  }
  return grid;
}

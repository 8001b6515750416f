import { sumOf, type PopulationGrid } from '../../../analysis/grid/population-grid.ts';
import { packColumns, unpackColumns } from '../../db/binary-columns.ts';

interface GridHeader {
  lon0: number; lat0: number; x0: number; y0: number; cellSize: number; cols: number; rows: number; count: number; hasAged60: boolean;
}

/**
 * A grid as one bytea value; admin units are not stored with it, they are assigned when it is loaded, so
 * re-importing townships needs no new grid.
 *
 * @example const buf = encodeGrid(grid); const again = decodeGrid(buf);
 */
export function encodeGrid(grid: PopulationGrid): Buffer {
  const { lon0, lat0, x0, y0, cellSize, cols, rows, count, hasAged60 } = grid;
  const header: GridHeader = { lon0, lat0, x0, y0, cellSize, cols, rows, count, hasAged60 };
  return packColumns({ ...header }, {
    cellIndex: grid.cellIndex, originLon: grid.originLon, originLat: grid.originLat,
    population: grid.population, aged60: grid.aged60, urbanClass: grid.urbanClass,
  });
}

export function decodeGrid(buf: Uint8Array): PopulationGrid {
  const u = unpackColumns(buf, 'population grid');
  const h = u.header as unknown as GridHeader;
  return {
    lon0: h.lon0, lat0: h.lat0, x0: h.x0, y0: h.y0, cellSize: h.cellSize, cols: h.cols, rows: h.rows, count: h.count,
    cellIndex: u.column('cellIndex', 'u32'), originLon: u.column('originLon', 'f64'), originLat: u.column('originLat', 'f64'),
    population: u.column('population', 'f64'), aged60: u.column('aged60', 'f64'), hasAged60: h.hasAged60,
    urbanClass: u.column('urbanClass', 'u8'),
    unit: new Int32Array(h.count).fill(-1), unitNames: [], unitCodes: [],
  };
}

/** Totals and frame shown with a grid without unpacking it. */
export function gridMetadata(grid: PopulationGrid): Record<string, unknown> {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (let i = 0; i < grid.count; i++) {
    minLon = Math.min(minLon, grid.originLon[i]); maxLon = Math.max(maxLon, grid.originLon[i]);
    minLat = Math.min(minLat, grid.originLat[i]); maxLat = Math.max(maxLat, grid.originLat[i]);
  }
  return {
    population: Math.round(sumOf(grid.population)),
    aged60: grid.hasAged60 ? Math.round(sumOf(grid.aged60)) : null,
    cols: grid.cols, rows: grid.rows,
    bbox: grid.count > 0 ? [minLon, minLat, maxLon, maxLat] : null,
  };
}

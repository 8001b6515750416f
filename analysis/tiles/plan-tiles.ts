import type { PopulationGrid } from '../grid/population-grid.ts';
import { growBox, type LonLatBox } from './lon-lat-box.ts';

/** One county's share of a region run: the cells it owns and how far around them it must see. */
export interface TilePlan {
  /** index into the grid's unitNames; -1 gathers the cells outside every unit */
  readonly unit: number;
  readonly name: string;
  /** region cells this tile owns and reports, ascending; every cell is owned by exactly one tile */
  readonly cells: Int32Array;
  /** bounding box of the owned cells' origins */
  readonly box: LonLatBox;
  readonly haloMeters: number;
  /** the box grown by haloMeters (great-circle): every road point a cell can reach within the cut-off lies in it */
  readonly haloBox: LonLatBox;
}

/**
 * One tile per unit (county) of the grid, from the cells' unit assignment (`assignUnits`), each with its
 * halo; cells outside every unit form one more tile, so none is lost.
 *
 * @example
 * const tiles = planTiles(assignUnits(grid, counties), { haloMeters: haloMeters(request) });
 */
export function planTiles(grid: PopulationGrid, options: { haloMeters: number }): TilePlan[] {
  const { haloMeters } = options;
  if (!(haloMeters >= 0) || !Number.isFinite(haloMeters)) throw new Error(`planTiles: haloMeters must be a finite number >= 0, found ${haloMeters}`);
  const units = grid.unitNames.length;
  // counting sort of the cells by unit (slot `units` for none), ascending within each
  const start = new Int32Array(units + 2);
  for (let c = 0; c < grid.count; c++) {
    const u = grid.unit[c];
    if (u >= units) throw new Error(`planTiles: cell ${c} has unit ${u}, but the grid names only ${units} units`);
    start[(u < 0 ? units : u) + 1]++;
  }
  for (let u = 0; u <= units; u++) start[u + 1] += start[u];
  const fill = start.slice(0, units + 1);
  const order = new Int32Array(grid.count);
  for (let c = 0; c < grid.count; c++) order[fill[grid.unit[c] < 0 ? units : grid.unit[c]]++] = c;
  const tiles: TilePlan[] = [];
  for (let u = 0; u <= units; u++) {
    if (start[u + 1] === start[u]) continue;
    const cells = order.slice(start[u], start[u + 1]);
    let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
    for (const c of cells) {
      const lon = grid.originLon[c], lat = grid.originLat[c];
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
    const box: LonLatBox = [minLon, minLat, maxLon, maxLat];
    const unit = u === units ? -1 : u;
    tiles.push({ unit, name: unit < 0 ? '(outside every unit)' : grid.unitNames[u], cells, box, haloMeters, haloBox: growBox(box, haloMeters) });
  }
  return tiles;
}

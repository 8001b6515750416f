import type { Map as MapLibreMap } from 'maplibre-gl';
import { createLocalProjection } from '../../../analysis/geo/local-projection.ts';
import type { PopulationGridJson } from '../source/api-types.ts';
import { hexRgb, POPULATION_STOPS } from '../style/palette.ts';

export type PopulationMeasure = 'all' | 'aged60';

export const POPULATION_LAYER: Record<PopulationMeasure, string> = { all: 'population-all', aged60: 'population-aged60' };

// stops of the ramp as RGB once, for the per-cell loop
const STOPS = POPULATION_STOPS.map(([v, c]) => [v, ...hexRgb(c)] as [number, number, number, number]);

function colour(v: number, out: Uint8ClampedArray, o: number): void {
  let i = 1;
  while (i < STOPS.length - 1 && v > STOPS[i][0]) i++;
  const a = STOPS[i - 1], b = STOPS[i];
  const f = Math.max(0, Math.min(1, (v - a[0]) / (b[0] - a[0])));
  out[o] = a[1] + (b[1] - a[1]) * f;
  out[o + 1] = a[2] + (b[2] - a[2]) * f;
  out[o + 2] = a[3] + (b[3] - a[3]) * f;
  out[o + 3] = 220;
}

/**
 * Paints one pixel per grid cell. The grid's local projection is equirectangular, so columns are
 * meridians and rows parallels: the canvas maps onto the map as a lon/lat rectangle without warping.
 */
function paint(grid: PopulationGridJson, values: number[]): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = grid.cols;
  canvas.height = grid.rows;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('population layer: this browser gives no 2D canvas context');
  const image = ctx.createImageData(grid.cols, grid.rows);
  for (let i = 0; i < grid.count; i++) {
    const v = values[i];
    if (!(v > 0)) continue;
    const cell = grid.cellIndex[i];
    const col = cell % grid.cols, row = (cell - col) / grid.cols;
    // row 0 is the southern row; canvas row 0 is the top
    colour(v, image.data, ((grid.rows - 1 - row) * grid.cols + col) * 4);
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** [top-left, top-right, bottom-right, bottom-left] of the grid frame in lon/lat. */
export function gridCorners(grid: PopulationGridJson): [[number, number], [number, number], [number, number], [number, number]] {
  const p = createLocalProjection(grid.lon0, grid.lat0);
  const x1 = grid.x0 + grid.cols * grid.cellSize, y1 = grid.y0 + grid.rows * grid.cellSize;
  return [p.inverse(grid.x0, y1), p.inverse(x1, y1), p.inverse(x1, grid.y0), p.inverse(grid.x0, grid.y0)];
}

/**
 * Adds the population grid as two static canvas sources (all residents, aged 60+) with a raster layer each,
 * hidden, under `beforeId`; the layer toggle shows one of them.
 *
 * @example addPopulationLayers(map, grid, 'township-shading');
 */
export function addPopulationLayers(map: MapLibreMap, grid: PopulationGridJson, beforeId: string): void {
  // a new grid (an import) replaces the old canvases rather than stacking on them
  for (const id of Object.values(POPULATION_LAYER)) {
    if (map.getLayer(id)) map.removeLayer(id);
    if (map.getSource(id)) map.removeSource(id);
  }
  const coordinates = gridCorners(grid);
  const measures: Array<[PopulationMeasure, number[]]> = [['all', grid.population]];
  if (grid.hasAged60) measures.push(['aged60', grid.aged60]);
  for (const [measure, values] of measures) {
    const id = POPULATION_LAYER[measure];
    map.addSource(id, { type: 'canvas', canvas: paint(grid, values), coordinates, animate: false });
    map.addLayer({
      id, type: 'raster', source: id, layout: { visibility: 'none' },
      // nearest-neighbour keeps the 100 m cells crisp when zoomed in
      paint: { 'raster-opacity': 0.85, 'raster-resampling': 'nearest', 'raster-fade-duration': 0 },
    }, beforeId);
  }
}

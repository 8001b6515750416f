import { haversineMeters } from '../geo/local-projection.ts';
import { frameCellAt, gridFrameForBounds, gridFromCellShares } from './grid-frame.ts';
import { latticeSampleCounts } from './lattice-sample-counts.ts';
import { gridFromPoints, MAX_POINT_POPULATION, type GridOptions, type PopulationGrid } from './population-grid.ts';

/** A single-band population raster (people per pixel), as read from a GeoTIFF. */
export interface PopulationRaster {
  width: number;
  height: number;
  /** row-major, top row first as stored; width * height values */
  data: ArrayLike<number>;
  /** GDAL geotransform: x = gt[0] + col*gt[1] + row*gt[2], y = gt[3] + col*gt[4] + row*gt[5] (pixel corners) */
  geoTransform: [number, number, number, number, number, number];
  noData?: number | null;
  /** raster CRS → lon/lat, for projected rasters (Mollweide, Web Mercator); identity for EPSG:4326 */
  toLonLat?: (x: number, y: number) => [number, number];
  /** names the raster in error messages, e.g. its file */
  source?: string;
}

export interface RasterGridOptions extends GridOptions {
  /** share of residents aged 60+, applied to every pixel; leaves hasAged60 false when absent */
  aged60Share?: number;
}

// corners come top-left, top-right, bottom-left, bottom-right; a ring goes round them in this order
const RING_ORDER = [0, 1, 3, 2];
// probes per side of the populated block when judging whether pixels are larger than cells
const SIZE_PROBES = 5;

const identity = (x: number, y: number): [number, number] => [x, y];

/**
 * Grids a population raster, conserving its total: pixels no larger than a cell go whole to the cell
 * holding their centre; larger ones (1 km GHS-POP into 100 m cells) are spread over the cells they cover
 * by area, counted on the same 4×4-per-cell sample lattice as polygons, equal shares per sample. Nodata, NaN, zero and negative pixels are skipped.
 *
 * @example
 * const grid = gridFromRaster({ width, height, data, geoTransform: [106.3, 1 / 1200, 0, 30.7, 0, -1 / 1200], noData: -99999 });
 */
export function gridFromRaster(raster: PopulationRaster, options: RasterGridOptions = {}): PopulationGrid {
  const source = raster.source ?? 'raster';
  const { width, height, data, geoTransform: gt } = raster;
  const cellSize = options.cellSize ?? 100;
  if (!(cellSize > 0)) throw new Error(`${source}: cellSize must be a positive number of metres, found ${cellSize}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`${source}: width and height must be positive integers, found ${width} x ${height}`);
  }
  if (data.length !== width * height) {
    throw new Error(`${source}: expected ${width} x ${height} = ${width * height} pixel values, found ${data.length}`);
  }
  if (!Array.isArray(gt) || gt.length !== 6 || !gt.every(Number.isFinite)) {
    throw new Error(`${source}: geoTransform must be 6 finite numbers, found ${JSON.stringify(gt)}`);
  }
  if (gt[2] !== 0 || gt[4] !== 0) {
    throw new Error(`${source}: rotated or sheared rasters are not supported: expected geoTransform[2] and [4] to be 0, found ${gt[2]} and ${gt[4]}`);
  }
  if (gt[1] === 0 || gt[5] === 0) throw new Error(`${source}: pixel size must be non-zero, found ${gt[1]} x ${gt[5]}`);
  const share = options.aged60Share;
  if (share !== undefined && !(share >= 0 && share <= 1)) {
    throw new Error(`${source}: aged60Share must be a fraction in [0, 1], found ${share}`);
  }
  const toLonLat = raster.toLonLat ?? identity;
  const noData = raster.noData ?? null;
  const noData32 = noData === null ? null : Math.fround(noData);

  // the value of a pixel worth gridding, or 0; nodata may be stored as float32, so both forms match
  const valueAt = (i: number): number => {
    const v = data[i];
    if (!(v > 0) || v === noData || v === noData32) return 0;
    if (v > MAX_POINT_POPULATION) throw new Error(`${source}: pixel (col ${i % width}, row ${Math.floor(i / width)}) must be a population in [0, 1e8], found ${v}`);
    return v;
  };
  const corner = (col: number, row: number): [number, number] => {
    const p = toLonLat(gt[0] + col * gt[1], gt[3] + row * gt[5]);
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1]) || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
      throw new Error(`${source}: pixel corner (col ${col}, row ${row}) must map to lon/lat in degrees, found (${p[0]}, ${p[1]}); check the raster's CRS`);
    }
    return p;
  };

  let c0 = width, c1 = -1, r0 = height, r1 = -1, populated = 0;
  for (let row = 0; row < height; row++) {
    for (let col = 0, i = row * width; col < width; col++, i++) {
      if (valueAt(i) === 0) continue;
      populated++;
      if (col < c0) c0 = col;
      if (col > c1) c1 = col;
      if (row < r0) r0 = row;
      if (row > r1) r1 = row;
    }
  }
  if (populated === 0) {
    throw new Error(`${source}: expected pixels with population > 0, found none in ${width} x ${height} pixels (nodata ${noData})`);
  }

  if (largestPixelEdge(corner, c0, c1, r0, r1) <= cellSize) {
    // fine raster: each pixel goes whole to the cell holding its centre
    const lon = new Float64Array(populated), lat = new Float64Array(populated), population = new Float64Array(populated);
    let k = 0;
    for (let row = r0; row <= r1; row++) {
      for (let col = c0, i = row * width + c0; col <= c1; col++, i++) {
        const v = valueAt(i);
        if (v === 0) continue;
        const p = toLonLat(gt[0] + (col + 0.5) * gt[1], gt[3] + (row + 0.5) * gt[5]);
        lon[k] = p[0];
        lat[k] = p[1];
        population[k++] = v;
      }
    }
    const aged60 = share === undefined ? undefined : population.map((p) => p * share);
    return gridFromPoints({ lon, lat, population, aged60 }, { cellSize, weightedOrigins: false });
  }
  return gridFromCoarsePixels();

  function gridFromCoarsePixels(): PopulationGrid {
    // pass 1: the box of every populated pixel's corners fixes the frame
    let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
    forEachPixel((_v, corners) => {
      for (let q = 0; q < 8; q += 2) {
        if (corners[q] < minLon) minLon = corners[q];
        if (corners[q] > maxLon) maxLon = corners[q];
        if (corners[q + 1] < minLat) minLat = corners[q + 1];
        if (corners[q + 1] > maxLat) maxLat = corners[q + 1];
      }
    });
    const frame = gridFrameForBounds(minLon, minLat, maxLon, maxLat, cellSize);
    const { kx, ky, lon0, lat0 } = frame.projection;
    // pass 2: each pixel is a quadrilateral spread over the cell-aligned 4×4-per-cell lattice, equal shares
    const sums = new Map<number, number>(), counts = new Map<number, number>();
    const quad = new Float64Array(8);
    forEachPixel((v, c) => {
      for (let q = 0; q < 4; q++) {
        quad[2 * q] = (c[2 * RING_ORDER[q]] - lon0) * kx;
        quad[2 * q + 1] = (c[2 * RING_ORDER[q] + 1] - lat0) * ky;
      }
      counts.clear();
      latticeSampleCounts(frame, [quad], counts);
      let total = 0;
      for (const n of counts.values()) total += n;
      if (total === 0) {
        const cell = frameCellAt(frame, (quad[0] + quad[2] + quad[4] + quad[6]) / 4, (quad[1] + quad[3] + quad[5] + quad[7]) / 4);
        sums.set(cell, (sums.get(cell) ?? 0) + v);
        return;
      }
      for (const [cell, n] of counts) sums.set(cell, (sums.get(cell) ?? 0) + (v * n) / total);
    });
    const cell = Float64Array.from(sums.keys());
    const population = Float64Array.from(sums.values());
    const aged60 = share === undefined ? undefined : population.map((p) => p * share);
    return gridFromCellShares(frame, { cell, population, aged60 });
  }

  function forEachPixel(visit: (value: number, corners: Float64Array) => void): void {
    const corners = new Float64Array(8);
    for (let row = r0; row <= r1; row++) {
      for (let col = c0, i = row * width + c0; col <= c1; col++, i++) {
        const v = valueAt(i);
        if (v === 0) continue;
        corners.set(corner(col, row), 0);
        corners.set(corner(col + 1, row), 2);
        corners.set(corner(col, row + 1), 4);
        corners.set(corner(col + 1, row + 1), 6);
        visit(v, corners);
      }
    }
  }
}

/** Longest pixel edge in metres over a lattice of probes across the populated block. */
function largestPixelEdge(corner: (col: number, row: number) => [number, number], c0: number, c1: number, r0: number, r1: number): number {
  let largest = 0;
  for (let a = 0; a < SIZE_PROBES; a++) {
    const col = Math.round(c0 + ((c1 - c0) * a) / (SIZE_PROBES - 1));
    for (let b = 0; b < SIZE_PROBES; b++) {
      const row = Math.round(r0 + ((r1 - r0) * b) / (SIZE_PROBES - 1));
      const p = corner(col, row), right = corner(col + 1, row), below = corner(col, row + 1);
      largest = Math.max(largest, haversineMeters(p[0], p[1], right[0], right[1]), haversineMeters(p[0], p[1], below[0], below[1]));
    }
  }
  return largest;
}

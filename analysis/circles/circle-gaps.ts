import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { FacilitySet } from '../facilities/facility-set.ts';
import { traceGapShapes, type GapShape } from '../gaps/gap-polygons.ts';
import { URBAN, type PopulationGrid } from '../grid/population-grid.ts';
import { COVERED, GAP_REASON_TEXT, GAP_REASONS, NOT_ASSESSED, type Circle, type GapReason, type PopulationGroup } from './circle.ts';

/** What a gap polygon says on its own, so the bureau can reserve land from the file alone. */
export interface GapProperties {
  /** stable within a region's grid: township, reason, side and first cell, e.g. 511621110-beyond_reach-rural-8812 */
  gap_id: string;
  /** 1 = the gap with the most uncovered residents of the circle's group */
  rank: number;
  /** the one township (admin unit) the gap lies in; '' outside every township */
  township_code: string;
  township: string;
  reason: GapReason;
  reason_zh: string;
  /** which reach judged it: urban or rural cells */
  side: 'urban' | 'rural';
  /** the circle's group: aged60, all or rural residents */
  group: PopulationGroup;
  /** uncovered residents of that group (aged 60+ for the elderly circle) */
  uncovered_group: number;
  uncovered_population: number;
  /** null when the grid has no age data */
  uncovered_60plus: number | null;
  cells: number;
  area_km2: number;
  /** group-weighted mean and maximum time (or distance) to the nearest facility; null where none was found */
  mean_cost: number | null;
  max_cost: number | null;
  cost_unit: 'minutes' | 'meters';
  /** the reach the gap misses, in cost_unit */
  threshold: number;
  /** the facility nearest for most of the gap's group (the farthest service's, for 'every' circles) */
  nearest_facility_id: string | null;
  nearest_facility_name: string | null;
  preset: string | null;
}

export type GapFeature = Feature<Polygon | MultiPolygon, GapProperties>;

/** The per-cell part of a circle result the gaps are traced from. */
export interface CircleCells {
  circle: Circle;
  facilities: FacilitySet;
  side: Uint8Array;
  status: Uint8Array;
  cost: Float64Array;
  threshold: Float64Array;
  facility: Int32Array;
  units: { urban: 'seconds' | 'meters' | null; rural: 'seconds' | 'meters' | null };
}

/** Gaps with the first cell of each (row-major), the tie-break that keeps their order the same however traced. */
export interface TracedGaps {
  features: GapFeature[];
  first: Int32Array;
}

/**
 * The circle's uncovered cells as polygons, split so that one gap holds one township, one reason and one
 * side: a gap never crosses a township boundary, and its reason, time and nearest facility hold for all of it.
 * Sorted by uncovered residents of the circle's group, then of all residents, then by position.
 *
 * @example const gaps = circleGaps(grid, result); gaps.features[0].properties.reason; // 'beyond_reach'
 */
export function circleGaps(
  grid: PopulationGrid, r: CircleCells, options: { connectivity?: 4 | 8 } = {},
): FeatureCollection<Polygon | MultiPolygon, GapProperties> {
  return { type: 'FeatureCollection', features: rankGaps([traceCircleGaps(grid, r, options)]).features };
}

/**
 * The gaps of some townships only (`units[u + 1]` = 1; index 0 = outside every township), unranked: what a
 * what-if retraces where its edits changed something.
 */
export function traceCircleGaps(grid: PopulationGrid, r: CircleCells, options: { connectivity?: 4 | 8 } = {}, units?: Uint8Array): TracedGaps {
  const n = grid.count;
  const mask = new Uint8Array(n), key = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const s = r.status[c];
    if (s === NOT_ASSESSED || s === COVERED) continue;
    if (units !== undefined && units[grid.unit[c] + 1] !== 1) continue;
    mask[c] = 1;
    key[c] = (grid.unit[c] + 1) * 64 + s * 2 + (r.side[c] === URBAN ? 0 : 1);
  }
  const shapes = traceGapShapes(grid, mask, { splitBy: key, connectivity: options.connectivity });
  return { features: shapes.map((shape) => gapFeature(grid, r, shape)), first: Int32Array.from(shapes, (x) => x.cells[0]) };
}

/** Merges traced gaps, sorts them (group, then all residents, then first cell) and numbers their ranks on copies. */
export function rankGaps(parts: TracedGaps[]): TracedGaps {
  const all: Array<{ f: GapFeature; first: number }> = [];
  for (const p of parts) p.features.forEach((f, i) => all.push({ f, first: p.first[i] }));
  all.sort((a, b) => b.f.properties.uncovered_group - a.f.properties.uncovered_group
    || b.f.properties.uncovered_population - a.f.properties.uncovered_population || a.first - b.first);
  return {
    // fresh gaps (rank 0) are numbered in place; kept ones are copied, so a base run is never changed
    features: all.map(({ f }, i) => {
      if (f.properties.rank === 0) { f.properties.rank = i + 1; return f; }
      return f.properties.rank === i + 1 ? f : { ...f, properties: { ...f.properties, rank: i + 1 } };
    }),
    first: Int32Array.from(all, (x) => x.first),
  };
}

function gapFeature(grid: PopulationGrid, r: CircleCells, shape: GapShape): GapFeature {
  const cells = shape.cells;
  const first = cells[0];
  const group = r.circle.population;
  const sideName = r.side[first] === URBAN ? 'urban' : 'rural';
  const unit = r.units[sideName] ?? 'seconds';
  const perUnit = unit === 'seconds' ? 1 / 60 : 1;
  let pop = 0, pop60 = 0, weight = 0, weighted = 0, plain = 0, finite = 0, max = -Infinity;
  const byFacility = new Map<number, number>();
  for (const c of cells) {
    const p = grid.population[c], w = group === 'aged60' ? grid.aged60[c] : p;
    pop += p;
    pop60 += grid.aged60[c];
    weight += w;
    const v = r.cost[c];
    if (Number.isFinite(v)) {
      weighted += v * w; plain += v; finite++;
      if (v > max) max = v;
    }
    const f = r.facility[c];
    if (f >= 0) byFacility.set(f, (byFacility.get(f) ?? 0) + w);
  }
  let nearest = -1, nearestWeight = -1;
  // ties go to the lower facility index, so the answer does not depend on map order
  for (const [f, w] of byFacility) if (w > nearestWeight || (w === nearestWeight && f < nearest)) { nearest = f; nearestWeight = w; }
  const u = grid.unit[first];
  const reason = GAP_REASONS[r.status[first]];
  const mean = finite === 0 ? null : (weight > 0 && finite === cells.length ? weighted / weight : plain / finite);
  return {
    type: 'Feature',
    geometry: shape.geometry,
    properties: {
      gap_id: `${u >= 0 ? grid.unitCodes[u] || `u${u}` : 'none'}-${reason}-${sideName}-${first}`,
      rank: 0,
      township_code: u >= 0 ? grid.unitCodes[u] ?? '' : '',
      township: u >= 0 ? grid.unitNames[u] : '',
      reason, reason_zh: GAP_REASON_TEXT[reason].zh,
      side: sideName, group,
      uncovered_group: group === 'aged60' ? pop60 : pop,
      uncovered_population: pop,
      uncovered_60plus: grid.hasAged60 ? pop60 : null,
      cells: cells.length,
      area_km2: (cells.length * grid.cellSize * grid.cellSize) / 1e6,
      mean_cost: mean === null ? null : mean * perUnit,
      max_cost: finite === 0 ? null : max * perUnit,
      cost_unit: unit === 'seconds' ? 'minutes' : 'meters',
      threshold: r.threshold[first] * perUnit,
      nearest_facility_id: nearest >= 0 ? r.facilities.id[nearest] : null,
      nearest_facility_name: nearest >= 0 ? r.facilities.name[nearest] || null : null,
      preset: r.circle.id,
    },
  };
}

import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { analyzeAccess } from '../../../analysis/accessibility/analyze-access.ts';
import { summarizeCoverage, type CoverageSummary } from '../../../analysis/coverage/coverage-summary.ts';
import { filterFacilities, type FacilitySet } from '../../../analysis/facilities/facility-set.ts';
import { gapPolygons, type GapProperties } from '../../../analysis/gaps/gap-polygons.ts';
import { uncoveredMask } from '../../../analysis/gaps/uncovered-mask.ts';
import { RURAL, URBAN, type PopulationGrid } from '../../../analysis/grid/population-grid.ts';
import { cellsWhere, subsetGrid } from '../../../analysis/standards/grid-subset.ts';
import { reachThreshold, type Reach } from '../../../analysis/standards/presets.ts';
import type { ProgressFn, RegionModel, RegionModelCache } from '../regions/region-model-cache.ts';
import type { AnalysisParameters } from './analysis-request.ts';

// costs are searched this far past the threshold, so gaps can say how far the nearest facility is
const FAR_FACTOR = 3;

/** A run over the cells a circle judges: per-cell costs and thresholds, the coverage summary, the gaps. */
export interface CoverageRun {
  /** the judged cells (indices into the region's grid) and the grid of just those cells */
  cells: Int32Array;
  grid: PopulationGrid;
  cost: Float64Array;
  threshold: Float64Array;
  /** index into `facilities`, -1 where none was found */
  facility: Int32Array;
  unreachable: Uint8Array;
  /** cost unit, or 'mixed' when urban and rural reaches measure differently */
  unit: 'seconds' | 'meters' | 'mixed';
  facilities: FacilitySet;
  facilitiesByGroup: { id: string; count: number }[];
  unsnapped: string[];
  summary: CoverageSummary;
  gaps: FeatureCollection<Polygon | MultiPolygon, GapProperties>;
}

interface ReachCosts {
  cost: Float64Array;
  facility: Int32Array;
  unreachable: Uint8Array;
}

const reachKey = (r: Reach) => `${r.mode}|${r.minutes ?? ''}|${r.meters ?? ''}`;

/**
 * Runs the engine for a circle: one search per distinct reach and service group (a group's cost is its nearest
 * facility; with require 'every' a cell's cost is its worst group's), each cell judged by its class's reach.
 *
 * @example const run = runCoverage(model, cache, facilities, parameters, report);
 */
export function runCoverage(model: RegionModel, cache: RegionModelCache, facilities: FacilitySet, p: AnalysisParameters, report: ProgressFn = () => undefined): CoverageRun {
  const grid = model.grid;
  const indexOfId = new Map(facilities.id.map((id, i) => [id, i]));
  const byReach = new Map<string, ReachCosts>();
  const unsnapped = new Set<string>();
  const facilitiesByGroup = p.groups.map((g) => ({ id: g.id, count: 0 }));
  for (const reach of [p.urban, p.rural]) {
    if (!reach || byReach.has(reachKey(reach))) continue;
    const { costKind } = reachThreshold(reach);
    const far = reach.minutes !== undefined ? { minutes: reach.minutes * FAR_FACTOR } : { meters: reach.meters! * FAR_FACTOR };
    const prepared = reach.mode === 'straight' ? undefined : cache.prepared(model, reach.mode, costKind, report);
    const combined: ReachCosts = { cost: new Float64Array(grid.count).fill(Infinity), facility: new Int32Array(grid.count).fill(-1), unreachable: new Uint8Array(grid.count) };
    if (prepared) for (let c = 0; c < grid.count; c++) combined.unreachable[c] = prepared.origins.segment[c] < 0 ? 1 : 0;
    p.groups.forEach((g, k) => {
      const wanted = new Set(g.categories);
      const set = filterFacilities(facilities, (i) => wanted.has(facilities.category[i]));
      facilitiesByGroup[k].count = set.count;
      // a service with no facility leaves every cell uncovered, whatever the other services reach
      if (set.count === 0) {
        combined.cost.fill(Infinity);
        combined.facility.fill(-1);
        return;
      }
      report(`travel times (${reach.mode}, ${g.id})`);
      const r = analyzeAccess({ grid, facilities: set, mode: reach.mode, ...far, prepared, network: model.network ?? undefined });
      r.unsnappedFacilities.forEach((id) => unsnapped.add(id));
      for (let c = 0; c < grid.count; c++) {
        // 'every': the worst group decides; 'any' has one group
        if (k === 0 || r.cost[c] > combined.cost[c]) {
          combined.cost[c] = r.cost[c];
          combined.facility[c] = r.facility[c] >= 0 ? indexOfId.get(set.id[r.facility[c]])! : -1;
        }
      }
    });
    byReach.set(reachKey(reach), combined);
  }

  report('coverage per township');
  const reachOf = (c: number): Reach | null => {
    const cls = grid.urbanClass[c];
    const side = cls === URBAN ? 'urban' : cls === RURAL ? 'rural' : p.unknownClassAs;
    if (p.population === 'rural' && side !== 'rural') return null;
    return side === 'urban' ? p.urban : p.rural;
  };
  const cells = cellsWhere(grid, (c) => reachOf(c) !== null);
  const sub = subsetGrid(grid, cells);
  const n = cells.length;
  const cost = new Float64Array(n), threshold = new Float64Array(n), facility = new Int32Array(n), unreachable = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const c = cells[k], reach = reachOf(c)!;
    const costs = byReach.get(reachKey(reach))!;
    cost[k] = costs.cost[c];
    facility[k] = costs.facility[c];
    unreachable[k] = costs.unreachable[c];
    threshold[k] = reachThreshold(reach).threshold;
  }
  const kinds = new Set([p.urban, p.rural].filter((r): r is Reach => r !== null).map((r) => reachThreshold(r).costKind));
  const unit = kinds.size > 1 ? 'mixed' : kinds.has('distance') ? 'meters' : 'seconds';
  const main = p.urban ?? p.rural!;
  const summary = summarizeCoverage(sub, cost, reachThreshold(main).threshold, { unreachable, thresholdFor: (k) => threshold[k] });

  report('gap areas');
  const mask = uncoveredMask({ cost, unreachable }, threshold);
  const gaps = gapPolygons(sub, mask, {
    cost: unit === 'mixed' ? undefined : cost, facility, facilityIds: facilities.id, facilityNames: facilities.name,
    unit: unit === 'meters' ? 'meters' : 'seconds', preset: p.preset ?? undefined,
  });
  return { cells, grid: sub, cost, threshold, facility, unreachable, unit, facilities, facilitiesByGroup, unsnapped: [...unsnapped], summary, gaps };
}


import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { pointInPolygon } from '../geo/point-in-polygon.ts';
import type { AdminUnits } from '../grid/assign-units.ts';
import { classifyUrbanByUnit } from '../grid/classify-urban-by-unit.ts';
import { RURAL, URBAN, type PopulationGrid } from '../grid/population-grid.ts';
import { polygonIndex } from '../geo/polygon-index.ts';

/** The ways a run can class cells as urban or rural. */
export type UrbanRuleName = 'unit-type' | 'urban-area' | 'density' | 'input';

export const URBAN_RULES: readonly UrbanRuleName[] = ['unit-type', 'urban-area', 'density', 'input'];

/** What each rule means, for the report. */
export const URBAN_RULE_TEXT: Record<UrbanRuleName, { zh: string; en: string }> = {
  'unit-type': { zh: '按乡镇类型：街道为城镇，镇、乡为农村', en: 'by admin-unit type: 街道 (street) urban, 镇/乡 (town, township) rural' },
  'urban-area': { zh: '按上传的城镇范围面：范围内为城镇', en: 'by an uploaded urban-area polygon: inside urban, outside rural' },
  density: { zh: '按人口密度（城镇化程度法：1平方公里格网≥300人/平方公里且连片人口≥5000为城镇）', en: 'by density (Degree of Urbanisation: 1 km² cells ≥ 300/km² in 8-connected clusters of ≥ 5,000 residents are urban)' },
  input: { zh: '按人口数据中的 urban 字段', en: 'as given by the population data\'s urban column' },
};

/**
 * The rule as the report states it, with the density thresholds actually used.
 *
 * @example urbanRuleText('density', { minDensity: 1500 }).en
 */
export function urbanRuleText(rule: UrbanRuleName, density: DensityRule = {}): { zh: string; en: string } {
  if (rule !== 'density') return URBAN_RULE_TEXT[rule];
  const km = (density.blockMeters ?? 1000) / 1000, d = density.minDensity ?? 300, p = density.minClusterPopulation ?? 5000;
  const diag = density.diagonal ?? true;
  return {
    zh: `按人口密度（城镇化程度法：${km}公里格网≥${d}人/平方公里且${diag ? '（含对角）' : ''}连片人口≥${p}为城镇）`,
    en: `by density (Degree of Urbanisation: ${km} km blocks ≥ ${d}/km² in ${diag ? '8' : '4'}-connected clusters of ≥ ${p} residents are urban)`,
  };
}

export interface UnitTypeOptions {
  /** unit property holding the type; default 'type' */
  typeField?: string;
  /** types counted urban; default ['街道'] */
  urbanTypes?: string[];
}

/**
 * Which units are urban: by their type property (街道 urban, 镇/乡 rural); where a unit has no type, by a
 * boolean-like `urban` property; else by a name ending in 街道.
 *
 * @example unitIsUrban(townships) // [true, true, false, …]
 */
export function unitIsUrban(units: AdminUnits, options: UnitTypeOptions = {}): boolean[] {
  const field = options.typeField ?? 'type';
  const urbanTypes = options.urbanTypes ?? ['街道'];
  return units.features.map((f, i) => {
    const props = f.properties ?? {};
    const type = props[field];
    if (typeof type === 'string' && type.trim() !== '') return urbanTypes.includes(type.trim());
    const flag = props.urban;
    if (typeof flag === 'boolean') return flag;
    if (flag === 1 || flag === 0) return flag === 1;
    return urbanTypes.some((t) => units.names[i].endsWith(t));
  });
}

/**
 * Classes every cell by its admin unit's type (街道 urban; 镇, 乡 rural). Cells outside every unit keep
 * their class. The grid must carry these units (`assignUnits` first).
 *
 * @example const classed = classifyByUnitType(assignUnits(grid, townships), townships);
 */
export function classifyByUnitType(grid: PopulationGrid, units: AdminUnits, options: UnitTypeOptions = {}): PopulationGrid {
  if (grid.unitNames.length !== units.names.length) {
    throw new Error(`classifyByUnitType: expected a grid assigned to these ${units.names.length} units, found ${grid.unitNames.length} units on the grid; call assignUnits(grid, units) first`);
  }
  const urban = unitIsUrban(units, options);
  return classifyUrbanByUnit(grid, (u) => urban[u]);
}

/**
 * Cells whose origin lies inside any urban-area polygon are URBAN, all others RURAL.
 *
 * @example const classed = classifyByUrbanArea(grid, await readGeoJson('urban-area.geojson'));
 */
export function classifyByUrbanArea(grid: PopulationGrid, areas: FeatureCollection | Feature | Polygon | MultiPolygon | Array<Polygon | MultiPolygon>): PopulationGrid {
  const polygons = polygonsOf(areas);
  if (polygons.length === 0) throw new Error('urban area: expected at least one Polygon or MultiPolygon, found none');
  const index = polygonIndex(polygons, (p) => {
    if (!(Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90)) throw new Error(`urban area: coordinates must be lon/lat degrees (WGS 84), found [${p[0]}, ${p[1]}]`);
  });
  const urbanClass = new Uint8Array(grid.count);
  for (let c = 0; c < grid.count; c++) {
    const lon = grid.originLon[c], lat = grid.originLat[c];
    urbanClass[c] = index.search(lon, lat, lon, lat).some((k) => pointInPolygon(lon, lat, polygons[k])) ? URBAN : RURAL;
  }
  return { ...grid, urbanClass };
}

function polygonsOf(v: unknown): Array<Polygon | MultiPolygon> {
  if (Array.isArray(v)) return v.flatMap(polygonsOf);
  const o = v as { type?: string; features?: unknown[]; geometry?: unknown };
  if (o === null || typeof o !== 'object') throw new Error(`urban area: expected GeoJSON polygons, found ${String(v)}`);
  if (o.type === 'FeatureCollection') return (o.features ?? []).flatMap(polygonsOf);
  if (o.type === 'Feature') return o.geometry ? polygonsOf(o.geometry) : [];
  if (o.type === 'Polygon' || o.type === 'MultiPolygon') return [o as Polygon | MultiPolygon];
  throw new Error(`urban area: geometry must be a Polygon or MultiPolygon, found ${o.type ?? 'none'}`);
}

export interface DensityRule {
  /** block size of the density grid in metres; default 1000 (1 km², as the Degree of Urbanisation) */
  blockMeters?: number;
  /** residents per km² for a dense block; default 300 */
  minDensity?: number;
  /** residents of a cluster of dense blocks for it to be urban; default 5,000 */
  minClusterPopulation?: number;
  /** join blocks that touch at corners too (8-connectivity); default true, as the method's urban clusters */
  diagonal?: boolean;
}

/**
 * Classes cells by the Degree of Urbanisation (Eurostat, FAO, ILO, OECD, UN-Habitat, World Bank 2021, endorsed
 * by the UN Statistical Commission in 2020): population is summed into 1 km blocks; blocks of ≥ 300 residents
 * per km² that form a cluster (with diagonals) of ≥ 5,000 residents are urban (urban centres and clusters),
 * the rest rural. Blocks follow the grid's own frame; a cell belongs to the block holding its centre.
 *
 * @example const classed = classifyByDensity(grid); // defaults 1000 m, 300/km², 5,000
 */
export function classifyByDensity(grid: PopulationGrid, rule: DensityRule = {}): PopulationGrid {
  const block = rule.blockMeters ?? 1000, minDensity = rule.minDensity ?? 300;
  const minCluster = rule.minClusterPopulation ?? 5000, diagonal = rule.diagonal ?? true;
  if (!(block > 0)) throw new Error(`density rule: blockMeters must be a positive number of metres, found ${block}`);
  if (!(minDensity >= 0) || !(minCluster >= 0)) throw new Error(`density rule: minDensity and minClusterPopulation must be numbers >= 0, found ${minDensity} and ${minCluster}`);
  const bcols = Math.max(1, Math.ceil((grid.cols * grid.cellSize) / block));
  const blockOf = new Float64Array(grid.count);
  const blockPop = new Map<number, number>();
  for (let c = 0; c < grid.count; c++) {
    const col = grid.cellIndex[c] % grid.cols, row = (grid.cellIndex[c] - col) / grid.cols;
    const bx = Math.floor(((col + 0.5) * grid.cellSize) / block), by = Math.floor(((row + 0.5) * grid.cellSize) / block);
    const b = by * bcols + bx;
    blockOf[c] = b;
    blockPop.set(b, (blockPop.get(b) ?? 0) + grid.population[c]);
  }
  const km2 = (block / 1000) ** 2;
  const dense = new Set<number>();
  for (const [b, p] of blockPop) if (p / km2 >= minDensity) dense.add(b);
  // flood-fill clusters of dense blocks
  const urbanBlocks = new Set<number>();
  const seen = new Set<number>();
  const steps = diagonal ? [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]] : [[1, 0], [-1, 0], [0, 1], [0, -1]];
  for (const start of dense) {
    if (seen.has(start)) continue;
    const cluster = [start];
    seen.add(start);
    let total = 0;
    for (let k = 0; k < cluster.length; k++) {
      const b = cluster[k];
      total += blockPop.get(b)!;
      const bx = b % bcols, by = (b - bx) / bcols;
      for (const [dx, dy] of steps) {
        const nx = bx + dx, ny = by + dy;
        if (nx < 0 || nx >= bcols || ny < 0) continue;
        const nb = ny * bcols + nx;
        if (dense.has(nb) && !seen.has(nb)) { seen.add(nb); cluster.push(nb); }
      }
    }
    if (total >= minCluster) for (const b of cluster) urbanBlocks.add(b);
  }
  const urbanClass = new Uint8Array(grid.count);
  for (let c = 0; c < grid.count; c++) urbanClass[c] = urbanBlocks.has(blockOf[c]) ? URBAN : RURAL;
  return { ...grid, urbanClass };
}

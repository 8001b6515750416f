import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GAP_REASONS, NOT_ASSESSED, COVERED, type Circle } from '../../analysis/circles/circle.ts';
import { networkPreparer, type NetworkPreparer } from '../../analysis/circles/network-preparer.ts';
import { runCircle, type CircleResult } from '../../analysis/circles/run-circle.ts';
import type { FacilitySet } from '../../analysis/facilities/facility-set.ts';
import { gridProjection, sumOf, type PopulationGrid } from '../../analysis/grid/population-grid.ts';
import { checkCoordinates } from '../../analysis/crs/coordinate-warnings.ts';
import { assignUnits, type AdminUnits } from '../../analysis/grid/assign-units.ts';
import { buildRoadNetwork, type RoadNetwork } from '../../analysis/network/road-network.ts';
import { defaultSpeedTable, mergeSpeedTable, type SpeedTable } from '../../analysis/network/speed-table.ts';
import { csvField } from '../export/csv-field.ts';
import { standardCategories, type Standards } from '../../analysis/standards/presets.ts';
import { facilitiesFromPath, gridBBox, populationFromPath, roadsFromPath, unitsFromPath } from '../features/imports/input-file.ts';
import { categoryList } from '../io/facility-values.ts';
import { loadYuechiDemo } from '../io/load-demo.ts';
import { circleFromOptions, needsRoads, positive, type CircleOptionValues } from './circle-options.ts';
import { applyFacilityFilter } from './facility-filter.ts';
import type { Progress } from './progress.ts';

export interface AnalyzeOptions extends CircleOptionValues {
  population?: string;
  facilities?: string;
  /** CRS of the facility file when not WGS84: EPSG:4490, a Gauss-Krüger zone (EPSG:4544), GCJ-02, BD-09 */
  facilitiesCrs?: string;
  /** the Yuechi demo folder (true = data/yuechi) in place of population, units, facilities and roads */
  demo?: string | boolean;
  roads?: string;
  units?: string;
  speeds?: string;
  maxSnap?: string;
  cellSize?: string;
  /** categories the run accepts besides the rule book's, a comma list */
  newCategory?: string;
  /** 'make-valid' to repair self-crossing township polygons */
  repair?: string;
  out: string;
}

export { positive };

/** The inputs of an analysis, loaded and checked, before any routing. */
export interface LoadedInputs {
  grid: PopulationGrid;
  facilities: FacilitySet;
  network?: RoadNetwork;
  speeds: SpeedTable;
  /** the township polygons (--units, or the demo's), for maps; null without them */
  units: AdminUnits | null;
  /** the data are generated (the demo) */
  synthetic: boolean;
  /** the circle the command asked for */
  circle: Circle;
  /** graphs built on first use, shared by every run of the command */
  preparer: NetworkPreparer | null;
}

export async function loadInputs(o: AnalyzeOptions, progress: Progress): Promise<LoadedInputs> {
  const { circle, standards } = await circleFromOptions(o);
  const roads = needsRoads(circle);
  const loaded = o.demo ? await loadDemoInputs(o, roads, progress) : await loadFileInputs(o, roads, standards, progress);
  const preparer = loaded.network ? networkPreparer(loaded.network, loaded.grid, { speeds: loaded.speeds, maxSnapMeters: positive('max-snap', o.maxSnap), onProgress: (s, f) => progress.step(s, f) }) : null;
  return { ...loaded, circle, preparer };
}

/** The categories a CLI run accepts: its rule book's and those named with --new-category. */
export function cliCategories(standards: Standards, added: string | undefined): Set<string> {
  return new Set([...standardCategories(standards), ...categoryList(added, '--new-category')]);
}

async function loadFileInputs(o: AnalyzeOptions, roads: boolean, standards: Standards, progress: Progress): Promise<Omit<LoadedInputs, 'circle' | 'preparer'>> {
  if (!o.population || !o.facilities) throw new Error('give --population FILE and --facilities FILE, or --demo for the Yuechi demo');
  if (roads && !o.roads) throw new Error(`--mode ${o.mode ?? 'of the preset'} needs --roads FILE (.osm.pbf or .geojson); use --mode straight without roads`);
  const speeds = await loadSpeeds(o);
  // every file is read through the import's checks; later layers must lie where the population is
  progress.step('reading population');
  let grid = await populationFromPath(o.population, { bbox: null, cellSize: positive('cell-size', o.cellSize) });
  const bbox = gridBBox(grid);
  let units: AdminUnits | null = null;
  if (o.units) {
    progress.step('assigning admin units');
    units = await unitsFromPath(o.units, { bbox, makeValid: repairOption(o.repair) });
    grid = assignUnits(grid, units);
  }
  progress.step('reading facilities');
  const facilities = filtered(await facilitiesFromPath(o.facilities, { bbox, crs: o.facilitiesCrs, known: cliCategories(standards, o.newCategory) }), o, o.facilities);
  warnAboutCoordinates(facilities, grid, o.facilities, progress);
  let network: RoadNetwork | undefined;
  if (o.roads && roads) {
    progress.step('reading roads');
    const source = await roadsFromPath(o.roads, { bbox });
    progress.step('building the road network');
    network = buildRoadNetwork(source);
  }
  return { grid, facilities, network, speeds, units, synthetic: false };
}

/** `--repair make-valid`, the only repair there is; anything else is a usage error. */
export function repairOption(v: string | undefined): boolean {
  if (v === undefined) return false;
  if (v !== 'make-valid') throw new Error(`--repair: expected make-valid, found "${v}"`);
  return true;
}

// swapped, projected or far-away facilities are a warning, not an error: the planner decides. Data anywhere
// in the world are fine (no "outside China" note); facilities may serve from up to ~20 km beyond the grid.
const CLI_WARNINGS = new Set(['swapped', 'projected', 'not-projected', 'zone-mismatch', 'not-finite', 'offset', 'outside-expected']);

function warnAboutCoordinates(f: FacilitySet, grid: PopulationGrid, file: string, progress: Progress): void {
  const [w, s] = gridProjection(grid).inverse(grid.x0, grid.y0);
  const [e, n] = gridProjection(grid).inverse(grid.x0 + grid.cols * grid.cellSize, grid.y0 + grid.rows * grid.cellSize);
  const pad = 0.2;
  for (const warning of checkCoordinates({ lon: f.lon, lat: f.lat }, { expectedBbox: [w - pad, s - pad, e + pad, n + pad] })) {
    if (CLI_WARNINGS.has(warning.code)) progress.warn(`${file}: ${warning.en} / ${warning.zh}`);
  }
}

async function loadSpeeds(o: AnalyzeOptions): Promise<SpeedTable> {
  if (!o.speeds) return defaultSpeedTable();
  let json: unknown;
  try { json = JSON.parse(await readFile(o.speeds, 'utf8')); } catch (e) { throw new Error(`${o.speeds}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not valid JSON (${(e as Error).message})`}`); }
  return mergeSpeedTable(defaultSpeedTable(), json, o.speeds);
}

function filtered(set: FacilitySet, o: AnalyzeOptions, source: string): FacilitySet {
  let facilities = set;
  if (o.category) facilities = applyFacilityFilter(facilities, `category=${o.category}`);
  if (o.where) facilities = applyFacilityFilter(facilities, o.where);
  if (facilities.count === 0) throw new Error(`${source}: no facilities left${o.where || o.category ? ' after the filter' : ''}`);
  return facilities;
}

async function loadDemoInputs(o: AnalyzeOptions, roads: boolean, progress: Progress): Promise<Omit<LoadedInputs, 'circle' | 'preparer'>> {
  if (o.population || o.facilities || o.roads || o.units) throw new Error('--demo loads its own population, facilities, roads and units; drop those options or --demo');
  const demo = await loadYuechiDemo(typeof o.demo === 'string' ? o.demo : undefined, { cellSize: positive('cell-size', o.cellSize), onProgress: (s) => progress.step(s) });
  progress.step('building the road network');
  const network = roads ? buildRoadNetwork(demo.roadSource) : undefined;
  return { grid: demo.grid, facilities: o.category || o.where ? filtered(demo.facilities, o, 'demo facilities') : demo.facilities, network, speeds: await loadSpeeds(o), units: demo.units, synthetic: demo.synthetic };
}

/** Status names of the cells file and the API, per cell status. */
export const STATUS_NAMES: Record<number, string> = { [NOT_ASSESSED]: 'not_assessed', [COVERED]: 'covered', ...GAP_REASONS };

/** `lifecircle analyze`: loads the inputs, runs the circle, writes summary.json and cells.csv to --out. */
export async function analyzeCommand(o: AnalyzeOptions, progress: Progress): Promise<CircleResult> {
  const inputs = await loadInputs(o, progress);
  const started = performance.now();
  const result = runCircle({ grid: inputs.grid, facilities: inputs.facilities, network: inputs.preparer, speeds: inputs.speeds, onProgress: (s, f) => progress.step(s, f) }, inputs.circle);
  const analysisMs = performance.now() - started;
  progress.step('writing results');
  await mkdir(o.out, { recursive: true });
  await writeFile(join(o.out, 'summary.json'), JSON.stringify(summaryJson(o, inputs, result, analysisMs), null, 2) + '\n');
  await writeFile(join(o.out, 'cells.csv'), cellsCsv(inputs, result));
  progress.done();
  return result;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

type Count = { total: number; covered: number; uncovered: number; coveredShare: number | null } | null;
const count = (c: Count) => c && { total: round(c.total), covered: round(c.covered), uncovered: round(c.uncovered), coveredShare: c.coveredShare === null ? null : round(c.coveredShare, 4) };

/**
 * The run as the CLI files it: the circle's group first, all residents and 60+ beside it, per township and
 * class, why the uncovered are uncovered, and the gap count.
 */
export function summaryJson(o: Partial<AnalyzeOptions>, inp: Pick<LoadedInputs, 'grid' | 'facilities' | 'network'>, r: CircleResult, analysisMs: number) {
  const s = r.summary;
  const reach = (x: Circle['urban']) => x && { mode: x.mode, ...(x.minutes !== undefined ? { minutes: x.minutes } : { meters: x.meters }) };
  return {
    inputs: { population: o.population ?? null, facilities: o.facilities ?? null, roads: o.roads ?? null, units: o.units ?? null, where: o.where ?? null, category: o.category ?? null, demo: o.demo ?? null },
    circle: { preset: r.circle.id, zh: r.circle.zh, en: r.circle.en, group: r.circle.population, urban: reach(r.circle.urban), rural: reach(r.circle.rural), coverageTarget: r.circle.coverageTarget },
    mode: r.circle.urban?.mode ?? r.circle.rural?.mode,
    threshold: (() => { const x = r.circle.urban ?? r.circle.rural!; return x.minutes !== undefined ? { minutes: x.minutes } : { meters: x.meters }; })(),
    group: { name: r.circle.population, ...count(s.groupCount) },
    population: count(s.population),
    population_60plus: count(s.aged60),
    uncoveredByReason: Object.fromEntries(Object.entries(s.byReason).map(([k, v]) => [k, { population: round(v.population), population_60plus: round(v.aged60), group: round(v.group), cells: v.cells }])),
    unreachable: { population: round(s.unreachable), note: 'residents of cells farther than the snap limit from any road; counted as uncovered' },
    gaps: { count: s.gaps.count, uncoveredPopulation: round(s.gaps.uncoveredPopulation), uncoveredGroup: round(s.gaps.uncoveredGroup) },
    grid: { cells: inp.grid.count, cellSize: inp.grid.cellSize, inputTotal: round(sumOf(inp.grid.population)) },
    facilities: { count: inp.facilities.count, unsnapped: r.unsnappedFacilities },
    network: inp.network ? { nodes: inp.network.nodeCount, segments: inp.network.segmentCount, skippedWays: inp.network.skipped } : null,
    byClass: Object.fromEntries(Object.entries(s.byClass).map(([k, v]) => [k, { population: count(v.population), population_60plus: count(v.aged60), cells: v.cells }])),
    units: s.byUnit.map((u) => ({ code: u.code, name: u.name, group: count(u[r.circle.population === 'aged60' ? 'aged60' : 'population']), population: count(u.population), population_60plus: count(u.aged60), unreachable: round(u.unreachable), cells: u.cells })),
    outsideUnits: s.outsideUnits && { population: count(s.outsideUnits.population), cells: s.outsideUnits.cells },
    timing: { analysisMs: round(analysisMs) },
  };
}

function cellsCsv(inp: LoadedInputs, r: CircleResult): string {
  const g = inp.grid;
  const units = new Set(Object.values(r.units).filter((u) => u !== null));
  const costCol = units.size > 1 ? 'cost' : units.has('meters') ? 'meters' : 'seconds';
  const lines = [`lon,lat,population,population_60plus,unit,${costCol},facility_id,status`];
  for (let i = 0; i < g.count; i++) {
    const c = r.cost[i];
    lines.push([
      g.originLon[i].toFixed(6), g.originLat[i].toFixed(6), round(g.population[i], 2), round(g.aged60[i], 2),
      csvField(g.unit[i] >= 0 ? g.unitCodes[g.unit[i]] || g.unitNames[g.unit[i]] : ''),
      Number.isFinite(c) ? round(c, 1) : '', csvField(r.facility[i] >= 0 ? r.facilities.id[r.facility[i]] : ''), STATUS_NAMES[r.status[i]],
    ].join(','));
  }
  return lines.join('\n') + '\n';
}

import { access, readFile } from 'node:fs/promises';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FacilitySet } from '../../analysis/facilities/facility-set.ts';
import { assignUnits, type AdminUnits } from '../../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../../analysis/grid/population-grid.ts';
import type { RoadSource } from '../../analysis/network/road-network.ts';
import { classifyByUnitType } from '../../analysis/standards/urban-rural.ts';
import { readBuildable } from './read-buildable.ts';
import { readFacilities } from './read-facilities.ts';
import { readPopulation } from './read-population.ts';
import { readRoads } from './read-roads.ts';
import { readUnits } from './read-units.ts';

/** The demo's folder in this repository, wherever the process was started. */
export const DEMO_DIR = fileURLToPath(new URL('../../data/yuechi/', import.meta.url));

/** The files the demo needs, as data/yuechi/generate.ts writes them. */
export const DEMO_FILES = {
  units: 'townships.geojson.gz',
  population: 'population.csv.gz',
  roads: 'roads.geojson.gz',
  facilities: 'facilities.geojson',
} as const;

/** The generated village zones: optional, read only to spread a census table by village onto the grid. */
export const DEMO_VILLAGES = 'villages.geojson.gz';

/** The generated buildable parcels: optional, stored as the demo region's buildable land (candidates for new sites). */
export const DEMO_BUILDABLE = 'buildable.geojson.gz';

export interface YuechiDemo {
  /** townships assigned, cells urban where their township is a 街道 */
  grid: PopulationGrid;
  units: AdminUnits;
  /** the village zones (村/社区) when the folder has them; the townships stay the analysis units */
  villages: AdminUnits | null;
  /** the buildable parcels (储备地块) when the folder has them, WGS 84 polygons with their properties */
  buildable: Feature<Polygon | MultiPolygon>[] | null;
  facilities: FacilitySet;
  roadSource: RoadSource;
  /** metadata.json when present, else {} */
  metadata: Record<string, unknown>;
  /** true when metadata or any facility says the data are generated */
  synthetic: boolean;
  /** the paths read, by role */
  files: Record<keyof typeof DEMO_FILES, string>;
}

/**
 * Loads the Yuechi demo (townships, population grid, roads, facilities, and village zones and buildable parcels when present) with cells assigned to townships and
 * classed urban/rural by township type (街道 urban; 镇, 乡 rural). Fails with one line naming the missing files.
 *
 * @example const demo = await loadYuechiDemo(); demo.units.names.length; // 27
 */
export async function loadYuechiDemo(
  dir: string = DEMO_DIR, options: { cellSize?: number; onProgress?: (step: string) => void } = {},
): Promise<YuechiDemo> {
  const progress = options.onProgress ?? (() => undefined);
  const files = Object.fromEntries(Object.entries(DEMO_FILES).map(([k, f]) => [k, join(dir, f)])) as YuechiDemo['files'];
  const missing: string[] = [];
  for (const [role, name] of Object.entries(DEMO_FILES)) await access(files[role as keyof typeof DEMO_FILES]).catch(() => missing.push(name));
  if (missing.length > 0) {
    throw new Error(`${dir}: the Yuechi demo data is missing (${missing.join(', ')}); generate it with "npm run data:yuechi" (or npx tsx data/yuechi/generate.ts --out ${dir})`);
  }
  progress('reading townships');
  const units = await readUnits(files.units);
  const villagePath = join(dir, DEMO_VILLAGES);
  const villages = await access(villagePath).then(() => readUnits(villagePath), () => null);
  const buildablePath = join(dir, DEMO_BUILDABLE);
  const buildable = await access(buildablePath).then(() => readBuildable(buildablePath), () => null);
  progress('reading population');
  // the generator lays its 100 m cells on a frame centred on the county seat: use it, so cells map one to one
  let grid = await readPopulation(files.population, { cellSize: options.cellSize, center: [106.437, 30.536] });
  grid = classifyByUnitType(assignUnits(grid, units), units);
  progress('reading facilities');
  const facilities = await readFacilities(files.facilities);
  progress('reading roads');
  const roadSource = await readRoads(files.roads);
  let metadata: Record<string, unknown> = {};
  const metaPath = join(dir, 'metadata.json');
  const metaText = await readFile(metaPath, 'utf8').catch(() => null);
  if (metaText !== null) {
    try {
      metadata = JSON.parse(metaText) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${metaPath}: not valid JSON (${(e as Error).message})`);
    }
  }
  return { grid, units, villages, buildable, facilities, roadSource, metadata, synthetic: isSynthetic(metadata, facilities), files };
}

/**
 * Whether inputs are generated data: metadata says `synthetic: true` (at the top or for a layer), or a
 * facility carries `synthetic: true`.
 *
 * @example isSynthetic({ layers: [{ file: 'facilities.geojson', synthetic: true }] }, facilities) // true
 */
export function isSynthetic(metadata: Record<string, unknown>, facilities?: FacilitySet): boolean {
  if (metadata.synthetic === true) return true;
  const layers = metadata.layers;
  if (Array.isArray(layers) && layers.some((l) => l !== null && typeof l === 'object' && (l as { synthetic?: unknown }).synthetic === true)) return true;
  if (facilities) for (const p of facilities.properties) if (p.synthetic === true) return true;
  return false;
}

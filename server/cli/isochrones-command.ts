import { buildModeGraph } from '../../analysis/network/mode-graph.ts';
import { buildRoadNetwork } from '../../analysis/network/road-network.ts';
import { snapPoints } from '../../analysis/network/snap-points.ts';
import { defaultSpeedTable, MODES, mergeSpeedTable, type Mode } from '../../analysis/network/speed-table.ts';
import { isochronesPerFacility, mergedIsochrones } from '../../analysis/isochrones/facility-isochrones.ts';
import { readFile } from 'node:fs/promises';
import { defaultStandards } from '../../analysis/standards/presets.ts';
import { facilitiesFromPath, roadsFromPath } from '../features/imports/input-file.ts';
import { bboxOf } from '../features/regions/region-bbox.ts';
import { cliCategories } from './analyze-command.ts';
import { writeLayerFiles } from '../export/write-layer-files.ts';
import { applyFacilityFilter } from './facility-filter.ts';
import { positive } from './analyze-command.ts';
import type { Progress } from './progress.ts';

export interface IsochronesOptions {
  facilities: string;
  roads: string;
  mode: string;
  bands: string;
  perFacility?: boolean;
  cell?: string;
  speeds?: string;
  where?: string;
  category?: string;
  maxSnap?: string;
  crs?: string;
  newCategory?: string;
  out: string;
}

/** `lifecircle isochrones`: travel-time bands (e.g. 5/10/15 min) around facilities, merged or one set per facility. */
export async function isochronesCommand(o: IsochronesOptions, progress: Progress): Promise<{ features: number; files: string[] }> {
  if (!(MODES as readonly string[]).includes(o.mode)) throw new Error(`--mode: expected one of ${MODES.join(', ')}, found "${o.mode}"`);
  const bands = o.bands.split(',').map((b) => Number(b.trim()));
  if (bands.length === 0 || bands.some((b) => !(b > 0))) throw new Error(`--bands: expected minutes separated by commas, e.g. 5,10,15, found "${o.bands}"`);
  let speeds = defaultSpeedTable();
  if (o.speeds) speeds = mergeSpeedTable(speeds, JSON.parse(await readFile(o.speeds, 'utf8')), o.speeds);
  progress.step('reading facilities');
  let facilities = await facilitiesFromPath(o.facilities, { bbox: null, known: cliCategories(defaultStandards(), o.newCategory) });
  if (o.category) facilities = applyFacilityFilter(facilities, `category=${o.category}`);
  if (o.where) facilities = applyFacilityFilter(facilities, o.where);
  if (facilities.count === 0) throw new Error(`${o.facilities}: no facilities left${o.where || o.category ? ' after the filter' : ''}`);
  progress.step('reading roads');
  const network = buildRoadNetwork(await roadsFromPath(o.roads, { bbox: bboxOf([], [facilities]) }));
  const graph = buildModeGraph(network, o.mode as Mode, speeds);
  const maxSnapMeters = positive('max-snap', o.maxSnap) ?? 500;
  const snaps = snapPoints(graph, facilities.lon, facilities.lat, maxSnapMeters);
  progress.step('contouring travel times');
  const req = {
    graph, facilities: snaps, facilityIds: facilities.id, thresholds: bands.sort((a, b) => a - b).map((m) => m * 60),
    cellMeters: positive('cell', o.cell) ?? 50, maxSnapMeters,
  };
  const fc = o.perFacility ? isochronesPerFacility(req) : mergedIsochrones(req);
  progress.step('writing files');
  const written = await writeLayerFiles(fc, o.out, 'isochrones', o.crs ?? 'EPSG:4326');
  progress.done();
  return { features: fc.features.length, files: written.files };
}

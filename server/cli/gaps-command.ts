import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeAccess, type AccessMode } from '../../analysis/accessibility/analyze-access.ts';
import { gapPolygons } from '../../analysis/gaps/gap-polygons.ts';
import { thresholdsByClass, uncoveredMask } from '../../analysis/gaps/uncovered-mask.ts';
import { writeLayerFiles } from '../export/write-layer-files.ts';
import { loadInputs, positive, type AnalyzeOptions } from './analyze-command.ts';
import type { Progress } from './progress.ts';

export interface GapsOptions extends AnalyzeOptions {
  ruralMinutes?: string;
  minPopulation?: string;
  crs?: string;
  preset?: string;
}

/**
 * `lifecircle gaps`: the uncovered populated cells as polygons that explain themselves (residents, aged 60+,
 * time to the nearest facility beyond the threshold, townships), in WGS84 and the requested CRS.
 */
export async function gapsCommand(o: GapsOptions, progress: Progress): Promise<{ gaps: number; uncovered: number; files: string[] }> {
  const minutes = positive('minutes', o.minutes), meters = positive('meters', o.meters);
  if ((minutes === undefined) === (meters === undefined)) throw new Error('give exactly one of --minutes N or --meters N');
  const ruralMinutes = positive('rural-minutes', o.ruralMinutes);
  if (ruralMinutes !== undefined && minutes === undefined) throw new Error('--rural-minutes goes with --minutes');
  const inputs = await loadInputs(o, progress);
  const threshold = (minutes ?? 0) * 60 || meters!;
  const widest = Math.max(threshold, (ruralMinutes ?? 0) * 60);
  // search three times past the limit so each gap can say how far its residents really are
  const r = analyzeAccess({
    grid: inputs.grid, facilities: inputs.facilities, network: inputs.network, speeds: inputs.speeds,
    mode: o.mode as AccessMode, minutes: widest === threshold ? minutes : widest / 60, meters,
    maxSnapMeters: positive('max-snap', o.maxSnap), searchCutoff: widest * 3, onProgress: (s, f) => progress.step(s, f),
  });
  progress.step('tracing gap polygons');
  const limits = ruralMinutes === undefined ? threshold : thresholdsByClass(inputs.grid, { urban: threshold, rural: ruralMinutes * 60 });
  const mask = uncoveredMask(r, limits);
  const gaps = gapPolygons(inputs.grid, mask, {
    cost: r.cost, facility: r.facility, facilityIds: inputs.facilities.id, facilityNames: inputs.facilities.name,
    unit: r.unit, preset: o.preset, minPopulation: positive('min-population', o.minPopulation) ?? 0,
  });
  progress.step('writing files');
  const written = await writeLayerFiles(gaps, o.out, 'gaps', o.crs ?? 'EPSG:4326');
  let uncovered = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) uncovered += inputs.grid.population[i];
  await writeFile(join(o.out, 'gaps-summary.json'), JSON.stringify({
    gaps: gaps.features.length, uncoveredPopulation: Math.round(uncovered * 10) / 10,
    threshold: minutes !== undefined ? { minutes, ruralMinutes: ruralMinutes ?? null } : { meters },
    crs: written.crs, crsWarning: written.warning ?? null, files: written.files,
  }, null, 2) + '\n');
  progress.done();
  return { gaps: gaps.features.length, uncovered, files: written.files };
}

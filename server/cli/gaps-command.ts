import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureCollection, Geometry } from 'geojson';
import { runCircle } from '../../analysis/circles/run-circle.ts';
import { writeLayerFiles } from '../export/write-layer-files.ts';
import { loadInputs, positive, summaryJson, type AnalyzeOptions } from './analyze-command.ts';
import type { Progress } from './progress.ts';

export interface GapsOptions extends AnalyzeOptions {
  minPopulation?: string;
  crs?: string;
}

/**
 * `lifecircle gaps`: the circle's uncovered cells as polygons that explain themselves (one township each,
 * the reason, residents of the circle's group and all, time to the nearest facility and its name), in WGS84
 * and the requested CRS, with the run's summary beside them.
 */
export async function gapsCommand(o: GapsOptions, progress: Progress): Promise<{ gaps: number; uncovered: number; files: string[] }> {
  const minPopulation = positive('min-population', o.minPopulation) ?? 0;
  const inputs = await loadInputs(o, progress);
  const started = performance.now();
  const r = runCircle({ grid: inputs.grid, facilities: inputs.facilities, network: inputs.preparer, speeds: inputs.speeds, onProgress: (s, f) => progress.step(s, f) }, inputs.circle);
  const ms = performance.now() - started;
  progress.step('writing files');
  // small gaps may be left out of the files; the summary still counts every uncovered resident
  const kept = r.gaps.features.filter((f) => f.properties.uncovered_population >= minPopulation);
  const written = await writeLayerFiles({ ...r.gaps, features: kept } as FeatureCollection<Geometry>, o.out, 'gaps', o.crs ?? 'EPSG:4326');
  const summary = summaryJson(o, inputs, r, ms);
  await writeFile(join(o.out, 'gaps-summary.json'), JSON.stringify({
    ...summary, gapsWritten: kept.length, minPopulation, crs: written.crs, crsWarning: written.warning ?? null, files: written.files,
  }, null, 2) + '\n');
  progress.done();
  return { gaps: kept.length, uncovered: r.summary.population.uncovered, files: written.files };
}

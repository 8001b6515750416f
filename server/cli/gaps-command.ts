import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeAccess, type AccessMode } from '../../analysis/accessibility/analyze-access.ts';
import { gapPolygons } from '../../analysis/gaps/gap-polygons.ts';
import { thresholdsByClass, uncoveredMask } from '../../analysis/gaps/uncovered-mask.ts';
import { writeLayerFiles } from '../export/write-layer-files.ts';
import { loadInputs, positive, type AnalyzeOptions } from './analyze-command.ts';
import type { Progress } from './progress.ts';
import { readFile } from 'node:fs/promises';
import type { FeatureCollection, Geometry } from 'geojson';
import { circleGaps } from '../../analysis/gaps/circle-gaps.ts';
import { createCategoryAccess } from '../../analysis/standards/category-access.ts';
import { evaluateCircle } from '../../analysis/standards/circle-coverage.ts';
import { applyStandardsConfig } from '../../analysis/standards/preset-config.ts';
import { defaultStandards } from '../../analysis/standards/presets.ts';

/** Gaps of a named planning circle: its categories, reaches (urban and rural), population group and source. */
async function presetGaps(o: GapsOptions, progress: Progress): Promise<{ gaps: number; uncovered: number; files: string[] }> {
  if (o.minutes || o.meters || o.ruralMinutes || o.category || o.where) {
    throw new Error('--preset sets the facilities and thresholds; drop --minutes, --meters, --rural-minutes, --category and --where');
  }
  let standards = defaultStandards();
  if (o.config) {
    let json: unknown;
    try { json = JSON.parse(await readFile(o.config, 'utf8')); } catch (e) { throw new Error(`${o.config}: ${(e as Error).message}`); }
    standards = applyStandardsConfig(standards, json, o.config);
  }
  const preset = standards.circles.find((c) => c.id === o.preset);
  if (!preset) throw new Error(`--preset: no circle "${o.preset}"; expected one of ${standards.circles.map((c) => c.id).join(', ')}`);
  const reaches = [preset.urban, preset.rural].filter((r) => r !== null);
  const inputs = await loadInputs({ ...o, mode: reaches.some((r) => r.mode !== 'straight') ? 'walk' : 'straight' }, progress);
  const access = createCategoryAccess({
    grid: inputs.grid, facilities: inputs.facilities, network: inputs.network, speeds: inputs.speeds,
    maxSnapMeters: positive('max-snap', o.maxSnap), onProgress: (s, f) => progress.step(s, f),
  });
  access.plan(reaches);
  const circle = evaluateCircle(preset, inputs.grid, access, standards);
  progress.step('tracing gap polygons');
  const gaps = circleGaps(circle, inputs.grid, { minPopulation: positive('min-population', o.minPopulation) ?? 0 });
  progress.step('writing files');
  const written = await writeLayerFiles(gaps as FeatureCollection<Geometry>, o.out, 'gaps', o.crs ?? 'EPSG:4326');
  const s = circle.summary;
  await writeFile(join(o.out, 'gaps-summary.json'), JSON.stringify({
    preset: { id: preset.id, zh: preset.zh, en: preset.en, source: preset.source, population: preset.population },
    gaps: gaps.features.length, uncoveredPopulation: Math.round(s.population.uncovered), uncoveredAged60: s.aged60 ? Math.round(s.aged60.uncovered) : null,
    crs: written.crs, crsWarning: written.warning ?? null, files: written.files,
  }, null, 2) + '\n');
  progress.done();
  return { gaps: gaps.features.length, uncovered: s.population.uncovered, files: written.files };
}

export interface GapsOptions extends AnalyzeOptions {
  ruralMinutes?: string;
  minPopulation?: string;
  crs?: string;
  preset?: string;
  config?: string;
}

/**
 * `lifecircle gaps`: the uncovered populated cells as polygons that explain themselves (residents, aged 60+,
 * time to the nearest facility beyond the threshold, townships), in WGS84 and the requested CRS.
 */
export async function gapsCommand(o: GapsOptions, progress: Progress): Promise<{ gaps: number; uncovered: number; files: string[] }> {
  if (o.preset) return presetGaps(o, progress);
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

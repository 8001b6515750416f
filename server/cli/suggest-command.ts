import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { suggestCircleSites } from '../../analysis/circles/circle-siting.ts';
import { runCircle } from '../../analysis/circles/run-circle.ts';
import { candidatesFromPoints, candidatesFromPolygons, type CandidateSites } from '../../analysis/siting/candidate-sites.ts';
import { facilitiesFromPath, gridBBox } from '../features/imports/input-file.ts';
import { readUnits } from '../io/read-units.ts';
import { writeLayerFiles } from '../export/write-layer-files.ts';
import { loadInputs, type AnalyzeOptions } from './analyze-command.ts';
import type { Progress } from './progress.ts';

export interface SuggestOptions extends AnalyzeOptions {
  k: string;
  candidates?: string;
  buildable?: string;
  aged60Weight?: string;
  spacing?: string;
  crs?: string;
}

/**
 * `lifecircle suggest --k N`: k new sites that newly cover the most of the circle's group (maximal covering,
 * lazy greedy) on top of the circle's own run, from uncovered cells, a file of candidate points, or
 * buildable-land polygons.
 */
export async function suggestCommand(o: SuggestOptions, progress: Progress): Promise<{ sites: number; files: string[] }> {
  const k = Number(o.k);
  if (!Number.isInteger(k) || k < 1 || k > 500) throw new Error(`--k: expected a whole number from 1 to 500, found "${o.k}"`);
  if (o.candidates && o.buildable) throw new Error('give --candidates or --buildable, not both');
  const weight = o.aged60Weight === undefined ? undefined : Number(o.aged60Weight);
  if (weight !== undefined && !(weight >= 0)) throw new Error(`--aged60-weight: expected a number >= 0, found "${o.aged60Weight}"`);
  const spacing = o.spacing === undefined ? undefined : Number(o.spacing);
  if (spacing !== undefined && !(spacing >= 0 && spacing <= 50_000)) throw new Error(`--spacing: expected metres from 0 to 50000, found "${o.spacing}"`);
  const inputs = await loadInputs(o, progress);
  const circleInputs = { grid: inputs.grid, facilities: inputs.facilities, network: inputs.preparer, speeds: inputs.speeds, onProgress: (s: string, f?: number) => progress.step(s, f) };
  const result = runCircle(circleInputs, inputs.circle);
  progress.step('choosing candidates');
  let candidates: CandidateSites | undefined;
  if (o.candidates) {
    const set = await facilitiesFromPath(o.candidates, { bbox: gridBBox(inputs.grid), known: null });
    candidates = candidatesFromPoints(Array.from({ length: set.count }, (_, i) => ({ lon: set.lon[i], lat: set.lat[i], id: set.id[i] })), o.candidates);
  } else if (o.buildable) {
    const land = await readUnits(o.buildable);
    candidates = candidatesFromPolygons(inputs.grid, land.features.map((f) => f.geometry as Polygon | MultiPolygon));
  }
  const r = suggestCircleSites(circleInputs, {
    result, k, candidates, spacingMeters: spacing, weight: weight === undefined ? undefined : { population: 1, aged60: weight }, onProgress: (s, f) => progress.step(s, f),
  });
  progress.step('writing files');
  const fc: FeatureCollection<Point> = {
    type: 'FeatureCollection',
    features: r.sites.map((s, i) => ({
      type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: { rank: i + 1, id: s.id, gain: Math.round(s.gain), gain_60plus: Math.round(s.gainAged60), covered_after: Math.round(s.cumulativeCovered), share_after: s.cumulativeShare, preset: result.circle.id },
    })),
  };
  const written = await writeLayerFiles(fc, o.out, 'suggested-sites', o.crs ?? 'EPSG:4326');
  const curve = ['k,covered,covered_60plus,share', `0,${Math.round(r.baselineCovered)},${Math.round(r.baselineCoveredAged60)},${(r.baselineCovered / r.totalPopulation).toFixed(4)}`,
    ...r.curve.map((c) => `${c.k},${Math.round(c.covered)},${Math.round(c.coveredAged60)},${c.share?.toFixed(4) ?? ''}`)];
  await writeFile(join(o.out, 'coverage-curve.csv'), curve.join('\n') + '\n');
  progress.done();
  return { sites: r.sites.length, files: [...written.files, join(o.out, 'coverage-curve.csv')] };
}

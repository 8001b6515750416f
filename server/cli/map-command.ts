import { writeFile } from 'node:fs/promises';
import { serviceTakes } from '../../analysis/circles/circle.ts';
import { runCircle } from '../../analysis/circles/run-circle.ts';
import { suggestCircleSites } from '../../analysis/circles/circle-siting.ts';
import type { FeatureCollection, Point } from 'geojson';
import { filterFacilities } from '../../analysis/facilities/facility-set.ts';
import { mapSheetPdf } from '../export/map-sheet-pdf.ts';
import { summarizeRun } from '../features/analyses/analysis-summary.ts';
import { findPreset } from '../features/analyses/preset-catalog.ts';
import { sheetInput, sheetLayout } from '../features/exports/map-sheet.ts';
import { loadInputs, type AnalyzeOptions } from './analyze-command.ts';
import type { Progress } from './progress.ts';

export interface MapOptions extends AnalyzeOptions {
  paper?: string;
  orientation?: string;
  /** the name printed before the circle's title (default the demo's county) */
  regionName?: string;
  /** draw this many suggested sites (the same suggestion as `lifecircle suggest --k`) */
  sites?: string;
}

/**
 * `lifecircle map`: runs the circle and writes its map sheet as a PDF (--out sheet.pdf), the same sheet the
 * service makes for a filed run (`GET /api/analyses/:id/sheet.pdf`), without a browser.
 */
export async function mapCommand(o: MapOptions, progress: Progress): Promise<{ file: string; townships: number; line: string }> {
  if (!/\.pdf$/i.test(o.out)) throw new Error(`--out ${o.out}: expected a file name ending in .pdf, e.g. --out sheet.pdf`);
  const layout = sheetLayout({ paper: o.paper, orientation: o.orientation });
  const k = o.sites === undefined ? 0 : Number(o.sites);
  if (!Number.isInteger(k) || k < 0 || k > 50) throw new Error(`--sites ${o.sites}: expected a whole number of suggested sites to draw, 0 to 50`);
  const inputs = await loadInputs(o, progress);
  if (!inputs.units) throw new Error('--units FILE (township polygons) is needed to draw the map sheet, or --demo');
  const started = performance.now();
  const r = runCircle({ grid: inputs.grid, facilities: inputs.facilities, network: inputs.preparer, speeds: inputs.speeds, onProgress: (s, f) => progress.step(s, f) }, inputs.circle);
  const engineMs = performance.now() - started;
  const { summary, units } = summarizeRun(r, { preset: o.preset ? findPreset(o.preset) : null, baseline: null, scenario: null, stamp: 'cli', engineMs, ms: engineMs });
  progress.step('drawing the map sheet');
  const facilities = filterFacilities(r.facilities, (i) => r.circle.services.some((s) => serviceTakes(s, r.facilities.category[i])));
  let sites: FeatureCollection<Point, { rank: number }> | undefined;
  if (k > 0) {
    progress.step('suggesting sites');
    const s = suggestCircleSites({ grid: inputs.grid, network: inputs.preparer, speeds: inputs.speeds }, { result: r, k });
    sites = { type: 'FeatureCollection', features: s.sites.map((x, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [x.lon, x.lat] }, properties: { rank: i + 1 } })) };
  }
  const regionName = o.regionName ?? (o.demo ? '岳池县 Yuechi County' : '');
  const inputsLabel = o.demo ? 'the Yuechi demo (--demo)' : [o.population, o.facilities, o.roads, o.units].filter(Boolean).join(', ');
  const sheet = sheetInput({ run: { summary, units }, gaps: r.gaps, units: inputs.units, facilities, ...(sites ? { sites } : {}), regionName, synthetic: inputs.synthetic, runLabel: `lifecircle map on ${inputsLabel}` }, layout);
  await writeFile(o.out, await mapSheetPdf(sheet));
  progress.done();
  const g = summary.groupCount;
  const share = g?.coveredShare === null || g === null ? '–' : `${(g.coveredShare * 100).toFixed(1)} %`;
  return { file: o.out, townships: units.length, line: `${summary.title.zh}: ${share} of the circle's group covered; ${layout.paper} ${layout.orientation} map sheet of ${units.length} townships written to ${o.out}` };
}

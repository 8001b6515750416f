import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { capacityCircleSites, siteEffects, sitesToTarget, suggestCircleSites } from '../../analysis/circles/circle-siting.ts';
import { createCircleSession } from '../../analysis/circles/circle-session.ts';
import { csvField } from '../export/csv-field.ts';
import { SITE_COSTS_NOTE } from '../../analysis/standards/site-costs.ts';
import { runCircle } from '../../analysis/circles/run-circle.ts';
import { candidatesFromPoints, candidatesFromPolygons, type CandidateSites } from '../../analysis/siting/candidate-sites.ts';
import { facilitiesFromPath, gridBBox } from '../features/imports/input-file.ts';
import { readBuildable } from '../io/read-buildable.ts';
import booleanIntersects from '@turf/boolean-intersects';
import { writeLayerFiles } from '../export/write-layer-files.ts';
import { loadInputs, type AnalyzeOptions } from './analyze-command.ts';
import type { Progress } from './progress.ts';

export interface SuggestOptions extends AnalyzeOptions {
  k?: string;
  goal?: string;
  township?: string;
  target?: string;
  maxSites?: string;
  candidates?: string;
  buildable?: string;
  aged60Weight?: string;
  spacing?: string;
  budget?: string;
  siteCapacity?: string;
  crs?: string;
}

/**
 * `lifecircle suggest --k N`: k new sites that newly cover the most of the circle's group (maximal covering,
 * lazy greedy) on top of the circle's own run, from uncovered cells, a file of candidate points, or
 * buildable-land polygons.
 */
export async function suggestCommand(o: SuggestOptions, progress: Progress): Promise<{ sites: number; files: string[]; line?: string }> {
  const goal = o.goal ?? 'coverage';
  if (goal !== 'coverage' && goal !== 'target' && goal !== 'capacity') throw new Error(`--goal: expected coverage (most covered with --k sites), target (fewest sites to the target share) or capacity (--k sites of --site-capacity places), found "${o.goal}"`);
  if (goal === 'target') return targetCommand(o, progress);
  if (goal === 'capacity') return capacityCommand(o, progress);
  if (o.siteCapacity !== undefined) throw new Error('--site-capacity goes with --goal capacity');
  const budget = o.budget === undefined ? undefined : Number(o.budget);
  if (budget !== undefined && !(budget > 0)) throw new Error(`--budget: expected 万元 > 0, found "${o.budget}"`);
  if (o.k === undefined && budget === undefined) throw new Error('--k N (or --budget 万元) is needed with --goal coverage (or use --goal target)');
  const k = o.k === undefined ? 500 : Number(o.k);
  if (!Number.isInteger(k) || k < 1 || k > 500) throw new Error(`--k: expected a whole number from 1 to 500, found "${o.k}"`);
  if (o.candidates && o.buildable) throw new Error('give --candidates or --buildable, not both');
  const weight = o.aged60Weight === undefined ? undefined : Number(o.aged60Weight);
  if (weight !== undefined && !(weight >= 0)) throw new Error(`--aged60-weight: expected a number >= 0, found "${o.aged60Weight}"`);
  const spacing = o.spacing === undefined ? undefined : Number(o.spacing);
  if (spacing !== undefined && !(spacing >= 0 && spacing <= 50_000)) throw new Error(`--spacing: expected metres from 0 to 50000, found "${o.spacing}"`);
  const inputs = await loadInputs(o, progress);
  const circleInputs = { grid: inputs.grid, facilities: inputs.facilities, network: inputs.preparer, speeds: inputs.speeds, onProgress: (s: string, f?: number) => progress.step(s, f) };
  const session = createCircleSession(circleInputs, inputs.circle);
  const result = session.base;
  progress.step('choosing candidates');
  let candidates: CandidateSites | undefined;
  if (o.candidates) {
    const set = await facilitiesFromPath(o.candidates, { bbox: gridBBox(inputs.grid), known: null });
    if (o.k !== undefined && budget === undefined && k > set.count) throw new Error(`--k ${k}: more sites than the ${set.count} candidates in ${o.candidates}; ask for at most ${set.count}`);
    candidates = candidatesFromPoints(Array.from({ length: set.count }, (_, i) => ({ lon: set.lon[i], lat: set.lat[i], id: set.id[i] })), o.candidates);
  } else if (o.buildable) {
    const land = await readBuildable(o.buildable);
    const b = gridBBox(inputs.grid);
    const area: Polygon | null = b && { type: 'Polygon', coordinates: [[[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]], [b[0], b[1]]]] };
    land.forEach((f, i) => {
      if (area && !booleanIntersects(f.geometry, area)) throw new Error(`${o.buildable} feature ${i}: lies outside the input's population grid; expected buildable land inside the area (check the CRS)`);
    });
    candidates = candidatesFromPolygons(inputs.grid, land.map((f) => f.geometry as Polygon | MultiPolygon));
    if (o.k !== undefined && budget === undefined && k > candidates.lon.length) throw new Error(`--k ${k}: more sites than the ${candidates.lon.length} candidate points on the buildable land in ${o.buildable}; ask for at most ${candidates.lon.length}`);
  }
  const r = suggestCircleSites(circleInputs, {
    result, k, candidates, budget, spacingMeters: spacing, weight: weight === undefined ? undefined : { population: 1, aged60: weight }, onProgress: (s, f) => progress.step(s, f),
  });
  progress.step('building the sites one by one');
  const effects = siteEffects(session, inputs.grid, r.sites);
  progress.step('writing files');
  const fc: FeatureCollection<Point> = {
    type: 'FeatureCollection',
    features: r.sites.map((s, i) => ({
      type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: {
        rank: i + 1, id: s.id, township: effects[i].township, gain: Math.round(s.gain), gain_60plus: Math.round(s.gainAged60), covered_after: Math.round(s.cumulativeCovered), share_after: s.cumulativeShare,
        cost_wan: s.cost, group_covered_after: Math.round(effects[i].groupCoveredAfter), lifts: effects[i].lifts.join('、'), preset: result.circle.id,
      },
    })),
  };
  const written = await writeLayerFiles(fc, o.out, 'suggested-sites', o.crs ?? 'EPSG:4326');
  if (budget !== undefined) progress.warn(`spent ${r.spent} of ${budget} 万元; ${SITE_COSTS_NOTE}`);
  const curve = ['k,covered,covered_60plus,share', `0,${Math.round(r.baselineCovered)},${Math.round(r.baselineCoveredAged60)},${(r.baselineCovered / r.totalPopulation).toFixed(4)}`,
    ...r.curve.map((c) => `${c.k},${Math.round(c.covered)},${Math.round(c.coveredAged60)},${c.share?.toFixed(4) ?? ''}`)];
  await writeFile(join(o.out, 'coverage-curve.csv'), curve.join('\n') + '\n');
  progress.done();
  return { sites: r.sites.length, files: [...written.files, join(o.out, 'coverage-curve.csv')] };
}

/** `lifecircle suggest --goal target`: the fewest sites bringing each township (or --township a,b) to the target share. */
async function targetCommand(o: SuggestOptions, progress: Progress): Promise<{ sites: number; files: string[]; line: string }> {
  if (o.candidates || o.buildable || o.k || o.aged60Weight) throw new Error('--goal target chooses from uncovered cells by the circle\'s group; drop --candidates, --buildable, --k and --aged60-weight');
  const target = o.target === undefined ? undefined : Number(o.target);
  if (target !== undefined && !(target > 0 && target <= 1)) throw new Error(`--target: expected a share in (0, 1], e.g. 0.9, found "${o.target}"`);
  const maxSites = o.maxSites === undefined ? undefined : Number(o.maxSites);
  if (maxSites !== undefined && !(Number.isInteger(maxSites) && maxSites >= 1 && maxSites <= 500)) throw new Error(`--max-sites: expected a whole number from 1 to 500, found "${o.maxSites}"`);
  const spacing = o.spacing === undefined ? undefined : Number(o.spacing);
  if (spacing !== undefined && !(spacing >= 0 && spacing <= 50_000)) throw new Error(`--spacing: expected metres from 0 to 50000, found "${o.spacing}"`);
  const inputs = await loadInputs(o, progress);
  const grid = inputs.grid;
  const units = o.township?.split(',').map((n) => n.trim()).filter(Boolean).map((n) => {
    const u = grid.unitNames.findIndex((x, i) => x === n || grid.unitCodes[i] === n);
    if (u < 0) throw new Error(`--township: '${n}' is not a township of the input (${grid.unitNames.join(', ') || 'no --units given'})`);
    return u;
  });
  const circleInputs = { grid, facilities: inputs.facilities, network: inputs.preparer, speeds: inputs.speeds, onProgress: (s: string, f?: number) => progress.step(s, f) };
  const result = runCircle(circleInputs, inputs.circle);
  const towns = sitesToTarget(circleInputs, { result, units, target, maxSites, spacingMeters: spacing, onProgress: (s, f) => progress.step(s, f) });
  progress.step('writing files');
  const fc: FeatureCollection<Point> = {
    type: 'FeatureCollection',
    features: towns.flatMap((t) => t.sites.map((s, i) => ({
      type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] },
      properties: { township: t.name, rank: i + 1, id: s.id, gain: Math.round(s.gain), gain_60plus: Math.round(s.gainAged60), preset: result.circle.id },
    }))),
  };
  const written = await writeLayerFiles(fc, o.out, 'target-sites', o.crs ?? 'EPSG:4326');
  const pct = (x: number | null) => (x === null ? '' : (x * 100).toFixed(1));
  const rows = ['township,share_before_pct,share_after_pct,target_pct,reached,sites,reason', ...towns.map((t) => [csvField(t.name), pct(t.shareBefore), pct(t.shareAfter), pct(t.target), t.reached ? 'yes' : 'no', t.sites.length, csvField(t.reason ? `${t.reason.zh} / ${t.reason.en}` : '')].join(','))];
  await writeFile(join(o.out, 'target-townships.csv'), rows.join('\n') + '\n');
  progress.done();
  const n = towns.reduce((a, t) => a + t.sites.length, 0);
  const line = towns.length === 1
    ? `${towns[0].name}: ${towns[0].reached ? `${towns[0].sites.length} sites bring it from ${pct(towns[0].shareBefore)} % to ${pct(towns[0].shareAfter)} %` : `not reached (${pct(towns[0].shareAfter)} % with ${towns[0].sites.length} sites): ${towns[0].reason?.en}`}`
    : `${towns.filter((t) => t.reached).length} of ${towns.length} townships reach ${pct(towns[0]?.target ?? target ?? null)} % with ${n} sites`;
  return { sites: n, files: [...written.files, join(o.out, 'target-townships.csv')], line };
}

/**
 * `lifecircle suggest --goal capacity --k N --site-capacity P`: N new sites of P places each, the circle's
 * group assigned to the nearest site with room; says how much of the group is short of places and how much
 * is out of reach (the service's goal capacity, the same engine call).
 */
async function capacityCommand(o: SuggestOptions, progress: Progress): Promise<{ sites: number; files: string[]; line: string }> {
  if (o.candidates || o.buildable || o.budget || o.aged60Weight || o.township || o.target || o.maxSites) {
    throw new Error('--goal capacity chooses from uncovered cells by the circle\'s group; drop --candidates, --buildable, --budget, --aged60-weight, --township, --target and --max-sites');
  }
  const siteCapacity = Number(o.siteCapacity);
  if (o.siteCapacity === undefined || !(siteCapacity > 0 && siteCapacity <= 1e6)) throw new Error(`--site-capacity: expected the places (beds, slots) of each new site, a number > 0, found ${o.siteCapacity === undefined ? 'nothing' : `"${o.siteCapacity}"`}`);
  const k = o.k === undefined ? 5 : Number(o.k);
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new Error(`--k: expected a whole number from 1 to 50, found "${o.k}"`);
  const spacing = o.spacing === undefined ? undefined : Number(o.spacing);
  if (spacing !== undefined && !(spacing >= 0 && spacing <= 50_000)) throw new Error(`--spacing: expected metres from 0 to 50000, found "${o.spacing}"`);
  const inputs = await loadInputs(o, progress);
  const circleInputs = { grid: inputs.grid, facilities: inputs.facilities, network: inputs.preparer, speeds: inputs.speeds, onProgress: (s: string, f?: number) => progress.step(s, f) };
  const result = runCircle(circleInputs, inputs.circle);
  const r = capacityCircleSites(circleInputs, { result, k, siteCapacity, spacingMeters: spacing, onProgress: (s, f) => progress.step(s, f) });
  progress.step('writing files');
  const fc: FeatureCollection<Point> = {
    type: 'FeatureCollection',
    features: r.sites.map((s, i) => ({
      type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: { rank: i + 1, id: s.id, capacity: s.capacity, served: Math.round(s.served), utilisation: s.utilisation, gain: Math.round(s.gain ?? 0), preset: result.circle.id },
    })),
  };
  const written = await writeLayerFiles(fc, o.out, 'capacity-sites', o.crs ?? 'EPSG:4326');
  const row = (name: string, t: typeof r.totals) => [name, Math.round(t.demand), Math.round(t.served), Math.round(t.lackOfCapacity), Math.round(t.outOfReach)].join(',');
  await writeFile(join(o.out, 'capacity-totals.csv'), ['case,demand,served,short_of_places,out_of_reach', row('existing', r.baseline), row(`with ${r.sites.length} sites`, r.totals)].join('\n') + '\n');
  progress.done();
  const n = (x: number) => Math.round(x).toLocaleString('en');
  return {
    sites: r.sites.length, files: [...written.files, join(o.out, 'capacity-totals.csv')],
    line: `${r.sites.length} sites of ${siteCapacity} places: served ${n(r.baseline.served)} → ${n(r.totals.served)}, short of places ${n(r.baseline.lackOfCapacity)} → ${n(r.totals.lackOfCapacity)}, out of reach ${n(r.baseline.outOfReach)} → ${n(r.totals.outOfReach)}`,
  };
}

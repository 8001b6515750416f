import type { FeatureCollection } from 'geojson';
import { buildComplianceReport, type ComplianceReport } from '../../analysis/standards/compliance-report.ts';
import type { FacilitySet } from '../../analysis/facilities/facility-set.ts';
import { assignUnits, type AdminUnits } from '../../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../../analysis/grid/population-grid.ts';
import { networkPreparer, type NetworkPreparer } from '../../analysis/circles/network-preparer.ts';
import { buildRoadNetwork, type RoadSource } from '../../analysis/network/road-network.ts';
import { defaultSpeedTable, mergeSpeedTable } from '../../analysis/network/speed-table.ts';
import { applyStandardsConfig } from '../../analysis/standards/preset-config.ts';
import { defaultStandards, type Standards } from '../../analysis/standards/presets.ts';
import {
  classifyByDensity, classifyByUnitType, classifyByUrbanArea, URBAN_RULES, type UrbanRuleName,
} from '../../analysis/standards/urban-rural.ts';
import { DEMO_DIR, isSynthetic, loadYuechiDemo } from '../io/load-demo.ts';
import { facilitiesFromPath, gridBBox, populationFromPath, roadsFromPath, unitsFromPath } from '../features/imports/input-file.ts';
import { cliCategories, repairOption } from './analyze-command.ts';
import { readTextFile } from '../io/read-text-file.ts';
import { REPORT_FORMATS, writeReport, type ReportFormat } from '../report/write-report.ts';
import type { Progress } from './progress.ts';

/** Options of `lifecircle report`, as commander hands them over (strings, or true for bare switches). */
export interface ReportOptions {
  /** one id or several, comma-separated */
  preset?: string;
  all?: boolean;
  /** load data/yuechi (true) or the given folder */
  demo?: boolean | string;
  population?: string;
  facilities?: string;
  roads?: string;
  units?: string;
  newCategory?: string;
  repair?: string;
  /** unit-type (default), urban-area, density or input */
  urbanRule?: string;
  /** polygons of the urban area, for --urban-rule urban-area (implied) */
  urbanArea?: string;
  config?: string;
  speeds?: string;
  cellSize?: string;
  maxSnap?: string;
  /** comma-separated subset of json,csv,html */
  format?: string;
  out: string;
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a positive number, found '${v}'`);
  return n;
}

async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readTextFile(path);
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new Error(`${path}: ${what} is not valid JSON (${(e as Error).message})`);
  }
}

/**
 * The rule book for a run: the defaults with the --config file merged over them.
 *
 * @example const standards = await loadStandards('plan.json');
 */
export async function loadStandards(config?: string): Promise<Standards> {
  const base = defaultStandards();
  return config ? applyStandardsConfig(base, await readJson(config, 'the standards config'), config) : base;
}

function presetSelection(o: ReportOptions, standards: Standards): string[] | undefined {
  if (o.all && o.preset) throw new Error('give either --preset ID[,ID…] or --all, not both');
  if (o.all) return undefined;
  if (!o.preset) throw new Error(`give --preset ID[,ID…] or --all; presets: ${[...standards.circles, ...standards.indicators].map((x) => x.id).join(', ')}`);
  return o.preset.split(',').map((s) => s.trim()).filter(Boolean);
}

interface Inputs {
  grid: PopulationGrid;
  units: AdminUnits;
  facilities: FacilitySet;
  roadSource?: RoadSource;
  synthetic: boolean;
  sources: Record<string, string | null>;
  rule: UrbanRuleName;
}

async function loadReportInputs(o: ReportOptions, standards: Standards, progress: Progress): Promise<Inputs> {
  const cellSize = positive('cell-size', o.cellSize);
  let rule: UrbanRuleName = o.urbanArea ? 'urban-area' : 'unit-type';
  if (o.urbanRule !== undefined) {
    if (!(URBAN_RULES as readonly string[]).includes(o.urbanRule)) throw new Error(`--urban-rule: expected one of ${URBAN_RULES.join(', ')}, found '${o.urbanRule}'`);
    rule = o.urbanRule as UrbanRuleName;
  }
  if (rule === 'urban-area' && !o.urbanArea) throw new Error('--urban-rule urban-area needs --urban-area FILE (GeoJSON polygons of the urban area)');
  let inputs: Inputs;
  if (o.demo) {
    const dir = typeof o.demo === 'string' ? o.demo : DEMO_DIR;
    const demo = await loadYuechiDemo(dir, { cellSize, onProgress: (s) => progress.step(s) });
    inputs = {
      grid: demo.grid, units: demo.units, facilities: demo.facilities, roadSource: demo.roadSource, synthetic: demo.synthetic,
      sources: { '数据 data': `Yuechi demo (${dir})`, ...Object.fromEntries(Object.entries(demo.files).map(([k, v]) => [k, v])) }, rule,
    };
  } else {
    const missing = (['population', 'facilities', 'units'] as const).filter((k) => !o[k]);
    if (missing.length > 0) throw new Error(`report needs ${missing.map((k) => `--${k} FILE`).join(', ')} (or --demo for the Yuechi demo)`);
    // read through the import's checks, as analyze does; later layers must lie where the population is
    progress.step('reading population');
    const population = await populationFromPath(o.population!, { bbox: null, cellSize });
    const bbox = gridBBox(population);
    progress.step('reading townships');
    const units = await unitsFromPath(o.units!, { bbox, makeValid: repairOption(o.repair) });
    const grid = assignUnits(population, units);
    progress.step('reading facilities');
    const facilities = await facilitiesFromPath(o.facilities!, { bbox, known: cliCategories(standards, o.newCategory) });
    let roadSource: RoadSource | undefined;
    if (o.roads) {
      progress.step('reading roads');
      roadSource = await roadsFromPath(o.roads, { bbox });
    }
    inputs = {
      grid, units, facilities, roadSource, synthetic: isSynthetic({}, facilities),
      sources: { population: o.population!, facilities: o.facilities!, units: o.units!, roads: o.roads ?? null }, rule,
    };
  }
  progress.step('classing cells urban/rural');
  if (rule === 'unit-type') inputs.grid = classifyByUnitType(inputs.grid, inputs.units);
  else if (rule === 'density') inputs.grid = classifyByDensity(inputs.grid, standards.densityRule);
  else if (rule === 'urban-area') inputs.grid = classifyByUrbanArea(inputs.grid, (await readJson(o.urbanArea!, 'the urban area')) as FeatureCollection);
  if (o.urbanArea) inputs.sources.urbanArea = o.urbanArea;
  return inputs;
}

/**
 * `lifecircle report`: judges the chosen presets (or all) per township and for the county and writes
 * compliance.json, compliance.csv and compliance.html to --out.
 *
 * @example await reportCommand({ demo: true, all: true, out: 'out/yuechi' }, createProgress());
 */
export async function reportCommand(o: ReportOptions, progress: Progress): Promise<{ report: ComplianceReport; files: Partial<Record<ReportFormat, string>> }> {
  if (!o.out) throw new Error('report needs --out DIR for the report files');
  const formats = (o.format ?? REPORT_FORMATS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of formats) if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new Error(`--format: expected a comma-separated subset of ${REPORT_FORMATS.join(',')}, found '${f}'`);
  const standards = await loadStandards(o.config);
  const only = presetSelection(o, standards);
  let speeds = defaultSpeedTable();
  if (o.speeds) speeds = mergeSpeedTable(speeds, await readJson(o.speeds, 'the speed table'), o.speeds);
  const inputs = await loadReportInputs(o, standards, progress);
  let network: NetworkPreparer | null = null;
  if (inputs.roadSource) {
    progress.step('building the road network');
    network = networkPreparer(buildRoadNetwork(inputs.roadSource), inputs.grid, { speeds, maxSnapMeters: positive('max-snap', o.maxSnap), onProgress: (s, f) => progress.step(s, f) });
  }
  const report = buildComplianceReport({
    grid: inputs.grid, units: inputs.units, facilities: inputs.facilities, network, speeds,
    urbanRule: inputs.rule, synthetic: inputs.synthetic,
    sources: { ...inputs.sources, config: o.config ?? null, speeds: o.speeds ?? null },
    onProgress: (step, f) => progress.step(step, f),
  }, standards, { only });
  progress.step('writing the report');
  const files = await writeReport(report, o.out, formats as ReportFormat[]);
  progress.done();
  return { report, files };
}

/**
 * The one-line summary the CLI prints after a report.
 *
 * @example process.stdout.write(reportSummaryLine(report, files));
 */
export function reportSummaryLine(report: ComplianceReport, files: Partial<Record<ReportFormat, string>>): string {
  const townships = new Set(report.rows.filter((r) => r.areaKind === 'township').map((r) => r.areaCode)).size;
  const c = report.counts;
  return `${report.items.length} rules × ${townships} townships + county: ${c.pass} pass, ${c.fail} fail, ${c['no-data']} no data${report.synthetic ? ' (synthetic data)' : ''}; written ${Object.values(files).join(', ')}\n`;
}

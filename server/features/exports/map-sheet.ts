import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { AdminUnits } from '../../../analysis/grid/assign-units.ts';
import type { FacilitySet } from '../../../analysis/facilities/facility-set.ts';
import { AppError } from '../../app/app-error.ts';
import type { MapSheetInput } from '../../export/map-sheet-pdf.ts';
import type { AnalysisView } from '../analyses/analysis.service.ts';
import { reportTable } from './report-format.ts';

export type SheetPaper = MapSheetInput['paper'];
export type SheetOrientation = MapSheetInput['orientation'];

/** What a map sheet shows of one run; the service fills it from a filed run, the CLI from its own run. */
export interface SheetSource {
  run: Pick<AnalysisView, 'summary' | 'units'>;
  gaps: FeatureCollection;
  units: AdminUnits;
  facilities: FacilitySet;
  regionName: string;
  synthetic: boolean;
  sites?: FeatureCollection<Point, { rank: number }>;
  /** what the run is called in the sources block: `analysis 7` or the CLI's inputs */
  runLabel: string;
}

const GROUP_LEGEND = { aged60: '60岁以上覆盖率 coverage of residents 60+', all: '常住人口覆盖率 coverage of residents', rural: '农村常住人口覆盖率 coverage of rural residents' };
// columns of the report table the sheet prints: name, the group's count, share, verdict, gaps (and a scenario's before and change)
const SHEET_COLUMNS = [1, 2, 5, 6, 7];
const SCENARIO_COLUMNS = [8, 10];

/** Paper and orientation from a query or CLI options; anything else is a 400 naming the field. */
export function sheetLayout(raw: { paper?: unknown; orientation?: unknown }): { paper: SheetPaper; orientation: SheetOrientation } {
  const paper = raw.paper === undefined ? 'A4' : String(raw.paper).toUpperCase();
  if (paper !== 'A4' && paper !== 'A3') throw new AppError('validation_failed', `paper: expected A4 or A3, found '${String(raw.paper)}'`, { field: 'paper', expected: 'A4 | A3', found: String(raw.paper) });
  const orientation = raw.orientation === undefined ? 'landscape' : String(raw.orientation).toLowerCase();
  if (orientation !== 'landscape' && orientation !== 'portrait') {
    throw new AppError('validation_failed', `orientation: expected landscape or portrait, found '${String(raw.orientation)}'`, { field: 'orientation', expected: 'landscape | portrait', found: String(raw.orientation) });
  }
  return { paper, orientation };
}

/**
 * The map sheet of a run: townships shaded by the share the run gives them, its gaps and facilities, and the
 * township columns of the report table (the CSV's and XLSX's numbers, from the same `reportTable`).
 *
 * @example const input = sheetInput(source, sheetLayout({ paper: 'A3' }));
 */
export function sheetInput(src: SheetSource, layout: { paper: SheetPaper; orientation: SheetOrientation }, date = new Date()): MapSheetInput {
  const s = src.run.summary;
  if (src.units.features.length === 0) throw new AppError('validation_failed', 'the region has no townships to draw; import admin units (kind=units) first', { field: 'units' });
  const share = new Map<string, number | null>();
  for (const u of src.run.units) share.set(u.code || u.name, u.coveredShare);
  const townships: FeatureCollection<Polygon | MultiPolygon, { name: string; share: number | null }> = {
    type: 'FeatureCollection',
    features: src.units.features.map((f, i) => ({
      type: 'Feature', geometry: f.geometry,
      properties: { name: src.units.names[i], share: share.get(src.units.codes[i] || src.units.names[i]) ?? share.get(src.units.names[i]) ?? null },
    })),
  };
  const f = src.facilities;
  const facilities: FeatureCollection<Point, { name?: string }> = {
    type: 'FeatureCollection',
    features: Array.from({ length: f.count }, (_, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [f.lon[i], f.lat[i]] }, properties: { name: f.name[i] } })),
  };
  const table = reportTable(src.run, 'zh');
  const cols = [...SHEET_COLUMNS, ...(s.scenario ? SCENARIO_COLUMNS : [])];
  const services = s.services.map((x) => `${x.zh} ${x.en}`).join('、');
  const scenario = s.scenario ? `情景 scenario: ${s.scenario.name ?? '未保存 unsaved'} (${s.scenario.edits.length} edits)` : '现状 baseline';
  return {
    title: `${src.regionName} ${s.title.zh}：覆盖与缺口`,
    subtitle: `${s.title.en}: coverage and gaps · ${scenario}`,
    paper: layout.paper,
    orientation: layout.orientation,
    townships,
    gaps: src.gaps as FeatureCollection<Polygon | MultiPolygon>,
    facilities,
    sites: src.sites,
    target: s.coverageTarget,
    legend: {
      facilities: services ? `设施 facilities: ${services}` : '设施 facilities',
      gaps: '未覆盖区域 gaps (uncovered residents)',
      sites: src.sites ? '建议选址 suggested sites' : undefined,
      share: GROUP_LEGEND[s.group],
    },
    table: { head: cols.map((c) => table.head[c]), rows: table.rows.map((r) => cols.map((c) => r[c])) },
    sources: [
      `依据 standard: ${s.preset?.source ?? '自定义圈 custom circle'}`,
      `数据 data: ${src.synthetic ? '演示数据为生成数据（非真实统计） generated demo data, not real statistics' : '导入数据 imported data'}`,
      `计算 computed by lifecircle 生活圈, ${src.runLabel}; 标准说明 docs/standards.md`,
    ],
    synthetic: src.synthetic,
    date: date.toISOString().slice(0, 10),
  };
}

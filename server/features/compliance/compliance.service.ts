import { setImmediate as nextTurn } from 'node:timers/promises';
import { buildComplianceReport, type ComplianceReport } from '../../../analysis/standards/compliance-report.ts';
import { defaultStandards } from '../../../analysis/standards/presets.ts';
import { complianceTable, reportCsv } from '../../report/report-csv.ts';
import { reportXlsx } from '../../export/report-xlsx.ts';
import { reportHtml } from '../../report/report-html.ts';
import { AppError } from '../../app/app-error.ts';
import { objectBody, onlyFields, stringListField } from '../../app/body-fields.ts';
import type { Db } from '../../db/database.ts';
import type { ExportFile } from '../exports/export.service.ts';
import { toFacilitySet, withStatus } from '../facilities/facility.service.ts';
import { FACILITY_STATUSES, type FacilityStatus } from '../facilities/facility.table.ts';
import type { ProgressFn, RegionModelCache } from '../regions/region-model-cache.ts';
import { requireRegion } from '../regions/region.service.ts';
import * as repo from './compliance.repository.ts';

export interface ComplianceView {
  id: number;
  regionId: number;
  parameters: { only: string[] | null; statuses: string[] };
  counts: Record<string, number>;
  links: { self: string; csv: string; html: string };
  createdAt: Date;
  report?: ComplianceReport;
}

export function complianceView(r: repo.ComplianceInfo, report?: ComplianceReport): ComplianceView {
  const self = `/api/compliance/${r.id}`;
  return { id: r.id, regionId: r.region_id, parameters: r.parameters, counts: r.counts, links: { self, csv: `${self}/report.csv`, html: `${self}/report.html` }, createdAt: r.created_at, ...(report ? { report } : {}) };
}

/** Checks `{ only?, statuses? }`: which circles and indicators, and which facilities count. */
export function parseComplianceRequest(raw: unknown): { only: string[] | null; statuses: FacilityStatus[]; background: boolean } {
  const body = objectBody(raw ?? {});
  onlyFields(body, ['only', 'statuses', 'background']);
  const statuses = (stringListField(body, 'statuses') ?? ['existing']) as FacilityStatus[];
  const bad = statuses.find((s) => !(FACILITY_STATUSES as readonly string[]).includes(s));
  if (bad) throw new AppError('validation_failed', `field 'statuses': expected values among ${FACILITY_STATUSES.join(', ')}, found '${bad}'`, { field: 'statuses', found: bad });
  return { only: stringListField(body, 'only') ?? null, statuses, background: body.background === true };
}

/**
 * Judges every circle and indicator of the planning standards per township (the CLI's `report`, on the
 * region's stored layers) and files the report.
 *
 * @example const view = await runCompliance(db, cache, 1, { only: ['elderly-care-15min'], statuses: ['existing'] });
 */
export async function runCompliance(db: Db, cache: RegionModelCache, regionId: number, p: { only: string[] | null; statuses: FacilityStatus[] }, report: ProgressFn = () => undefined): Promise<ComplianceView> {
  const region = await requireRegion(db, regionId);
  const model = await cache.get(db, regionId, report);
  const facilities = toFacilitySet(withStatus((await cache.facilities(db, regionId)).rows, p.statuses));
  await nextTurn();
  let built: ComplianceReport;
  try {
    built = buildComplianceReport({
      grid: model.grid, units: model.units, facilities, network: cache.network(model, report), urbanRule: model.urbanRule,
      synthetic: model.synthetic, sources: { region: `${region.name} (region ${regionId})` }, onProgress: report,
    }, defaultStandards(), { only: p.only ?? undefined });
  } catch (e) {
    // the builder throws plain errors only for what the request or the region lacks (unknown id, no units)
    throw AppError.fromInput(e, 'validation_failed');
  }
  report('filing the report');
  const row = await repo.insertReport(db, { regionId, parameters: { only: p.only, statuses: p.statuses }, report: built });
  return complianceView(row, built);
}

export async function getCompliance(db: Db, id: number): Promise<ComplianceView> {
  const row = await repo.findReport(db, id);
  if (!row) throw AppError.notFound('compliance report', id);
  return complianceView(row, row.report);
}

/** A filed report as the CLI writes it: CSV (UTF-8 with BOM) or a printable HTML page. */
export async function complianceFile(db: Db, id: number, format: 'csv' | 'html' | 'xlsx'): Promise<ExportFile> {
  const row = await repo.findReport(db, id);
  if (!row) throw AppError.notFound('compliance report', id);
  if (format === 'xlsx') {
    const about: Array<[string, string]> = [
      ['报告 report', `compliance ${id}`], ['合成数据 synthetic', row.report.synthetic ? '是 yes: generated demo data, not statistics' : '否 no'],
      ...row.report.items.map((i): [string, string] => [`${i.id} ${i.zh ?? ''}`.trim(), [i.source, ...Object.values(i.assumed ?? {})].filter(Boolean).join(' | ')]),
    ];
    const body = await reportXlsx(complianceTable(row.report), { sheet: '达标评估 compliance', about });
    return { body, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `compliance-${id}.xlsx` };
  }
  return format === 'csv'
    ? { body: reportCsv(row.report), contentType: 'text/csv; charset=utf-8', fileName: `compliance-${id}.csv` }
    : { body: reportHtml(row.report), contentType: 'text/html; charset=utf-8', fileName: `compliance-${id}.html` };
}

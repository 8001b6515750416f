import type { Kysely } from 'kysely';
import type { ComplianceReport } from '../../../analysis/standards/compliance-report.ts';
import { toJson } from '../../db/column-types.ts';
import type { Database } from '../../db/database.ts';
import type { ComplianceReportRow } from './compliance.table.ts';

type Q = Kysely<Database>;

export type ComplianceInfo = Omit<ComplianceReportRow, 'report'>;
const INFO = ['id', 'region_id', 'parameters', 'counts', 'created_at', 'updated_at'] as const;

export function insertReport(db: Q, r: { regionId: number; parameters: { only: string[] | null; statuses: string[] }; report: ComplianceReport }): Promise<ComplianceInfo> {
  return db.insertInto('compliance_reports').values({
    region_id: r.regionId, parameters: toJson(r.parameters), counts: toJson(r.report.counts), report: toJson(r.report),
  }).returning(INFO).executeTakeFirstOrThrow();
}

export function findReport(db: Q, id: number): Promise<ComplianceReportRow | undefined> {
  return db.selectFrom('compliance_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listReports(db: Q, regionId: number): Promise<ComplianceInfo[]> {
  return db.selectFrom('compliance_reports').select(INFO).where('region_id', '=', regionId).orderBy('id', 'desc').execute();
}

export async function deleteReport(db: Q, id: number): Promise<boolean> {
  return Number((await db.deleteFrom('compliance_reports').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}

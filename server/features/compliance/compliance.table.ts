import type { Selectable } from 'kysely';
import type { ComplianceReport } from '../../../analysis/standards/compliance-report.ts';
import type { CreatedAt, Id, Json, UpdatedAt } from '../../db/column-types.ts';

/** A filed compliance report: the standards' circles and indicators judged per township. */
export interface ComplianceReportTable {
  id: Id;
  region_id: number;
  parameters: Json<{ only: string[] | null; statuses: string[] }>;
  /** verdict counts, readable without the report */
  counts: Json<Record<string, number>>;
  report: Json<ComplianceReport>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type ComplianceReportRow = Selectable<ComplianceReportTable>;

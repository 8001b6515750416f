import type { ComplianceReport, IndicatorResult, IndicatorRow } from './api-types.ts';

/**
 * The indicators of a compliance report (every item but the circles), each with its county row and its
 * township rows, in the report's order.
 *
 * @example indicatorResults(report).find((i) => i.id === 'childcare-slots')?.county.verdict
 */
export function indicatorResults(report: ComplianceReport): IndicatorResult[] {
  const out: IndicatorResult[] = [];
  for (const item of report.items) {
    if (item.kind === 'circle') continue;
    const rows = report.rows.filter((r) => r.itemId === item.id);
    const county = rows.find((r) => r.areaKind === 'county');
    if (!county) continue;
    const row = (r: (typeof rows)[number]): IndicatorRow => ({
      code: r.areaCode, name: r.areaName, value: r.value, verdict: r.verdict, shortfall: r.shortfall,
      text: r.shortfall ? r.shortfallText : r.valueText,
    });
    out.push({
      id: item.id, zh: item.zh, en: item.en, kind: item.kind, target: county.target, unit: item.unit ?? null, targetText: item.target, source: item.source,
      county: row(county), units: rows.filter((r) => r.areaKind === 'township').map(row),
    });
  }
  return out;
}

import { csvField } from '../../export/csv-field.ts';
import type { AnalysisView } from '../analyses/analysis.service.ts';
import type { PopulationCount } from '../../../analysis/coverage/coverage-summary.ts';

const HEAD = {
  zh: ['乡镇代码', '乡镇名称', '常住人口', '覆盖人口', '覆盖率', '60岁及以上人口', '60岁及以上覆盖人口', '60岁及以上覆盖率', '距道路过远人口', '网格数', '评价对象覆盖率', '结论'],
  en: ['code', 'name', 'population', 'population_covered', 'population_share', 'aged60', 'aged60_covered', 'aged60_share', 'unreachable', 'cells', 'group_share', 'verdict'],
};
// the circle's group first, with its verdict, then all residents and 60+ beside it
const HEAD_GROUP = {
  zh: ['{group}', '{group}覆盖人数', '{group}未覆盖人数', '{group}覆盖率', '结论', '缺口数'],
  en: ['group_{group}', 'group_covered', 'group_uncovered', 'group_share', 'verdict', 'gaps'],
};
const HEAD_SCENARIO = { zh: ['现状覆盖率', '现状结论', '情景新增覆盖'], en: ['before_share', 'before_verdict', 'change'] };
const GROUP = {
  zh: { aged60: '60岁及以上人口', all: '常住人口', rural: '农村常住人口' },
  en: { aged60: 'aged60', all: 'all', rural: 'rural' },
};
const VERDICT = { zh: { pass: '达标', fail: '未达标', 'no-data': '无数据' }, en: { pass: 'pass', fail: 'fail', 'no-data': 'no data' } };

const csvCell = csvField;

const pct = (s: number | null) => (s === null ? '' : (s * 100).toFixed(1));

/** The per-township table of a run: headings and one row per township, then the county total; shares in per cent. */
export interface ReportTable {
  head: string[];
  rows: Array<Array<string | number | null>>;
  /** column of the verdict, for colouring; -1 for none */
  verdictColumn: number;
  /** shares (columns named 率 or share) as per-cent text, '12.3' (default), or as fractions, 0.123 */
  shares?: 'percent' | 'fraction';
}

const GAP_HEAD = {
  zh: ['排序', '缺口编号', '乡镇代码', '乡镇', '原因', '城乡', '评价对象未覆盖人数', '未覆盖常住人口', '未覆盖60岁以上', '网格数', '面积(km²)', '平均时间/距离', '最大时间/距离', '单位', '服务半径', '最近设施编号', '最近设施'],
  en: ['rank', 'gap_id', 'township_code', 'township', 'reason', 'side', 'uncovered_group', 'uncovered_population', 'uncovered_60plus', 'cells', 'area_km2', 'mean_cost', 'max_cost', 'cost_unit', 'threshold', 'nearest_facility_id', 'nearest_facility_name'],
};

/**
 * The gap list of a run, one row per gap polygon in its rank order, from the gaps' own properties (what the
 * GeoJSON and the Shapefile carry), for the bureau's spreadsheet.
 *
 * @example gapTable(fc, 'zh').head[3] // '乡镇'
 */
export function gapTable(fc: { features: Array<{ properties: Record<string, unknown> | null }> }, lang: 'zh' | 'en'): ReportTable {
  const keys = GAP_HEAD.en;
  const rows = fc.features.map((f) => keys.map((k) => {
    const v = k === 'reason' && lang === 'zh' ? f.properties?.reason_zh ?? f.properties?.reason : f.properties?.[k];
    return typeof v === 'number' || typeof v === 'string' ? v : null;
  }));
  return { head: GAP_HEAD[lang], rows, verdictColumn: -1 };
}

/**
 * The one per-township table every report format writes (CSV, XLSX): the circle's group first with its
 * verdict and gaps, a scenario's before and change, then all residents and 60+ beside it.
 *
 * @example reportTable(run, 'zh').head[0] // '乡镇代码'
 */
export function reportTable(run: Pick<AnalysisView, 'summary' | 'units'>, lang: 'zh' | 'en'): ReportTable {
  const s = run.summary;
  const scenario = s.scenario;
  type Extra = { gaps: number; before: { share: number | null; verdict: 'pass' | 'fail' | 'no-data' } | null; change: number | null };
  const row = (code: string, name: string, g: PopulationCount | null, p: PopulationCount, a: PopulationCount | null, unreachable: number, cells: number, share: number | null, verdict: 'pass' | 'fail' | 'no-data', x: Extra) =>
    [code, name, g?.total ?? null, g?.covered ?? null, g?.uncovered ?? null, pct(share), VERDICT[lang][verdict], x.gaps,
      ...(scenario ? [pct(x.before?.share ?? null), x.before ? VERDICT[lang][x.before.verdict] : null, x.change] : []),
      p.total, p.covered, pct(p.coveredShare), a?.total ?? null, a?.covered ?? null, pct(a?.coveredShare ?? null), unreachable, cells];
  const group = GROUP[lang][s.group];
  const head = [...HEAD[lang].slice(0, 2), ...HEAD_GROUP[lang].map((h) => h.replace('{group}', group)), ...(scenario ? HEAD_SCENARIO[lang] : []), ...HEAD[lang].slice(2, 10)];
  const rows: ReportTable['rows'] = [];
  for (const u of run.units) {
    rows.push(row(u.code, u.name, u.group, u.population, u.aged60, u.unreachable, u.cells, u.coveredShare, u.verdict,
      { gaps: u.gaps, before: u.baseline && { share: u.baseline.coveredShare, verdict: u.baseline.verdict }, change: u.change }));
  }
  rows.push(row('', lang === 'zh' ? '合计' : 'total', s.groupCount, s.population, s.aged60, s.unreachable, s.cells, s.coveredShare, s.verdict, {
    gaps: s.gaps.count, before: scenario && { share: scenario.baseline.coveredShare, verdict: scenario.baseline.verdict },
    change: scenario && s.groupCount ? Math.round((s.groupCount.covered - scenario.baseline.covered) * 10) / 10 : null,
  }));
  return { head, rows, verdictColumn: 6 };
}

/**
 * The per-township table of a run as CSV (one row per township, then the county total), headed in Chinese or
 * English; shares in per cent.
 *
 * @example reportCsv(run, 'zh').split('\n')[0] // '乡镇代码,乡镇名称,常住人口,...'
 */
export function reportCsv(run: AnalysisView, lang: 'zh' | 'en'): string {
  const t = reportTable(run, lang);
  return [t.head.join(','), ...t.rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A self-contained HTML report of a run a bureau can print or file: circle, reach, source, totals, one row per
 * township with its verdict; no scripts, no external resources.
 *
 * @example const html = reportHtml(run, { name: '岳池县', synthetic: true });
 */
export function reportHtml(run: AnalysisView, region: { name: string; synthetic: boolean }): string {
  const s = run.summary;
  const title = `${s.title.zh} ${s.title.en}`;
  const reach = [s.reach.urban && `城镇 urban: ${s.reach.urban.text.zh} (${s.reach.urban.text.en})`, s.reach.rural && `农村 rural: ${s.reach.rural.text.zh} (${s.reach.rural.text.en})`].filter(Boolean).join('<br>');
  const n = (x: number | undefined | null) => (x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en-US'));
  const rows = run.units.map((u) => `<tr class="${u.verdict}"><td>${escapeHtml(u.code)}</td><td>${escapeHtml(u.name)}</td><td>${n(u.population.total)}</td><td>${pct(u.population.coveredShare)}</td><td>${n(u.aged60?.total)}</td><td>${pct(u.aged60?.coveredShare ?? null)}</td><td>${pct(u.coveredShare)}</td><td>${VERDICT.zh[u.verdict]} ${VERDICT.en[u.verdict]}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(region.name)} · ${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222;max-width:70rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:right}
td:nth-child(-n+2),th{text-align:left}tr.fail td:last-child{color:#b00;font-weight:600}tr.pass td:last-child{color:#060}
.meta{color:#555;font-size:.9rem}dt{font-weight:600;margin-top:.4rem}
</style></head><body>
<h1>${escapeHtml(region.name)} · ${escapeHtml(title)}</h1>
<p class="meta">分析编号 run ${run.id} · ${escapeHtml(run.createdAt.toISOString())}${run.scenarioId !== null ? ` · 方案 scenario ${run.scenarioId}` : ''}</p>
<dl><dt>可达范围 Reach</dt><dd>${reach}</dd>
<dt>评价对象 Population judged</dt><dd>${escapeHtml(s.group)} · 目标覆盖率 target ${pct(s.coverageTarget)} %</dd>
${s.preset ? `<dt>依据 Source</dt><dd>${escapeHtml(s.preset.source)}</dd>` : ''}
<dt>全县 County</dt><dd>覆盖率 ${pct(s.coveredShare)} % — ${VERDICT.zh[s.verdict]} ${VERDICT.en[s.verdict]}; 常住人口 ${n(s.population.total)}, 覆盖 ${n(s.population.covered)}; 60岁及以上 ${n(s.aged60?.total)}, 覆盖 ${n(s.aged60?.covered)}; 设施 facilities ${s.facilities.used}; 缺口 gaps ${s.gaps.count} (${n(s.gaps.uncoveredPopulation)} 人)</dd></dl>
<table><thead><tr><th>代码 code</th><th>乡镇 township</th><th>常住人口 population</th><th>覆盖率 %</th><th>60岁及以上 aged 60+</th><th>覆盖率 %</th><th>评价对象覆盖率 %</th><th>结论 verdict</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${region.synthetic ? '<p class="meta"><strong>合成数据 SYNTHETIC DATA:</strong> 本区域的人口、道路和设施为程序生成的示例数据，结论不能用于决策。The population, roads and facilities of this region are generated demo data; its verdicts must not be used for decisions.</p>' : ''}
<p class="meta">Road-network results derived from OpenStreetMap data carry © OpenStreetMap contributors.</p>
</body></html>
`;
}

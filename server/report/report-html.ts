import { VERDICT_TEXT, type ComplianceReport, type ReportItem, type ReportRow } from '../../analysis/standards/compliance-report.ts';
import { formatCount, formatShare } from '../../analysis/standards/shortfall-text.ts';
import type { Verdict } from '../../analysis/standards/indicators.ts';

const esc = (s: string | number): string =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const MARK: Record<Verdict, string> = { pass: '✓', fail: '✗', 'no-data': '—' };

const KIND_TEXT: Record<string, string> = {
  circle: '服务圈 circle', ratio: '比例指标 ratio', total: '总量 total', presence: '设置要求 presence', capacity: '供需可达 2SFCA',
};

// print-first styles: A4 landscape, tables that do not split rows, colour that survives greyscale via symbols
const STYLE = `
@page { size: A4 landscape; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei", "SimSun", sans-serif; font-size: 10.5pt; color: #111; margin: 0 auto; max-width: 290mm; padding: 8mm; line-height: 1.45; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h1 small, h2 small, h3 small { font-weight: normal; color: #444; font-size: 0.7em; margin-left: 0.6em; }
h2 { font-size: 14pt; border-bottom: 2px solid #333; padding-bottom: 1mm; margin: 8mm 0 3mm; }
h3 { font-size: 12pt; margin: 5mm 0 2mm; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
table.rows { table-layout: fixed; }
table.rows td { overflow-wrap: anywhere; }
th, td { border: 1px solid #999; padding: 1.2mm 1.8mm; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: 600; }
tr { page-break-inside: avoid; break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.pass { background: #e3f4e1; }
.fail { background: #fbe3e1; }
.no-data { background: #f1f1f1; color: #555; }
.verdict { white-space: nowrap; font-weight: 600; }
.en { color: #444; font-size: 0.92em; display: block; }
.banner { border: 3px solid #b00; background: #fff0f0; color: #800; padding: 3mm 4mm; font-weight: 600; margin: 3mm 0 5mm; }
.meta { color: #333; }
.meta td { border: none; padding: 0.6mm 2mm 0.6mm 0; }
.matrix td, .matrix th { text-align: center; padding: 0.8mm 1mm; font-size: 9pt; }
.matrix td.name, .matrix th.name { text-align: left; white-space: nowrap; }
.assumed { color: #8a5a00; }
.township { page-break-before: always; break-before: page; }
ul { margin: 1mm 0 2mm 5mm; padding-left: 4mm; }
@media screen { body { background: #fafafa; } }
`;

function bi(zh: string, en: string): string {
  return `${esc(zh)}<span class="en">${esc(en)}</span>`;
}

function verdictCell(v: Verdict): string {
  return `<td class="verdict ${v}">${MARK[v]} ${bi(VERDICT_TEXT[v].zh, VERDICT_TEXT[v].en)}</td>`;
}

function coverageText(r: ReportRow): string {
  if (!r.population) return '';
  const part = (label: string, c: ReportRow['population']) =>
    c && c.coveredShare !== null ? `${label} ${formatCount(c.covered)}/${formatCount(c.total)} (${formatShare(c.coveredShare)})` : '';
  return [part('全部 all', r.population), part('60+', r.aged60)].filter(Boolean).join('<br>');
}

function rowsTable(rows: ReportRow[], itemNumber: Map<string, number>): string {
  const body = rows.map((r) => `<tr>
<td class="num">${itemNumber.get(r.itemId)}</td>
<td>${bi(r.itemZh, r.itemEn)}</td>
<td class="num">${bi(r.valueText.zh, r.valueText.en)}</td>
<td class="num">${bi(r.targetText.zh, r.targetText.en)}</td>
${verdictCell(r.verdict)}
<td>${bi(r.shortfallText.zh, r.shortfallText.en)}</td>
<td class="num">${coverageText(r)}</td>
</tr>`).join('\n');
  return `<table class="rows"><colgroup><col style="width:3%"><col style="width:17%"><col style="width:10%"><col style="width:10%"><col style="width:7%"><col style="width:36%"><col style="width:17%"></colgroup><thead><tr><th>#</th><th>项目<span class="en">item</span></th><th>数值<span class="en">value</span></th><th>目标<span class="en">target</span></th><th>结论<span class="en">verdict</span></th><th>缺口<span class="en">shortfall</span></th><th>覆盖人口<span class="en">residents covered</span></th></tr></thead>
<tbody>${body}</tbody></table>`;
}

function itemBlock(item: ReportItem, n: number): string {
  const assumed = Object.entries(item.assumed);
  const services = item.services?.length
    ? `<table><thead><tr><th>服务<span class="en">service</span></th><th>设施类别<span class="en">categories</span></th><th>设施数<span class="en">facilities</span></th><th>全县覆盖<span class="en">county covered</span></th></tr></thead><tbody>${item.services.map((s) => `<tr><td>${bi(s.zh, s.en)}</td><td>${esc(s.categories.join(', '))}</td><td class="num">${s.facilities}</td><td class="num">${s.coveredShare === null ? '—' : formatShare(s.coveredShare)}</td></tr>`).join('')}</tbody></table>`
    : '';
  return `<h3>${n}. ${esc(item.zh)} <small>${esc(item.en)} · ${esc(item.id)} · ${esc(KIND_TEXT[item.kind] ?? item.kind)}</small></h3>
<table class="meta"><tbody>
<tr><td>规则 rule</td><td>${bi(item.rule.zh, item.rule.en)}</td></tr>
<tr><td>目标 target</td><td>${bi(item.target.zh, item.target.en)}</td></tr>
<tr><td>依据 source</td><td>${esc(item.source)}</td></tr>
${assumed.length ? `<tr><td>假定 assumed</td><td class="assumed"><ul>${assumed.map(([k, v]) => `<li><b>${esc(k)}</b>: ${esc(v)}</li>`).join('')}</ul></td></tr>` : ''}
${item.notes.length ? `<tr><td>说明 notes</td><td><ul>${item.notes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></td></tr>` : ''}
${item.configured.length ? `<tr><td>配置 configured</td><td>${esc(item.configured.join(', '))}</td></tr>` : ''}
</tbody></table>${services}`;
}

/**
 * The report as one self-contained printable HTML page (no scripts, fonts or images fetched): a banner for
 * synthetic inputs, the county's rows, a township × item verdict matrix, each township's rows, and every rule
 * with its source and assumptions; labelled in Chinese and English.
 *
 * @example await writeFile('compliance.html', reportHtml(report));
 */
export function reportHtml(report: ComplianceReport): string {
  const itemNumber = new Map(report.items.map((it, k) => [it.id, k + 1]));
  const county = report.rows.filter((r) => r.areaKind === 'county');
  const townships = report.areas.filter((a) => a.kind === 'township');
  const byArea = new Map<string, ReportRow[]>();
  for (const r of report.rows) {
    if (r.areaKind !== 'township') continue;
    const list = byArea.get(r.areaCode);
    if (list) list.push(r); else byArea.set(r.areaCode, [r]);
  }
  const banner = report.synthetic
    ? `<div class="banner">合成数据：本报告的输入为程序生成的示例数据，并非调查或部门数据，结论不能用于决策。<span class="en">SYNTHETIC DATA: the inputs of this report are generated demo data, not survey or bureau data; its verdicts must not be used for decisions.</span></div>`
    : '';
  const matrixHead = report.items.map((it, k) => `<th title="${esc(`${it.zh} ${it.en}`)}">${k + 1}</th>`).join('');
  const matrixRows = townships.map((a) => {
    const rows = byArea.get(a.code) ?? [];
    const cells = report.items.map((it) => {
      const r = rows.find((x) => x.itemId === it.id);
      return r ? `<td class="${r.verdict}">${MARK[r.verdict]}</td>` : '<td></td>';
    }).join('');
    const fails = rows.filter((r) => r.verdict === 'fail').length;
    return `<tr><td class="name">${esc(a.name)} <small>${esc(a.type ?? '')}</small></td>${cells}<td class="num">${fails}</td></tr>`;
  }).join('\n');
  const countyCells = report.items.map((it) => {
    const r = county.find((x) => x.itemId === it.id);
    return r ? `<td class="${r.verdict}">${MARK[r.verdict]}</td>` : '<td></td>';
  }).join('');
  const townshipSections = townships.map((a) => {
    const rows = byArea.get(a.code) ?? [];
    const facts = [
      `常住人口 residents ${formatCount(a.population)}`,
      a.aged60 !== null ? `60岁及以上 aged 60+ ${formatCount(a.aged60)}` : '',
      a.households !== null ? `户数 households ${formatCount(a.households)}` : '',
      a.urbanShare !== null ? `城镇人口比例 urban share ${formatShare(a.urbanShare)}` : '',
    ].filter(Boolean).join(' · ');
    return `<section class="township"><h2>${esc(a.name)} <small>${esc(a.code)} ${esc(a.type ?? '')}</small></h2>${banner}<p class="meta">${esc(facts)}</p>${rowsTable(rows, itemNumber)}</section>`;
  }).join('\n');
  const c = report.counts;
  const settingsAssumed = Object.entries(report.settings.assumed);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(report.title.zh)} ${esc(report.title.en)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(report.title.zh)}<small>${esc(report.title.en)}</small></h1>
${banner}
<table class="meta"><tbody>
<tr><td>生成时间 generated</td><td>${esc(report.generatedAt)}</td></tr>
<tr><td>人口分母 denominators</td><td>${bi(report.settings.denominators.zh, report.settings.denominators.en)}</td></tr>
<tr><td>城乡划分 urban/rural rule</td><td>${bi(report.urbanRule.zh, report.urbanRule.en)}</td></tr>
<tr><td>覆盖率目标 coverage target</td><td>${formatShare(report.settings.coverageTarget)}${'coverageTarget' in report.settings.assumed ? ' <span class="assumed">（假定 assumed）</span>' : ''}</td></tr>
${settingsAssumed.length ? `<tr><td>假定 assumed</td><td class="assumed"><ul>${settingsAssumed.map(([k, v]) => `<li><b>${esc(k)}</b>: ${esc(v)}</li>`).join('')}</ul></td></tr>` : ''}
<tr><td>结论统计 verdicts</td><td>${MARK.pass} 达标 pass ${c.pass} · ${MARK.fail} 未达标 fail ${c.fail} · ${MARK['no-data']} 无法判定 no data ${c['no-data']}</td></tr>
${Object.entries(report.sources).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v ?? '—')}</td></tr>`).join('')}
</tbody></table>
${report.warnings.length ? `<h3>提示 <small>warnings</small></h3><ul>${report.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
<h2>全县 <small>County</small></h2>
${rowsTable(county, itemNumber)}
<h2>乡镇结论总览 <small>Verdicts by township (✓ pass, ✗ fail, — no data; numbers refer to the rules listed at the end)</small></h2>
<table class="matrix"><thead><tr><th class="name">乡镇 township</th>${matrixHead}<th>未达标 fails</th></tr></thead>
<tbody><tr><td class="name"><b>全县 County</b></td>${countyCells}<td class="num">${county.filter((r) => r.verdict === 'fail').length}</td></tr>
${matrixRows}</tbody></table>
${townshipSections}
<section class="township"><h2>规则与依据 <small>Rules, sources and assumptions</small></h2>
${report.items.map((it, k) => itemBlock(it, k + 1)).join('\n')}
</section>
</body>
</html>
`;
}

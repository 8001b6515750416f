import { describeReach, urbanRuralRule, type CirclePreset, type Standards } from '../../analysis/standards/presets.ts';
import type { Indicator } from '../../analysis/standards/indicators.ts';
import { groupNoun } from '../../analysis/standards/shortfall-text.ts';
import { loadStandards } from './report-command.ts';

function circleLines(c: CirclePreset, standards: Standards): string[] {
  const sides = [c.urban && `urban ${describeReach(c.urban).en}`, c.rural && `rural ${describeReach(c.rural).en}`].filter(Boolean).join(' · ');
  const services = c.services.map((s) => `${s.en} [${s.categories.join(', ')}]`).join(c.require === 'every' ? ' + ' : ' | ');
  const target = c.coverageTarget ?? standards.coverageTarget;
  const assumed = Object.keys(c.assumed);
  return [
    `  ${c.id}  ${c.zh}`,
    `      ${c.en}`,
    `      ${sides} (${urbanRuralRule(c)}) · ${groupNoun(c.population).en} · ${c.require === 'every' ? 'each of' : 'any of'}: ${services}`,
    `      target: ≥ ${+(target * 100).toFixed(1)} % covered${'coverageTarget' in c.assumed ? ' (assumed)' : ''}`,
    `      source: ${c.source}`,
    ...(assumed.length ? [`      assumed: ${assumed.join(', ')}`] : []),
    ...(c.configured.length ? [`      set by config: ${c.configured.join(', ')}`] : []),
  ];
}

function indicatorLines(i: Indicator): string[] {
  const target = i.kind === 'presence'
    ? `≥ ${i.min} per ${i.appliesTo === 'streets' ? 'street' : 'township'}${i.countyShare < 1 ? ` in ≥ ${i.countyShare * 100} % of them` : ''}`
    : `≥ ${i.target} ${i.unit.en}`;
  const assumed = Object.keys(i.assumed);
  return [
    `  ${i.id}  ${i.zh}`,
    `      ${i.en} (${i.kind}${i.scope === 'county' ? ', county only' : ''}${i.kind === 'capacity' ? `, ${describeReach(i.reach).en}, decay ${i.decay.kind}` : ''})`,
    `      target: ${target}`,
    `      source: ${i.source}`,
    ...(assumed.length ? [`      assumed: ${assumed.join(', ')}`] : []),
    ...(i.configured.length ? [`      set by config: ${i.configured.join(', ')}`] : []),
  ];
}

/**
 * `lifecircle presets`: the circles and indicators (after --config, if given) with their rules, targets and
 * sources, as text or as JSON.
 *
 * @example process.stdout.write(await presetsCommand());
 */
export async function presetsCommand(o: { config?: string; json?: boolean } = {}): Promise<string> {
  const standards = await loadStandards(o.config);
  if (o.json) return `${JSON.stringify({ ...standards, circles: standards.circles.map((c) => ({ ...c, urbanRural: urbanRuralRule(c) })) }, null, 2)}\n`;
  const lines = [
    `服务圈 Circles (${standards.circles.length}); default coverage target ${standards.coverageTarget * 100} %${'coverageTarget' in standards.assumed ? ' (assumed)' : ''}`,
    ...standards.circles.flatMap((c) => circleLines(c, standards)),
    '',
    `指标 Indicators (${standards.indicators.length})`,
    ...standards.indicators.flatMap(indicatorLines),
  ];
  return `${lines.join('\n')}\n`;
}

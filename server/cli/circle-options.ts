import { ACCESS_MODES, type AccessMode } from '../../analysis/accessibility/analyze-access.ts';
import { circleOfPreset, explicitCircle, type Circle } from '../../analysis/circles/circle.ts';
import type { PopulationGroup, Reach, Standards } from '../../analysis/standards/presets.ts';
import { loadStandards } from './report-command.ts';

/** The circle options the analyze, gaps and suggest commands share. */
export interface CircleOptionValues {
  preset?: string;
  config?: string;
  mode?: string;
  minutes?: string;
  meters?: string;
  ruralMode?: string;
  ruralMinutes?: string;
  group?: string;
  category?: string;
  where?: string;
}

export function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a positive number, found "${v}"`);
  return n;
}

const GROUPS: readonly PopulationGroup[] = ['all', 'aged60', 'rural'];

function mode(name: string, v: string | undefined): AccessMode {
  if (!(ACCESS_MODES as readonly string[]).includes(v ?? '')) {
    throw new Error(v ? `--${name}: expected one of ${ACCESS_MODES.join(', ')}, found "${v}"` : `--${name} is required: one of ${ACCESS_MODES.join(', ')} (or give --preset ID)`);
  }
  return v as AccessMode;
}

/**
 * The circle a command runs: a planning preset (its categories, urban and rural reach, group and target),
 * or the explicit form (--mode with --minutes or --meters; --rural-minutes [--rural-mode] for the rural cells).
 *
 * @example await circleFromOptions({ preset: 'elderly-care-15min' })
 * @example await circleFromOptions({ mode: 'walk', minutes: '15', ruralMode: 'car', ruralMinutes: '90' })
 */
export async function circleFromOptions(o: CircleOptionValues): Promise<{ circle: Circle; standards: Standards }> {
  const standards = await loadStandards(o.config);
  if (o.preset) {
    const extra = (['mode', 'minutes', 'meters', 'ruralMode', 'ruralMinutes', 'group', 'category', 'where'] as const).filter((k) => o[k] !== undefined);
    if (extra.length > 0) throw new Error(`--preset sets the facilities, reaches and group; drop ${extra.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
    const preset = standards.circles.find((c) => c.id === o.preset);
    if (!preset) throw new Error(`--preset: no circle "${o.preset}"; expected one of ${standards.circles.map((c) => c.id).join(', ')}`);
    return { circle: circleOfPreset(preset, standards), standards };
  }
  const m = mode('mode', o.mode);
  const minutes = positive('minutes', o.minutes), meters = positive('meters', o.meters);
  if ((minutes === undefined) === (meters === undefined)) throw new Error('give exactly one of --minutes N or --meters N (or --preset ID)');
  const urban: Reach = minutes !== undefined ? { mode: m, minutes } : { mode: m, meters };
  const ruralMinutes = positive('rural-minutes', o.ruralMinutes);
  if (o.ruralMode !== undefined && ruralMinutes === undefined) throw new Error('--rural-mode goes with --rural-minutes N');
  const rural: Reach = ruralMinutes !== undefined ? { mode: o.ruralMode ? mode('rural-mode', o.ruralMode) : m, minutes: ruralMinutes } : urban;
  if (o.group !== undefined && !(GROUPS as readonly string[]).includes(o.group)) throw new Error(`--group: expected one of ${GROUPS.join(', ')}, found "${o.group}"`);
  const circle = explicitCircle(urban, null, { population: (o.group as PopulationGroup | undefined) ?? 'all', coverageTarget: standards.coverageTarget, unknownClassAs: standards.unknownClassAs });
  return { circle: { ...circle, rural }, standards };
}

/** Whether any reach of the circle travels on roads. */
export function needsRoads(circle: Circle): boolean {
  return [circle.urban, circle.rural].some((r) => r !== null && r.mode !== 'straight');
}

import { ACCESS_MODES, type AccessMode } from '../../../analysis/accessibility/analyze-access.ts';
import { circleOfPreset, explicitCircle, type Circle } from '../../../analysis/circles/circle.ts';
import type { Reach } from '../../../analysis/standards/presets.ts';
import { parseEdits, type ScenarioEdit } from '../scenarios/scenario-edits.ts';
import { AppError } from '../../app/app-error.ts';
import { enumField, idField, numberField, objectBody, onlyFields, stringField, stringListField } from '../../app/body-fields.ts';
import { FACILITY_STATUSES, type FacilityStatus } from '../facilities/facility.table.ts';
import { findPreset, standardSettings } from './preset-catalog.ts';

export const POPULATION_GROUPS = ['all', 'aged60', 'rural'] as const;
export type PopulationGroupName = (typeof POPULATION_GROUPS)[number];

/** Everything a run used, resolved from the request and its preset; stored with the run. */
export interface AnalysisParameters {
  regionId: number;
  scenarioId: number | null;
  /** an unsaved scenario's edits, applied after the saved scenario's (if any) */
  edits: ScenarioEdit[];
  /** the name the page gives an unsaved scenario, for the exports' labels */
  scenarioName: string | null;
  preset: string | null;
  /** the question: services, urban and rural reach, group, target (the engine's one request) */
  circle: Circle;
  statuses: FacilityStatus[];
}

/** A request body, checked, before the region is known. */
export interface AnalysisRequest {
  regionId: number | null;
  parameters: Omit<AnalysisParameters, 'regionId'>;
  /** run as a background job and answer 202 with the job */
  background: boolean;
}

const FIELDS = ['regionId', 'scenarioId', 'edits', 'scenarioName', 'preset', 'categories', 'statuses', 'mode', 'minutes', 'meters', 'population', 'coverageTarget', 'background'];

/**
 * Checks `POST /api/analyses`: a preset (its categories, reach and population group, any of which the
 * request may override) or the explicit form (categories, mode, minutes or meters).
 *
 * @example parseAnalysisRequest({ preset: 'elderly-care-15min' })
 * @example parseAnalysisRequest({ categories: ['kindergarten'], mode: 'walk', minutes: 5 })
 */
export function parseAnalysisRequest(raw: unknown): AnalysisRequest {
  const body = objectBody(raw);
  onlyFields(body, FIELDS);
  const regionId = idField(body, 'regionId') ?? null;
  const scenarioId = idField(body, 'scenarioId') ?? null;
  const presetId = stringField(body, 'preset', { nonEmpty: true, max: 100 });
  const categories = stringListField(body, 'categories');
  const statuses = (stringListField(body, 'statuses') ?? ['existing']) as FacilityStatus[];
  const badStatus = statuses.find((s) => !(FACILITY_STATUSES as readonly string[]).includes(s));
  if (badStatus) throw new AppError('validation_failed', `field 'statuses': expected values among ${FACILITY_STATUSES.join(', ')}, found '${badStatus}'`, { field: 'statuses', expected: FACILITY_STATUSES.join(', '), found: badStatus });
  const mode = enumField(body, 'mode', ACCESS_MODES as readonly AccessMode[]);
  const minutes = numberField(body, 'minutes', { positive: true, max: 24 * 60 });
  const meters = numberField(body, 'meters', { positive: true, max: 500_000 });
  if (minutes !== undefined && meters !== undefined) {
    throw new AppError('validation_failed', "fields 'minutes' and 'meters': give one threshold, found both", { field: 'minutes', expected: 'minutes or meters', found: 'both' });
  }
  const population = enumField(body, 'population', POPULATION_GROUPS);
  const coverageTarget = numberField(body, 'coverageTarget', { min: 0, max: 1 });
  if (body.background !== undefined && typeof body.background !== 'boolean') {
    throw new AppError('validation_failed', `field 'background': expected true or false, found ${JSON.stringify(body.background)}`, { field: 'background', expected: 'true or false', found: JSON.stringify(body.background) });
  }
  const background = body.background === true;
  const edits = body.edits === undefined ? [] : parseEdits(body.edits);
  const scenarioName = stringField(body, 'scenarioName', { nonEmpty: true, max: 200 }) ?? null;
  const settings = standardSettings();
  const threshold = minutes !== undefined ? { minutes } : meters !== undefined ? { meters } : undefined;

  if (presetId !== undefined) {
    const p = findPreset(presetId);
    // a request may override the reach; it then applies to every class the preset assesses
    const override = (r: Reach | null): Reach | null => r && (mode || threshold ? { mode: mode ?? r.mode, ...(threshold ?? (r.minutes !== undefined ? { minutes: r.minutes } : { meters: r.meters })) } : r);
    const base = circleOfPreset(p, settings);
    const circle: Circle = {
      ...base,
      services: categories ? [{ id: 'requested', zh: '所选设施', en: 'requested facilities', categories }] : base.services,
      require: categories ? 'any' : base.require,
      urban: override(base.urban), rural: override(base.rural),
      population: population ?? base.population, coverageTarget: coverageTarget ?? base.coverageTarget,
    };
    return { regionId, background, parameters: { scenarioId, edits, scenarioName, preset: p.id, circle, statuses } };
  }
  const missing = !categories ? 'categories' : !mode ? 'mode' : !threshold ? 'minutes' : undefined;
  if (missing) {
    const expected = missing === 'minutes' ? 'minutes or meters (a positive number)' : missing === 'mode' ? `one of ${ACCESS_MODES.join(', ')}` : 'a non-empty array of facility categories';
    throw new AppError('validation_failed', `field '${missing}' is required without a preset: expected ${expected}, found nothing (or give "preset", e.g. "elderly-care-15min")`, { field: missing, expected, found: 'nothing' });
  }
  const reach: Reach = { mode: mode!, ...threshold! };
  const circle = explicitCircle(reach, categories!, {
    population: population ?? 'all', coverageTarget: coverageTarget ?? settings.coverageTarget, unknownClassAs: settings.unknownClassAs,
    label: { zh: `${categories!.join('、')}`, en: categories!.join(', ') },
  });
  return { regionId, background, parameters: { scenarioId, edits, scenarioName, preset: null, circle, statuses } };
}

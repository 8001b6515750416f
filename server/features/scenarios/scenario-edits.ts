import { foundValue } from '../../../analysis/errors/found-value.ts';
import type { ScenarioEdit as EngineEdit } from '../../../analysis/scenario/scenario-engine.ts';
import { AppError } from '../../app/app-error.ts';

/** An edit as stored: the what-if engine's edits; ids of existing facilities are their database ids. */
export type ScenarioEdit = EngineEdit;

const OPS = ['add', 'remove', 'move'];

function bad(i: number, field: string, expected: string, value: unknown): never {
  throw new AppError('invalid_edit', `edits[${i}]: field '${field}' must be ${expected}, found ${foundValue(value)}`, { field: `edits[${i}].${field}`, expected, found: foundValue(value) });
}

/**
 * Checks a list of edits: `{op:'add', id, lon, lat, category, name?, capacity?}`, `{op:'remove', id}`,
 * `{op:'move', id, lon, lat}`; the error names the edit and the field.
 *
 * @example parseEdits([{ op: 'add', id: 'new-1', lon: 106.44, lat: 30.54, category: 'elderly_station' }])
 */
export function parseEdits(raw: unknown): ScenarioEdit[] {
  if (!Array.isArray(raw)) throw new AppError('invalid_edit', `field 'edits': expected an array of edits, found ${foundValue(raw)}`, { field: 'edits', expected: 'array' });
  if (raw.length > 10_000) throw new AppError('invalid_edit', `field 'edits': at most 10,000 edits, found ${raw.length}`, { field: 'edits' });
  return raw.map((e: unknown, i): ScenarioEdit => {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) bad(i, 'op', 'an object with op add, remove or move', e);
    const o = e as Record<string, unknown>;
    if (!OPS.includes(o.op as string)) bad(i, 'op', 'add, remove or move', o.op);
    if (!((typeof o.id === 'string' && o.id !== '') || (typeof o.id === 'number' && Number.isFinite(o.id)))) bad(i, 'id', 'a facility id (string or number)', o.id);
    const id = o.id as string | number;
    if (o.op === 'remove') return { op: 'remove', id };
    if (typeof o.lon !== 'number' || !(Math.abs(o.lon) <= 180)) bad(i, 'lon', 'a number in [-180, 180]', o.lon);
    if (typeof o.lat !== 'number' || !(Math.abs(o.lat) <= 90)) bad(i, 'lat', 'a number in [-90, 90]', o.lat);
    if (o.op === 'move') return { op: 'move', id, lon: o.lon as number, lat: o.lat as number };
    if (typeof o.category !== 'string' || o.category === '') bad(i, 'category', 'a facility category, e.g. elderly_station', o.category);
    if (o.name !== undefined && typeof o.name !== 'string') bad(i, 'name', 'a string', o.name);
    if (o.capacity !== undefined && (typeof o.capacity !== 'number' || !(o.capacity >= 0))) bad(i, 'capacity', 'a number >= 0', o.capacity);
    return { op: 'add', id, lon: o.lon as number, lat: o.lat as number, category: o.category as string, name: o.name as string | undefined, capacity: o.capacity as number | undefined };
  });
}

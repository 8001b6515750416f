import type { ScenarioEdit } from '../source/api-types.ts';

type AddEdit = Extract<ScenarioEdit, { op: 'add' }>;

/** A planned facility added to the scenario. */
export function addFacility(edits: ScenarioEdit[], f: Omit<AddEdit, 'op'>): ScenarioEdit[] {
  return [...edits, { op: 'add', ...f }];
}

/**
 * Moves a facility: a planned one moves its own `add` edit, an existing one gets (or updates) a `move` edit,
 * so the list stays one edit per facility however often it is dragged.
 *
 * @example moveFacility([], 12, 106.44, 30.54) // [{ op: 'move', id: 12, lon: 106.44, lat: 30.54 }]
 */
export function moveFacility(edits: ScenarioEdit[], id: string | number, lon: number, lat: number): ScenarioEdit[] {
  const key = String(id);
  const k = edits.findIndex((e) => String(e.id) === key && (e.op === 'add' || e.op === 'move'));
  if (k < 0) return [...edits, { op: 'move', id, lon, lat }];
  return edits.map((e, i) => (i === k ? { ...e, lon, lat } as ScenarioEdit : e));
}

/**
 * Removes a facility: a planned one simply leaves the list, an existing one gets a `remove` edit (replacing
 * any move of it).
 *
 * @example removeFacility([{ op: 'add', id: 'p1', lon: 0, lat: 0, category: 'meal_point' }], 'p1') // []
 */
export function removeFacility(edits: ScenarioEdit[], id: string | number): ScenarioEdit[] {
  const key = String(id);
  const added = edits.some((e) => e.op === 'add' && String(e.id) === key);
  const rest = edits.filter((e) => String(e.id) !== key);
  return added ? rest : [...rest, { op: 'remove', id }];
}

/** Undoes one edit by its position (the edits list's undo buttons). */
export function dropEdit(edits: ScenarioEdit[], index: number): ScenarioEdit[] {
  return edits.filter((_, i) => i !== index);
}

/** Whether an id is one of the scenario's planned (added) facilities. */
export function isPlanned(edits: ScenarioEdit[], id: string | number): boolean {
  return edits.some((e) => e.op === 'add' && String(e.id) === String(id));
}

import { createFacilitySet, type FacilityInput, type FacilitySet } from '../facilities/facility-set.ts';
import { InputError } from '../errors/input-error.ts';
import type { ScenarioEdit } from './scenario-engine.ts';

/**
 * The facility set with edits applied in order: removed dropped, moved in place, added appended (the order
 * the what-if engine numbers its facilities in). An id that does not exist, or is added twice, is an error
 * naming the edit.
 *
 * @example const edited = applyEdits(set, [{ op: 'remove', id: '12' }, { op: 'add', id: 'n1', lon: 106.4, lat: 30.5, category: 'elderly_station' }]);
 */
export function applyEdits(set: FacilitySet, edits: ScenarioEdit[]): FacilitySet {
  const items: (FacilityInput & { id: string })[] = [];
  for (let i = 0; i < set.count; i++) {
    items.push({ id: set.id[i], lon: set.lon[i], lat: set.lat[i], name: set.name[i], category: set.category[i], capacity: Number.isNaN(set.capacity[i]) ? undefined : set.capacity[i], properties: set.properties[i] });
  }
  const at = new Map(items.map((f, k) => [f.id, k]));
  const removed = new Set<number>();
  edits.forEach((e, i) => {
    const id = String(e.id);
    const k = at.get(id);
    if (e.op === 'add') {
      if (k !== undefined && !removed.has(k)) throw new InputError(`edits[${i}]: add of id '${id}', which is already a facility; give new facilities new ids`, `edits[${i}].id`);
      at.set(id, items.length);
      items.push({ id, lon: e.lon, lat: e.lat, name: e.name ?? '', category: e.category ?? '', capacity: e.capacity, properties: e.properties ?? {} });
      return;
    }
    if (k === undefined || removed.has(k)) throw new InputError(`edits[${i}]: ${e.op} of facility '${id}', which is not among the facilities of the run`, `edits[${i}].id`);
    if (e.op === 'remove') removed.add(k);
    else items[k] = { ...items[k], lon: e.lon, lat: e.lat };
  });
  return createFacilitySet(items.filter((_, k) => !removed.has(k)), 'scenario');
}

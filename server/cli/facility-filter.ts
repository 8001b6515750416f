import { filterFacilities, type FacilitySet } from '../../analysis/facilities/facility-set.ts';

const OPS = ['>=', '<=', '!=', '>', '<', '='] as const;

/**
 * Keeps facilities matching `field OP value` (e.g. `healthcare>0`, `category=kindergarten`), comparing
 * numerically when both sides are numbers.
 *
 * @example applyFacilityFilter(set, 'healthcare>0')
 */
export function applyFacilityFilter(set: FacilitySet, expr: string): FacilitySet {
  const op = OPS.find((o) => expr.includes(o));
  if (!op) throw new Error(`--where "${expr}": expected FIELD OP VALUE with OP one of ${OPS.join(' ')}, e.g. healthcare>0`);
  const [field, raw] = [expr.slice(0, expr.indexOf(op)).trim(), expr.slice(expr.indexOf(op) + op.length).trim()];
  if (!field) throw new Error(`--where "${expr}": the field name is missing`);
  const valueOf = (i: number): unknown =>
    field === 'category' ? set.category[i] : field === 'name' ? set.name[i] : field === 'id' ? set.id[i] : set.properties[i][field];
  if (set.count > 0 && !Array.from({ length: set.count }, (_, i) => valueOf(i)).some((v) => v !== undefined)) {
    throw new Error(`--where "${expr}": no facility has a field "${field}"; fields present: ${['id', 'name', 'category', ...Object.keys(set.properties[0] ?? {})].join(', ')}`);
  }
  const num = Number(raw);
  return filterFacilities(set, (i) => {
    const v = valueOf(i);
    const numeric = raw !== '' && Number.isFinite(num) && v !== '' && v !== null && Number.isFinite(Number(v));
    const a: number | string = numeric ? Number(v) : String(v ?? '');
    const b: number | string = numeric ? num : raw;
    switch (op) {
      case '>': return a > b;
      case '>=': return a >= b;
      case '<': return a < b;
      case '<=': return a <= b;
      case '=': return a === b;
      default: return a !== b;
    }
  });
}

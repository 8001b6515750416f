import { pointInPolygon } from '../geo/point-in-polygon.ts';
import type { AdminUnits } from '../grid/assign-units.ts';
import type { FacilitySet } from '../facilities/facility-set.ts';

/**
 * The unit each facility belongs to: its `township_code` property when that names a unit, else the first unit
 * whose polygon contains it, else -1. The code wins because a clinic on a border serves the township that
 * runs it.
 *
 * @example const unitOf = facilityUnits(facilities, townships); // Int32Array, one per facility
 */
export function facilityUnits(facilities: FacilitySet, units: AdminUnits, codeField = 'township_code'): Int32Array {
  const byCode = new Map<string, number>();
  units.codes.forEach((code, u) => { if (!byCode.has(code)) byCode.set(code, u); });
  const out = new Int32Array(facilities.count).fill(-1);
  for (let i = 0; i < facilities.count; i++) {
    const code = facilities.properties[i][codeField];
    if (code !== undefined && code !== null && byCode.has(String(code))) {
      out[i] = byCode.get(String(code))!;
      continue;
    }
    const lon = facilities.lon[i], lat = facilities.lat[i];
    for (let u = 0; u < units.features.length; u++) {
      if (pointInPolygon(lon, lat, units.features[u].geometry)) { out[i] = u; break; }
    }
  }
  return out;
}

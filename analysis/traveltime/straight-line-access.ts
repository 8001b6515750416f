import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { haversineMeters } from '../geo/local-projection.ts';
import type { OriginCosts } from './network-access.ts';

/**
 * Straight-line (great-circle) metres from each origin to its nearest facility, via a kd-tree; Infinity and -1
 * beyond `maxMeters`. Same outputs as the network engine, so coverage and gaps do not care which ran.
 *
 * @example
 * const { cost, facility } = straightLineAccess(fac.lon, fac.lat, grid.originLon, grid.originLat, 1000);
 */
export function straightLineAccess(
  facilityLon: ArrayLike<number>, facilityLat: ArrayLike<number>,
  originLon: ArrayLike<number>, originLat: ArrayLike<number>,
  maxMeters: number,
): OriginCosts {
  const nf = facilityLon.length, n = originLon.length;
  const cost = new Float64Array(n).fill(Infinity);
  const facility = new Int32Array(n).fill(-1);
  if (nf === 0) return { cost, facility };
  const index = new KDBush(nf);
  for (let i = 0; i < nf; i++) index.add(facilityLon[i], facilityLat[i]);
  index.finish();
  // geokdbush's earth radius is 6371 km, ours 6371.0088: widen its limit a hair, then judge with ours
  const maxKm = Number.isFinite(maxMeters) ? (maxMeters / 1000) * 1.00001 : Infinity;
  for (let i = 0; i < n; i++) {
    const hit = around(index, originLon[i], originLat[i], 1, maxKm);
    if (hit.length === 0) continue;
    const f = hit[0];
    const d = haversineMeters(originLon[i], originLat[i], facilityLon[f], facilityLat[f]);
    if (d <= maxMeters) {
      cost[i] = d;
      facility[i] = f;
    }
  }
  return { cost, facility };
}

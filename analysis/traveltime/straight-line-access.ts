import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { createLocalProjection, haversineMeters } from '../geo/local-projection.ts';
import type { OriginCosts } from './network-access.ts';

/**
 * Straight-line (great-circle) metres from each origin to its nearest facility; Infinity and -1 beyond
 * `maxMeters`. Same outputs as the network engine, so coverage and gaps do not care which ran.
 * With a limit it searches outward from each facility (few facilities, many cells); without one it asks a
 * kd-tree of facilities for each origin's nearest.
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
  if (nf === 0 || n === 0) return { cost, facility };
  if (Number.isFinite(maxMeters)) return withinLimit(facilityLon, facilityLat, originLon, originLat, maxMeters, cost, facility);
  const index = new KDBush(nf);
  for (let i = 0; i < nf; i++) index.add(facilityLon[i], facilityLat[i]);
  index.finish();
  for (let i = 0; i < n; i++) {
    const f = around(index, originLon[i], originLat[i], 1)[0];
    cost[i] = haversineMeters(originLon[i], originLat[i], facilityLon[f], facilityLat[f]);
    facility[i] = f;
  }
  return { cost, facility };
}

function withinLimit(
  facilityLon: ArrayLike<number>, facilityLat: ArrayLike<number>,
  originLon: ArrayLike<number>, originLat: ArrayLike<number>,
  maxMeters: number, cost: Float64Array, facility: Int32Array,
): OriginCosts {
  const n = originLon.length;
  let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
  for (let i = 0; i < n; i++) {
    if (originLat[i] < minLat) minLat = originLat[i];
    if (originLat[i] > maxLat) maxLat = originLat[i];
    if (originLon[i] < minLon) minLon = originLon[i];
    if (originLon[i] > maxLon) maxLon = originLon[i];
  }
  const proj = createLocalProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);
  // the flat projection shrinks east-west distances away from its centre latitude: widen the search by the
  // worst ratio over the area, then judge every candidate by haversine
  const rad = Math.PI / 180;
  const edgeLat = Math.max(Math.abs(minLat), Math.abs(maxLat)) + maxMeters / proj.ky;
  const widen = Math.max(1, Math.cos(proj.lat0 * rad) / Math.cos(Math.min(89, edgeLat) * rad)) * 1.0001;
  const index = new KDBush(n);
  for (let i = 0; i < n; i++) index.add((originLon[i] - proj.lon0) * proj.kx, (originLat[i] - proj.lat0) * proj.ky);
  index.finish();
  const r = maxMeters * widen;
  for (let f = 0; f < facilityLon.length; f++) {
    const flon = facilityLon[f], flat = facilityLat[f];
    const x = (flon - proj.lon0) * proj.kx, y = (flat - proj.lat0) * proj.ky;
    const near = index.within(x, y, r);
    for (let k = 0; k < near.length; k++) {
      const i = near[k];
      const d = haversineMeters(originLon[i], originLat[i], flon, flat);
      // strict <, facilities in order: ties go to the lower index, as a brute-force scan would
      if (d <= maxMeters && d < cost[i]) {
        cost[i] = d;
        facility[i] = f;
      }
    }
  }
  return { cost, facility };
}

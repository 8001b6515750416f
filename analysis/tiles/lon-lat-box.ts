import { EARTH_RADIUS_M } from '../geo/local-projection.ts';

/** [minLon, minLat, maxLon, maxLat] in degrees. */
export type LonLatBox = readonly [number, number, number, number];

const RAD = Math.PI / 180;
// a hair over the exact degrees: the box must hold everything within the distance, never a point less
const SAFETY = 1.01;

/**
 * The box grown by `meters` on every side, wide enough for both metrics the engine measures in: great-circle
 * (segment lengths, straight lines) and the equirectangular projection centred at `projectionLat` (snapping),
 * whichever stretches a degree of longitude less.
 *
 * @example growBox([106.4, 30.5, 106.5, 30.6], 2000, network.proj.lat0)
 */
export function growBox(box: LonLatBox, meters: number, projectionLat?: number): LonLatBox {
  if (!(meters >= 0)) throw new Error(`growBox: expected a distance in metres >= 0, found ${meters}`);
  const perDegree = EARTH_RADIUS_M * RAD;
  const dLat = (meters / perDegree) * SAFETY;
  const farLat = Math.min(89, Math.max(Math.abs(box[1] - dLat), Math.abs(box[3] + dLat), Math.abs(projectionLat ?? 0)));
  const dLon = (meters / (perDegree * Math.cos(farLat * RAD))) * SAFETY;
  return [box[0] - dLon, box[1] - dLat, box[2] + dLon, box[3] + dLat];
}

/** Whether a point lies in the box, edges included. */
export function inBox(box: LonLatBox, lon: number, lat: number): boolean {
  return lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];
}

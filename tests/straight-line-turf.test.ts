// Straight-line mode against Turf brute force: turf.distance from every origin to every facility.
import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { straightLineAccess } from '../analysis/traveltime/straight-line-access.ts';
import { seededRandom } from './support/seeded-random.ts';

describe('straight-line nearest facility', () => {
  const rand = seededRandom(7);
  const nf = 40, n = 2000;
  const fl = Float64Array.from({ length: nf }, () => 106.2 + rand() * 0.5);
  const fa = Float64Array.from({ length: nf }, () => 30.3 + rand() * 0.4);
  const ol = Float64Array.from({ length: n }, () => 106.2 + rand() * 0.5);
  const oa = Float64Array.from({ length: n }, () => 30.3 + rand() * 0.4);

  it.each([Infinity, 3000])('equals the brute-force minimum of turf.distance (limit %s m)', (limit) => {
    const r = straightLineAccess(fl, fa, ol, oa, limit);
    for (let i = 0; i < n; i++) {
      let best = Infinity, bestF = -1;
      for (let f = 0; f < nf; f++) {
        const d = turf.distance([ol[i], oa[i]], [fl[f], fa[f]], { units: 'meters' });
        if (d < best) { best = d; bestF = f; }
      }
      if (best > limit) {
        expect(r.cost[i]).toBe(Infinity);
        expect(r.facility[i]).toBe(-1);
      } else {
        expect(r.cost[i]).toBeCloseTo(best, 3);
        expect(r.facility[i]).toBe(bestF);
      }
    }
  });
});

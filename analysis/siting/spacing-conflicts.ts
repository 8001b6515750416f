import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { haversineMeters } from '../geo/local-projection.ts';
import type { CandidateSites } from './candidate-sites.ts';

/**
 * Pairs of candidates closer than `meters` (great circle), lower index first, each pair once: what an exact
 * model forbids building together so its optimum keeps the greedy's spacing.
 *
 * @example spacingConflicts(candidates, 500) // [[0, 3], [2, 7]]
 */
export function spacingConflicts(candidates: Pick<CandidateSites, 'lon' | 'lat'>, meters: number): Array<[number, number]> {
  const n = candidates.lon.length;
  if (!(meters > 0) || n < 2) return [];
  const index = new KDBush(n);
  for (let j = 0; j < n; j++) index.add(candidates.lon[j], candidates.lat[j]);
  index.finish();
  const pairs: Array<[number, number]> = [];
  for (let j = 0; j < n; j++) {
    // geokdbush counts kilometres and keeps its bound; the greedy's own distance and strict '<' decide
    for (const q of around(index, candidates.lon[j], candidates.lat[j], Infinity, meters / 1000 + 1e-6)) {
      if (q > j && haversineMeters(candidates.lon[j], candidates.lat[j], candidates.lon[q], candidates.lat[q]) < meters) pairs.push([j, q]);
    }
  }
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

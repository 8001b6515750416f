import { pointInPolygon } from '../../../analysis/geo/point-in-polygon.ts';
import type { SuggestedSite, SuggestedSitesView, Townships } from './api-types.ts';

/**
 * The service's suggested sites in their greedy order, numbered from 1, each with the township it lies in.
 *
 * @example rankSites(view, townships)[0] // { rank: 1, lon, lat, gain: { population: 812, aged60: 240 }, township: { code, name } }
 */
export function rankSites(view: SuggestedSitesView, townships: Townships): SuggestedSite[] {
  return view.sites.map((s, i) => {
    const t = townships.features.find((f) => pointInPolygon(s.lon, s.lat, f.geometry));
    return {
      rank: i + 1, lon: s.lon, lat: s.lat, gain: { population: s.gain, aged60: s.gainAged60 },
      township: t ? { code: t.properties.code, name: t.properties.name } : null,
    };
  });
}

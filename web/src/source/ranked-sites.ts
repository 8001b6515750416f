import { pointInPolygon } from '../../../analysis/geo/point-in-polygon.ts';
import type { CapacitySitesView, SiteCurve, SuggestedSite, SuggestedSitesView, TargetSitesView, Townships } from './api-types.ts';

// the township a site stands in, as the table names it; null outside every township
function townshipOf(lon: number, lat: number, townships: Townships): SuggestedSite['township'] {
  const t = townships.features.find((f) => pointInPolygon(lon, lat, f.geometry));
  return t ? { code: t.properties.code, name: t.properties.name } : null;
}

/**
 * The service's suggested sites in their greedy order, numbered from 1, each with the township it lies in.
 *
 * @example rankSites(view, townships)[0] // { rank: 1, lon, lat, gain: { population: 812, aged60: 240 }, township: { code, name } }
 */
export function rankSites(view: SuggestedSitesView, townships: Townships): SuggestedSite[] {
  return view.sites.map((s, i) => ({
    rank: i + 1, lon: s.lon, lat: s.lat, gain: { population: s.gain, aged60: s.gainAged60 }, parcel: s.parcel ?? null, township: townshipOf(s.lon, s.lat, townships),
  }));
}

/**
 * The coverage curve of a suggestion in the circle's group: 60+ when the objective counts only them, else all
 * residents; k = 0 is the baseline. The same `curve` the service writes to curve.csv and the workbook.
 *
 * @example siteCurve(view).points // [{ k: 0, share: 0.31 }, { k: 1, share: 0.34 }, …]
 */
export function siteCurve(view: SuggestedSitesView): SiteCurve {
  const group = view.weight.population === 0 && view.weight.aged60 > 0 ? 'aged60' : 'population';
  const total = group === 'aged60' ? view.totalAged60 : view.totalPopulation;
  const share = (covered: number) => (total > 0 ? covered / total : 0);
  const base = group === 'aged60' ? view.baselineCoveredAged60 : view.baselineCovered;
  return {
    group,
    points: [{ k: 0, share: share(base) }, ...view.curve.map((c) => ({ k: c.k, share: share(group === 'aged60' ? c.coveredAged60 : c.covered) }))],
  };
}

/**
 * Capacity sites as the page lists them: each new site's gain is the group it serves once built (its places
 * taken), no 60+ split (the group is the objective), with its township.
 *
 * @example rankCapacitySites(view, townships)[0].gain.population // 60
 */
export function rankCapacitySites(view: CapacitySitesView, townships: Townships): SuggestedSite[] {
  return view.sites.map((s, i) => ({ rank: i + 1, lon: s.lon, lat: s.lat, gain: { population: s.served, aged60: null }, parcel: null, township: townshipOf(s.lon, s.lat, townships) }));
}

/**
 * Goal target's sites, every township's in turn, numbered through, each with the 60+ and residents it adds.
 *
 * @example rankTargetSites(view, townships).length // the sites all the townships need together
 */
export function rankTargetSites(view: TargetSitesView, townships: Townships): SuggestedSite[] {
  return view.townships.flatMap((x) => x.sites).map((s, i) => ({
    rank: i + 1, lon: s.lon, lat: s.lat, gain: { population: s.gain, aged60: s.gainAged60 }, parcel: null, township: townshipOf(s.lon, s.lat, townships),
  }));
}

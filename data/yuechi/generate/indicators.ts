/**
 * The plan's supply indicators per township, counted from the facilities inside each township (no travel
 * times), written to metadata.json so anyone can see which shortfalls the generated data holds by design.
 */
import type { Feature, Point } from 'geojson';
import type { Township } from './townships.ts';
import type { TownshipStats } from './facility-plan.ts';

/** Targets from docs/standards.md (Yuechi 14th Five-Year plan and GB 50437-2018). */
export const TARGETS = {
  physicians_per_1000: 2.7,
  nurses_per_1000: 3.2,
  childcare_slots_per_1000: 3,
  elderly_beds_per_1000_aged60: 40,
  nursing_bed_share: 0.55,
  sports_m2_per_resident: 2,
  community_m2_per_100_households: 30,
  county_elderly_beds: 5000,
  county_subcentres_second_level: 5,
};

const HEALTH = ['county_hospital', 'health_center', 'community_health_center', 'community_health_station', 'village_clinic'];
const ELDERLY_BEDS = ['nursing_home', 'elderly_complex', 'elderly_station', 'day_care_center', 'mutual_aid_home'];
const INSTITUTIONAL = ['nursing_home', 'elderly_complex'];

interface Sums {
  physicians: number; nurses: number; slots: number; affordable: number; beds: number; instBeds: number; nursingBeds: number;
  sports: number; community: number; publicKg: number; complexes: number;
}

const r2 = (v: number) => Math.round(v * 100) / 100;

function sums(features: Feature<Point>[], code: string | null): Sums {
  const s: Sums = { physicians: 0, nurses: 0, slots: 0, affordable: 0, beds: 0, instBeds: 0, nursingBeds: 0, sports: 0, community: 0, publicKg: 0, complexes: 0 };
  for (const f of features) {
    const p = f.properties as Record<string, unknown>;
    if (code !== null && p.township_code !== code) continue;
    const n = (k: string) => (typeof p[k] === 'number' ? (p[k] as number) : 0);
    const c = p.category as string;
    if (HEALTH.includes(c)) { s.physicians += n('physicians'); s.nurses += n('nurses'); }
    if (c === 'childcare') { s.slots += n('slots'); if (p.affordable === true) s.affordable++; }
    if (ELDERLY_BEDS.includes(c)) s.beds += n('beds');
    if (INSTITUTIONAL.includes(c)) { s.instBeds += n('beds'); s.nursingBeds += n('nursing_beds'); }
    if (c === 'sports_ground') s.sports += n('area_m2');
    if (c === 'community_service_center' || c === 'village_service_station') s.community += n('floor_area_m2');
    if (c === 'kindergarten' && p.ownership === 'public') s.publicKg++;
    if (c === 'elderly_complex') s.complexes++;
  }
  return s;
}

/**
 * Indicator values and failed rules per township, and county totals.
 *
 * @example const report = designIndicators(features, zones, stats);
 */
export function designIndicators(features: Feature<Point>[], zones: Township[], stats: TownshipStats[]) {
  const T = TARGETS;
  const townships = zones.map((z, i) => {
    const st = stats[i], s = sums(features, z.code);
    const v = {
      physicians_per_1000: r2((s.physicians / st.population) * 1000),
      nurses_per_1000: r2((s.nurses / st.population) * 1000),
      childcare_slots_per_1000: r2((s.slots / st.population) * 1000),
      elderly_beds_per_1000_aged60: r2((s.beds / st.aged60) * 1000),
      nursing_bed_share: s.instBeds > 0 ? r2(s.nursingBeds / s.instBeds) : 0,
      sports_m2_per_resident: r2(s.sports / st.population),
      community_m2_per_100_households: r2((s.community / st.households) * 100),
      public_kindergartens: s.publicKg,
      elderly_complexes: s.complexes,
      affordable_childcare: s.affordable,
    };
    const fails: string[] = [];
    if (v.physicians_per_1000 < T.physicians_per_1000) fails.push('physicians_per_1000');
    if (v.nurses_per_1000 < T.nurses_per_1000) fails.push('nurses_per_1000');
    if (v.childcare_slots_per_1000 < T.childcare_slots_per_1000) fails.push('childcare_slots_per_1000');
    if (v.elderly_beds_per_1000_aged60 < T.elderly_beds_per_1000_aged60) fails.push('elderly_beds_per_1000_aged60');
    if (v.nursing_bed_share < T.nursing_bed_share) fails.push('nursing_bed_share');
    if (v.sports_m2_per_resident < T.sports_m2_per_resident) fails.push('sports_m2_per_resident');
    if (v.community_m2_per_100_households < T.community_m2_per_100_households) fails.push('community_m2_per_100_households');
    if (v.public_kindergartens < 1) fails.push('public_kindergarten');
    if (z.urban && v.elderly_complexes < 1) fails.push('elderly_complex_in_street');
    return { code: z.code, name: z.name, ...v, fails };
  });
  const total = stats.reduce((a, b) => ({ population: a.population + b.population, aged60: a.aged60 + b.aged60, urban: a.urban + b.urban, households: a.households + b.households }));
  const s = sums(features, null);
  const streets = zones.map((z, i) => ({ z, i })).filter(({ z }) => z.urban);
  const streetsWithAffordable = streets.filter(({ z }) => sums(features, z.code).affordable > 0).length;
  const subcentres = features.filter((f) => f.properties?.subcentre === true);
  const county = {
    physicians_per_1000: r2((s.physicians / total.population) * 1000),
    nurses_per_1000: r2((s.nurses / total.population) * 1000),
    childcare_slots: s.slots,
    childcare_slots_per_1000: r2((s.slots / total.population) * 1000),
    elderly_beds: s.beds,
    elderly_beds_per_1000_aged60: r2((s.beds / total.aged60) * 1000),
    nursing_bed_share: r2(s.nursingBeds / s.instBeds),
    sports_m2_per_resident: r2(s.sports / total.population),
    community_m2_per_100_households: r2((s.community / total.households) * 100),
    streets_with_affordable_childcare_share: r2(streetsWithAffordable / streets.length),
    subcentres_designated: subcentres.length,
    subcentres_second_level: subcentres.filter((f) => f.properties?.grade === '二级').length,
  };
  return {
    note: 'supply inside each township boundary, no travel times; the product\'s accessibility results will differ',
    targets: T,
    county,
    townships,
  };
}

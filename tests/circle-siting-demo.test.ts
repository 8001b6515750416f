// Suggested sites on the Yuechi demo, 15-minute elderly-care circle, k = 3 (issue 13, goal a): the objective is
// the circle's group (60+), the three sites stand at least the spacing apart (measured with Turf, not our
// haversine), and what they add is what a full run with them built gives.
import { booleanPointInPolygon, distance, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE_SPACING, siteEffects, suggestCircleSites } from '../analysis/circles/circle-siting.ts';
import { createCircleSession } from '../analysis/circles/circle-session.ts';
import { runCircle } from '../analysis/circles/run-circle.ts';
import { createFacilitySet } from '../analysis/facilities/facility-set.ts';
import { COVERED } from '../analysis/circles/circle.ts';
import { demoCircle } from './support/demo-circle.ts';

describe('suggested sites, Yuechi demo, elderly-care-15min, k = 3', async () => {
  const { demo, circle, inputs, base } = await demoCircle('elderly-care-15min');
  const r = suggestCircleSites(inputs, { result: base, k: 3 });

  it('counts residents aged 60+ only, and ranks by them', () => {
    expect(r.weight).toEqual({ population: 0, aged60: 1 });
    expect(r.sites).toHaveLength(3);
    for (const s of r.sites) expect(s.score).toBeCloseTo(s.gainAged60, 9);
    expect(r.sites[0].gainAged60).toBeGreaterThanOrEqual(r.sites[1].gainAged60);
  });

  it('puts the three sites at least the spacing apart', () => {
    expect(r.spacingMeters).toBe(DEFAULT_SITE_SPACING);
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < 3; j++) {
        const km = distance(point([r.sites[i].lon, r.sites[i].lat]), point([r.sites[j].lon, r.sites[j].lat]), { units: 'kilometers' });
        expect(km * 1000, `sites ${i} and ${j}`).toBeGreaterThanOrEqual(DEFAULT_SITE_SPACING * 0.999);
      }
    }
  });

  it('adds the 60+ a full run with the three sites built covers', () => {
    const added = createFacilitySet([
      ...Array.from({ length: demo.facilities.count }, (_, i) => ({ id: demo.facilities.id[i], lon: demo.facilities.lon[i], lat: demo.facilities.lat[i], category: demo.facilities.category[i] })),
      ...r.sites.map((s, i) => ({ id: `new-${i}`, lon: s.lon, lat: s.lat, category: 'elderly_station' })),
    ]);
    const after = runCircle({ ...inputs, facilities: added }, circle);
    let gained60 = 0;
    for (let i = 0; i < demo.grid.count; i++) if (after.status[i] === COVERED && base.status[i] !== COVERED) gained60 += demo.grid.aged60[i];
    const claimed = r.sites.reduce((a, s) => a + s.gainAged60, 0);
    // within 1 %: a site's cost is the full run's, but ties at the threshold may fall either way
    expect(Math.abs(gained60 - claimed) / claimed).toBeLessThan(0.01);
  });

  it('says where each site stands (Turf point-in-polygon agrees) and the county total once it is built', () => {
    const effects = siteEffects(createCircleSession(inputs, circle), demo.grid, r.sites);
    r.sites.forEach((s, i) => {
      const holder = demo.units.features.findIndex((f) => booleanPointInPolygon(point([s.lon, s.lat]), f as never));
      expect(effects[i].township, `site ${i}`).toBe(holder >= 0 ? demo.units.names[holder] : null);
    });
    // the total after each site: the base's covered 60+ plus the gains so far (within 1 %, ties at the threshold)
    let expected = base.summary.groupCount!.covered;
    r.sites.forEach((s, i) => {
      expected += s.gainAged60;
      expect(Math.abs(effects[i].groupCoveredAfter - expected) / expected, `site ${i}`).toBeLessThan(0.01);
    });
  });
});


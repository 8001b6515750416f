// Suggested sites on the Yuechi demo's buildable parcels, 15-minute elderly-care circle (issue 13): candidates are
// lattice points on the generated parcels, as the service draws them for candidates 'buildable'; every site must
// stand in a parcel and the sites at least the spacing apart, both measured with Turf, not our own geometry.
import { booleanPointInPolygon, distance, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE_SPACING, siteEffects, suggestCircleSites } from '../analysis/circles/circle-siting.ts';
import { createCircleSession } from '../analysis/circles/circle-session.ts';
import { candidatesFromPolygons } from '../analysis/siting/candidate-sites.ts';
import { MAX_BUILDABLE_CANDIDATES } from '../server/features/sites/site.service.ts';
import { demoCircle } from './support/demo-circle.ts';

describe('suggested sites on the demo buildable parcels, elderly-care-15min', async () => {
  const { demo, circle, inputs, base } = await demoCircle('elderly-care-15min');
  const parcels = demo.buildable ?? [];
  const candidates = candidatesFromPolygons(demo.grid, parcels.map((f) => f.geometry), { maxCandidates: MAX_BUILDABLE_CANDIDATES });

  it('reads the generated parcels, and draws candidates in most of them at the grid spacing', () => {
    expect(parcels.length).toBeGreaterThanOrEqual(200);
    expect(candidates.spacingMeters).toBe(demo.grid.cellSize);
    const holding = new Set<number>();
    for (let j = 0; j < candidates.lon.length; j++) {
      const inside = parcels.findIndex((f) => booleanPointInPolygon([candidates.lon[j], candidates.lat[j]], f));
      expect(inside, `candidate ${j}`).toBeGreaterThanOrEqual(0);
      holding.add(inside);
    }
    expect(holding.size / parcels.length).toBeGreaterThan(0.9);
  });

  for (const k of [3, 10]) {
    it(`puts k = ${k} sites on parcels, ${DEFAULT_SITE_SPACING} m apart, counting residents aged 60+ only`, () => {
      const t0 = performance.now();
      const r = suggestCircleSites(inputs, { result: base, k, candidates });
      const ms = performance.now() - t0;
      expect(r.weight).toEqual({ population: 0, aged60: 1 });
      expect(r.sites).toHaveLength(k);
      for (const s of r.sites) expect(s.score).toBeCloseTo(s.gainAged60, 9);
      r.sites.forEach((s, i) => {
        const holders = parcels.filter((f) => booleanPointInPolygon([s.lon, s.lat], f));
        expect(holders, `site ${i} at ${s.lon}, ${s.lat}`).toHaveLength(1);
        for (let j = i + 1; j < k; j++) {
          const m = distance(point([s.lon, s.lat]), point([r.sites[j].lon, r.sites[j].lat]), { units: 'kilometers' }) * 1000;
          expect(m, `sites ${i} and ${j}`).toBeGreaterThanOrEqual(DEFAULT_SITE_SPACING * 0.999);
        }
      });
      const effects = siteEffects(createCircleSession(inputs, circle), demo.grid, r.sites);
      const gained = r.sites.reduce((a, s) => a + s.gainAged60, 0);
      // the 60+ covered once all are built is the base's plus the gains (within 1 %: ties at the threshold)
      const after = effects[k - 1].groupCoveredAfter - base.summary.groupCount!.covered;
      expect(Math.abs(after - gained) / gained).toBeLessThan(0.01);
      console.log(`k=${k}: ${gained} aged 60+ newly covered (${after} by the warm session), ${ms.toFixed(0)} ms; ` + r.sites.map((s, i) => `${parcels.find((f) => booleanPointInPolygon([s.lon, s.lat], f))!.properties!.name} (${effects[i].township}, +${s.gainAged60})`).join('; '));
    }, 120_000);
  }
});

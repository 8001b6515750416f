import { expect, it } from 'vitest';
import GJV from 'geojson-validation';
import * as turf from '@turf/turf';
import type { Harness } from './service-harness.ts';

/** Layers the map draws: roads, population grid, indicators, isochrones and catchments of a run (fixture region). */
export function layersSuite(h: () => Harness): void {
  it('serves the roads as GeoJSON lines with their tags', async () => {
    const fc = await (await h().api(`/regions/${h().regionId}/roads`)).json();
    // the fixture draws streets every 0.004°: 6 east-west (30.530…30.550) and 11 north-south (106.420…106.460)
    expect(fc.features).toHaveLength(17);
    expect(fc.features.filter((f: { properties: { highway: string } }) => f.properties.highway === 'primary')).toHaveLength(1);
    expect(GJV.valid(fc, true)).toEqual([]);
  });

  it('serves the population grid as columns holding every resident', async () => {
    const g = await (await h().api(`/regions/${h().regionId}/population`)).json();
    // the fixture's residents: 20 + ((7i + 13j) mod 30) at i = 1..39, j = 1..19, summed here from that rule
    let expected = 0;
    for (let i = 1; i < 40; i++) for (let j = 1; j < 20; j++) expected += 20 + ((i * 7 + j * 13) % 30);
    const sum = (g.population as number[]).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(expected, 0);
    expect(g.cellIndex).toHaveLength(g.count);
    expect(g.count).toBeGreaterThan(600); // 741 points, some pairs share a 100 m cell (0.001° of longitude is 96 m)
  });

  it('judges the indicators per township without filing anything', async () => {
    const r = await (await h().api(`/regions/${h().regionId}/indicators`)).json();
    expect(r.items.length).toBeGreaterThan(5);
    expect(r.items.every((i: { kind: string }) => i.kind !== 'circle')).toBe(true);
    const areas = new Set(r.rows.map((row: { areaKind: string; areaName?: string }) => row.areaKind));
    expect([...areas].sort()).toEqual(['county', 'township']);
  });

  it('draws isochrone bands and per-facility catchments of a run', async () => {
    const run = await (await h().api('/analyses', { body: { preset: 'elderly-care-15min' } })).json();
    const bands = await (await h().api(`/analyses/${run.id}/isochrones?minutes=5,10,15`)).json();
    expect(GJV.valid(bands, true)).toEqual([]);
    expect(bands.features.map((f: { properties: { minutes_to: number } }) => f.properties.minutes_to)).toEqual([5, 10, 15]);
    // station one stands at 106.428, 30.538, 2 m from a street: inside its own 5-minute band; the fixture's far
    // corner 106.459, 30.549 is over 3 km from both stations, beyond 15 minutes at 3 km/h (750 m)
    expect(turf.booleanPointInPolygon([106.428, 30.538], bands.features[0])).toBe(true);
    expect(turf.booleanPointInPolygon([106.459, 30.549], bands.features[2])).toBe(false);
    const catchments = await (await h().api(`/analyses/${run.id}/catchments`)).json();
    // one catchment for each of the two existing elderly stations (FX-E1, FX-E2; ids are the service's row ids)
    expect(new Set(catchments.features.map((f: { properties: { facility_id: string } }) => f.properties.facility_id)).size).toBe(2);
    const bad = await h().api(`/analyses/${run.id}/isochrones?minutes=5,x`);
    expect(bad.status).toBe(400);
  });
}

import { expect, it } from 'vitest';
import type { Harness } from './service-harness.ts';

/** Facilities: create, read, update, delete, filters, GeoJSON, Shapefile export. */
export function facilitiesSuite(h: () => Harness): void {
  it('lists the region facilities, filtered by category and status', async () => {
    const id = h().regionId;
    const all = (await (await h().api(`/regions/${id}/facilities`)).json()).facilities;
    expect(all.length).toBe(6);
    const elderly = (await (await h().api(`/regions/${id}/facilities?category=elderly_station&status=existing`)).json()).facilities;
    expect(elderly.map((f: { externalId: string }) => f.externalId).sort()).toEqual(['FX-E1', 'FX-E2']);
    const bad = await h().api(`/regions/${id}/facilities?status=closed`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details).toMatchObject({ field: 'status', found: 'closed' });
  });

  it('creates, reads, updates and deletes a facility', async () => {
    const id = h().regionId;
    const created = await h().api(`/regions/${id}/facilities`, { body: { category: 'meal_point', name: '助餐点', lon: 106.441, lat: 30.541, capacity: 40, capacityUnit: 'seats', status: 'planned' } });
    expect(created.status).toBe(201);
    const f = await created.json();
    expect(f).toMatchObject({ regionId: id, category: 'meal_point', name: '助餐点', status: 'planned', capacity: 40, source: 'manual' });
    expect(created.headers.get('location')).toBe(`/api/facilities/${f.id}`);
    expect(await (await h().api(`/facilities/${f.id}`)).json()).toMatchObject({ id: f.id, lon: 106.441 });
    const patched = await (await h().api(`/facilities/${f.id}`, { method: 'PATCH', body: { status: 'existing', name: '老年助餐点' } })).json();
    expect(patched).toMatchObject({ status: 'existing', name: '老年助餐点', category: 'meal_point' });
    expect(new Date(patched.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(f.updatedAt).getTime());
    expect((await h().api(`/facilities/${f.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h().api(`/facilities/${f.id}`)).status).toBe(404);
  });

  it('rejects bad facility fields, naming the field, expected and found', async () => {
    const id = h().regionId;
    const r = await h().api(`/regions/${id}/facilities`, { body: { category: 'meal_point', lon: 106.44, lat: 200 } });
    expect(r.status).toBe(400);
    const { error } = await r.json();
    expect(error).toMatchObject({ code: 'validation_failed', details: { field: 'lat', found: '200' } });
    expect(error.message).toContain("field 'lat'");
    const missing = await (await h().api(`/regions/${id}/facilities`, { body: { lon: 106.44, lat: 30.5 } })).json();
    expect(missing.error.details.field).toBe('category');
    const unknown = await (await h().api(`/regions/${id}/facilities`, { body: { category: 'x', lon: 106.44, lat: 30.5, colour: 'red' } })).json();
    expect(unknown.error.message).toContain("unknown field 'colour'");
  });

  it('serves facilities as GeoJSON and as a zipped Shapefile', async () => {
    const id = h().regionId;
    const fc = await (await h().api(`/regions/${id}/facilities?format=geojson`)).json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features[0].geometry.type).toBe('Point');
    const zip = await h().api(`/regions/${id}/facilities.zip?crs=EPSG:4544`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-disposition')).toContain('facilities-');
    const bytes = new Uint8Array(await zip.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);
  });
}

import { expect, it } from 'vitest';
import { fileCases, requestCases } from '../bad-input/bad-input-corpus.ts';
import { TOKEN, uploadForm, type Harness } from './service-harness.ts';

/** Rows in every table of the database, so a refused input is seen to write nothing anywhere. */
async function allRowCounts(h: Harness): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await h.deps.db.introspection.getTables()) {
    // the queue's own tables (schema pgboss) change with its maintenance, not with a request
    if (t.isView || t.name.startsWith('kysely_') || (t.schema !== undefined && t.schema !== 'public')) continue;
    const r = await h.deps.db.selectFrom(t.name as never).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t.name] = Number((r as { n: number }).n);
  }
  return out;
}

/**
 * The bad-input corpus (tests/bad-input) through the service: every file and request gets its 4xx with a
 * one-line reason naming the file or field, the service keeps answering, and no row of any table changes.
 */
export function badInputSuite(h: () => Harness): void {
  it('refuses every file of the corpus with a one-line 4xx naming the file; nothing is written', async () => {
    const before = await allRowCounts(h());
    const seen: string[] = [];
    for (const c of await fileCases()) {
      const cap = process.env.LIFECIRCLE_MAX_UNPACKED_MB;
      if (c.capMb) process.env.LIFECIRCLE_MAX_UNPACKED_MB = String(c.capMb);
      let r: Response;
      try {
        r = await h().api(`/regions/${h().regionId}/imports`, { form: uploadForm(c.bytes, c.name, { kind: c.kind, ...c.fields }) });
      } finally {
        if (cap === undefined) delete process.env.LIFECIRCLE_MAX_UNPACKED_MB; else process.env.LIFECIRCLE_MAX_UNPACKED_MB = cap;
      }
      const error = (await r.json()).error ?? {};
      const message = String(error.message ?? '');
      expect({ file: c.name, status: r.status, code: error.code }).toEqual({ file: c.name, status: c.status, code: c.code });
      expect(message, c.name).toMatch(c.says);
      // the reason names the file as the user knows it (a .gz is named without .gz once unpacked, or with it)
      expect(message.startsWith(c.name) || message.startsWith(c.name.replace(/\.gz$/, '')), `${c.name}: ${message}`).toBe(true);
      expect(message, c.name).not.toMatch(/\n/);
      expect((await h().api('/health')).status, `health after ${c.name}`).toBe(200);
      seen.push(c.kind);
    }
    expect(await allRowCounts(h())).toEqual(before);
    // every layer kind is tried (the corpus holds 55 files in all)
    expect(new Set(seen)).toEqual(new Set(['facilities', 'population', 'roads', 'units']));
  });

  it('refuses every bad request of the corpus with its 4xx; nothing is written', async () => {
    const facility = (await (await h().api(`/regions/${h().regionId}/facilities`)).json()).facilities[0].id;
    const before = await allRowCounts(h());
    for (const c of requestCases()) {
      const path = c.path.replace('{region}', String(h().regionId)).replace('{facility}', String(facility));
      const r = await fetch(`${h().url}/api${path}`, { method: c.method, headers: { authorization: `Bearer ${TOKEN}`, ...c.headers }, body: c.body });
      const text = await r.text();
      let message = text;
      try { message = JSON.parse(text).error.message; } catch { /* the status is checked below */ }
      expect({ request: c.name, status: r.status }).toEqual({ request: c.name, status: c.status });
      expect(message, c.name).toMatch(c.says);
      expect((await h().api('/health')).status, `health after ${c.name}`).toBe(200);
    }
    expect(await allRowCounts(h())).toEqual(before);
  });

  it('takes a bow-tie township only when make-valid is asked for, split in two as ST_MakeValid does', async () => {
    const bowtie = (await fileCases()).find((c) => c.name === 'u-bowtie.geojson')!;
    const region = await (await h().api('/regions', { body: { name: '修复检查' } })).json();
    const r = await h().api(`/regions/${region.id}/imports`, { form: uploadForm(bowtie.bytes, bowtie.name, { kind: 'units', repair: 'make-valid' }) });
    expect(r.status).toBe(201);
    const units = await (await h().api(`/regions/${region.id}/units`)).json();
    // the bow tie (106.42,30.53)-(106.44,30.55)-(106.44,30.53)-(106.42,30.55) is two triangles meeting at (106.43, 30.54)
    expect(units.features[0].geometry.type).toBe('MultiPolygon');
    expect(units.features[0].geometry.coordinates).toHaveLength(2);
    expect((await h().api(`/regions/${region.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('takes an unknown category when the upload names it as new', async () => {
    const region = await (await h().api('/regions', { body: { name: '新类别' } })).json();
    const csv = 'name,category,lon,lat\n发射场,spaceport,106.45,30.54\n';
    const refused = await h().api(`/regions/${region.id}/imports`, { form: uploadForm(csv, 'sp.csv', { kind: 'facilities' }) });
    expect(refused.status).toBe(422);
    const taken = await h().api(`/regions/${region.id}/imports`, { form: uploadForm(csv, 'sp.csv', { kind: 'facilities', newCategories: 'spaceport' }) });
    expect(taken.status).toBe(201);
    // once the region has one, the category is known to it
    expect((await h().api(`/regions/${region.id}/facilities`, { body: { category: 'spaceport', name: '二号', lon: 106.45, lat: 30.54 } })).status).toBe(201);
    expect((await h().api(`/regions/${region.id}`, { method: 'DELETE' })).status).toBe(204);
  });
}

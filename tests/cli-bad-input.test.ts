// The bad-input corpus through the CLI: every bad file is refused with the verdict the service gives it
// (same one-line reason, the file named by its path), and the command exits 2 without writing --out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCommand } from '../server/cli/analyze-command.ts';
import { createProgress } from '../server/cli/progress.ts';
import { fileCases, validFiles, type FileCase } from './bad-input/bad-input-corpus.ts';
import { pgliteDatabase, startHarness, uploadForm, type Harness } from './service/service-harness.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'lifecircle.js');
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-bad-cli-'));
const valid = validFiles();
for (const f of Object.values(valid)) writeFileSync(join(dir, f.name), f.bytes);

/** The analyze arguments with `c`'s file in its slot and valid files elsewhere. */
function argsFor(c: FileCase): Record<string, string> {
  const path = join(dir, c.name);
  const files = { population: join(dir, valid.population.name), facilities: join(dir, valid.facilities.name), [c.kind]: path };
  const o: Record<string, string> = { population: files.population, facilities: files.facilities, out: join(dir, `out-${c.name}`) };
  if (c.kind === 'units') o.units = path;
  if (c.kind === 'roads') Object.assign(o, { roads: path, mode: 'walk', minutes: '15' });
  else Object.assign(o, { mode: 'straight', meters: '500' });
  if (c.fields?.category) o.newCategory = c.fields.category;
  return o;
}

// the API's message with the CLI's wording: the path for the file name, the CLI's way to add a category
function asCli(apiMessage: string, c: FileCase): string {
  return apiMessage.split(c.name.replace(/\.gz$/, '')).join(join(dir, c.name).replace(/\.gz$/, ''))
    .replace("the upload's newCategories field (a comma list)", '--new-category (a comma list)');
}

describe('bad-input corpus through the CLI', () => {
  let h: Harness;
  let cases: FileCase[];
  beforeAll(async () => {
    cases = await fileCases();
    for (const c of cases) writeFileSync(join(dir, c.name), c.bytes);
    h = await startHarness(await pgliteDatabase());
  });
  afterAll(async () => h?.close());

  it('the valid files analyse (the cases differ from them by one file)', async () => {
    const r = await analyzeCommand({ population: join(dir, valid.population.name), facilities: join(dir, valid.facilities.name), units: join(dir, valid.units.name), roads: join(dir, valid.roads.name), mode: 'walk', minutes: '15', out: join(dir, 'out-valid') } as never, createProgress(process.stderr, true));
    expect(r.summary.population.total).toBeGreaterThan(0);
  });

  it('refuses every file with the verdict the service gives it, writing nothing', async () => {
    for (const c of cases) {
      // Excel and rasters as facilities are format refusals the CLI gives too; the CLI has no form fields
      const cap = process.env.LIFECIRCLE_MAX_UNPACKED_MB;
      if (c.capMb) process.env.LIFECIRCLE_MAX_UNPACKED_MB = String(c.capMb);
      let cliMessage = '';
      let apiMessage = '';
      try {
        const r = await h.api(`/regions/${h.regionId}/imports`, { form: uploadForm(c.bytes, c.name, { kind: c.kind, ...c.fields }) });
        apiMessage = (await r.json()).error.message;
        const o = argsFor(c);
        await analyzeCommand(o as never, createProgress(process.stderr, true)).then(() => { throw new Error(`${c.name}: the CLI accepted it`); }, (e: Error) => { cliMessage = e.message; });
        expect(existsSync(o.out), `${c.name}: --out written`).toBe(false);
      } finally {
        if (cap === undefined) delete process.env.LIFECIRCLE_MAX_UNPACKED_MB; else process.env.LIFECIRCLE_MAX_UNPACKED_MB = cap;
      }
      expect(cliMessage, c.name).toMatch(c.says);
      expect(cliMessage, c.name).not.toMatch(/\n/);
      // population is the CLI's first layer: it has no region box to be judged against, so only the reason is compared
      if (c.kind === 'population') expect(cliMessage.includes(join(dir, c.name)) || cliMessage.includes(join(dir, c.name).replace(/\.gz$/, '')), cliMessage).toBe(true);
      else expect(cliMessage, c.name).toBe(asCli(apiMessage, c));
    }
  });

  it('exits 2 with one line for the files the CLI used to take (truncated PBF, open ring, Beijing, all zeros)', () => {
    for (const name of ['r-truncated.osm.pbf', 'u-unclosed.geojson', 'f-beijing.csv', 'p-allzero.csv']) {
      const c = cases.find((x) => x.name === name)!;
      const args = Object.entries(argsFor(c)).flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`, v]);
      const r = spawnSync(process.execPath, [BIN, 'analyze', '--quiet', ...args], { encoding: 'utf8' });
      expect({ name, code: r.status }).toEqual({ name, code: 2 });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(join(dir, name));
    }
  });
});

// `lifecircle report --all` on the Yuechi demo (skipped while data/yuechi is not generated; YUECHI_DIR points
// elsewhere). The ratio indicators are checked against metadata.json's design_indicators, which the data
// generator counts on its own (data/yuechi/generate/indicators.ts, rounded to 2 decimals), so the two
// computations are independent.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ComplianceReport } from '../analysis/standards/compliance-report.ts';
import { reportCommand } from '../server/cli/report-command.ts';
import { DEMO_DIR } from '../server/io/load-demo.ts';

const dir = process.env.YUECHI_DIR || DEMO_DIR;
const present = existsSync(join(dir, 'facilities.geojson')) && existsSync(join(dir, 'population.csv.gz'));

interface Design {
  county: Record<string, number>;
  townships: Array<Record<string, number | string | string[]> & { code: string }>;
}

describe.skipIf(!present)('report --all on the Yuechi demo', () => {
  let report: ComplianceReport;
  let csv: Buffer;
  let design: Design;

  it('runs once for every township', { timeout: 300_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'lifecircle-yuechi-'));
    try {
      const r = await reportCommand({ demo: dir, all: true, out }, { step: () => undefined, warn: () => undefined, done: () => undefined });
      report = r.report;
      csv = await readFile(r.files.csv!);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
    design = (JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8')) as { design_indicators: Design }).design_indicators;
    const townships = new Set(report.rows.filter((x) => x.areaKind === 'township').map((x) => x.areaCode));
    expect(townships.size).toBe(27);
    expect(report.synthetic).toBe(true);
  });

  it('gives every row a verdict and starts the CSV with a BOM', () => {
    expect(report.rows.length).toBeGreaterThan(27 * 15);
    expect(report.rows.every((x) => ['pass', 'fail', 'no-data'].includes(x.verdict))).toBe(true);
    expect([csv[0], csv[1], csv[2]]).toEqual([0xef, 0xbb, 0xbf]);
  });

  // our indicator id → the generator's field and the factor from its unit to ours
  const pairs: Array<[string, string, number]> = [
    ['physicians', 'physicians_per_1000', 1],
    ['nurses', 'nurses_per_1000', 1],
    ['childcare-slots', 'childcare_slots_per_1000', 1],
    ['elderly-beds-per-1000-aged60', 'elderly_beds_per_1000_aged60', 1],
    ['nursing-bed-share', 'nursing_bed_share', 100],
    ['sports-area-per-resident', 'sports_m2_per_resident', 1],
    ['community-service-area', 'community_m2_per_100_households', 1],
  ];

  it.each(pairs)('%s matches the generator\'s own count in every township and the county', (id, field, factor) => {
    let compared = 0;
    for (const t of design.townships) {
      const row = report.rows.find((x) => x.itemId === id && x.areaCode === t.code)!;
      const theirs = t[field] as number;
      // the generator writes 0 where a township has no institutional beds; we say no-data
      if (row.value === null) { expect(theirs).toBe(0); continue; }
      expect(Math.abs(row.value - theirs * factor)).toBeLessThanOrEqual(0.0051 * factor);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
    const county = report.rows.find((x) => x.itemId === id && x.areaKind === 'county')!;
    expect(Math.abs(county.value! - design.county[field] * factor)).toBeLessThanOrEqual(0.0051 * factor);
  });

  it('fails the presence and ratio rules the generator designed to fail', () => {
    const ours = new Map<string, string>([
      ['physicians_per_1000', 'physicians'], ['nurses_per_1000', 'nurses'], ['childcare_slots_per_1000', 'childcare-slots'],
      ['public_kindergarten', 'public-kindergarten'], ['elderly_complex_in_street', 'elderly-complex-per-street'],
    ]);
    for (const t of design.townships) {
      for (const [theirs, id] of ours) {
        const row = report.rows.find((x) => x.itemId === id && x.areaCode === t.code);
        if (!row) continue; // the street-only rule has no row for towns
        // values within rounding of the target may fall either way in a 2-decimal copy
        if (row.value !== null && id !== 'public-kindergarten' && id !== 'elderly-complex-per-street' && Math.abs(row.value - (row.target as number)) < 0.006) continue;
        expect([t.code, id, row.verdict]).toEqual([t.code, id, (t.fails as string[]).includes(theirs) ? 'fail' : 'pass']);
      }
    }
    // county totals: 4,710 beds against 5,000; 3 second-level sub-centres against 5
    expect(report.rows.find((x) => x.itemId === 'elderly-beds-total')!.value).toBe(design.county.elderly_beds);
    expect(report.rows.find((x) => x.itemId === 'medical-sub-centres')!.value).toBe(design.county.subcentres_second_level);
  });
});

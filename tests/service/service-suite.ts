import { afterAll, beforeAll, describe } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { startHarness, type Harness } from './service-harness.ts';
import { analysesSuite } from './suite-analyses.ts';
import { badInputSuite } from './suite-bad-input.ts';
import { basicsSuite } from './suite-basics.ts';
import { complianceSuite } from './suite-compliance.ts';
import { facilitiesSuite } from './suite-facilities.ts';
import { importsSuite } from './suite-imports.ts';
import { layersSuite } from './suite-layers.ts';
import { populationTableSuite } from './suite-population-table.ts';
import { scenariosSuite } from './suite-scenarios.ts';

/**
 * The service integration suite, the same for every backend: the real app over HTTP on a real database.
 * Analyses run before imports so they see the fixture's facilities only.
 *
 * @example defineServiceSuite('PGlite', pgliteDatabase);
 */
export function defineServiceSuite(name: string, database: () => Promise<{ handle: DatabaseHandle; url?: string; drop(): Promise<void> }>): void {
  describe(`service on ${name}`, () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness(await database());
    });
    afterAll(async () => {
      await harness?.close();
    });
    const h = () => harness;
    describe('basics', () => basicsSuite(h));
    describe('facilities', () => facilitiesSuite(h));
    describe('analyses', () => analysesSuite(h));
    describe('map layers', () => layersSuite(h));
    describe('compliance', () => complianceSuite(h));
    describe('scenarios', () => scenariosSuite(h));
    describe('imports', () => importsSuite(h));
    describe('population tables', () => populationTableSuite(h));
    describe('bad-input corpus', () => badInputSuite(h));
  });
}

import { defineServiceSuite } from './service-suite.ts';
import { pgliteDatabase } from './service-harness.ts';

// the embedded default: PGlite in a temp folder, through its node-postgres adapter
defineServiceSuite('PGlite', pgliteDatabase);

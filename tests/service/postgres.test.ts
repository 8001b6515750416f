import { describe, it } from 'vitest';
import { skipMessage, testDatabaseUrl } from '../support/postgres.ts';
import { postgresDatabase } from './service-harness.ts';
import { defineServiceSuite } from './service-suite.ts';

// PostgreSQL 15 (CI, LIFECIRCLE_TEST_PG_URL, or a throwaway cluster): a fresh database per run, dropped after
const url = await testDatabaseUrl();
if (url) defineServiceSuite('PostgreSQL', () => postgresDatabase(url));
else describe('service on PostgreSQL', () => it.skip(skipMessage('service integration suite against PostgreSQL 15'), () => undefined));

// readBytea (server/db/read-bytea.ts) reads a large bytea in slices; the bytes it returns are compared with
// the ones written, on PGlite and, where LIFECIRCLE_TEST_PG_URL is set, on PostgreSQL.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../server/db/database.ts';
import { readBytea } from '../server/db/read-bytea.ts';
import { pgliteDatabase, postgresDatabase } from './service/service-harness.ts';

const PG = process.env.LIFECIRCLE_TEST_PG_URL;
if (!PG) console.warn('read-bytea: PostgreSQL part skipped (set LIFECIRCLE_TEST_PG_URL)');

for (const [kind, open] of [['PGlite', pgliteDatabase], ['PostgreSQL', PG ? () => postgresDatabase(PG) : null]] as const) {
  describe.skipIf(open === null)(`readBytea on ${kind}`, () => {
    let db: { handle: DatabaseHandle; drop(): Promise<void> };
    beforeAll(async () => {
      db = await open!();
      await sql`CREATE TABLE probe (id int PRIMARY KEY, data bytea NOT NULL)`.execute(db.handle.db);
    });
    afterAll(async () => { await db.handle.close(); await db.drop(); });

    it('returns the bytes written, whole or in slices that do not divide the value, and empty values; a missing row throws', async () => {
      const big = randomBytes(1_000_003);
      await sql`INSERT INTO probe VALUES (1, ${big}), (2, ${Buffer.alloc(0)}), (3, ${Buffer.from([7])})`.execute(db.handle.db);
      for (const sliceBytes of [65_536, 1_000_003, 333_334, 1 << 26]) {
        expect(Buffer.compare(await readBytea(db.handle.db, 'probe', 'data', 1, { sliceBytes }), big)).toBe(0);
      }
      expect((await readBytea(db.handle.db, 'probe', 'data', 2)).length).toBe(0);
      expect([...await readBytea(db.handle.db, 'probe', 'data', 3, { sliceBytes: 1 })]).toEqual([7]);
      await expect(readBytea(db.handle.db, 'probe', 'data', 9)).rejects.toThrow(/probe 9: no such row/);
    });
  });
}

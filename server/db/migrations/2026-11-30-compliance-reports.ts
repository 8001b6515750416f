import { sql, type Kysely } from 'kysely';

/** Filed compliance reports: every circle and indicator of the standards, per township. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('compliance_reports')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('region_id', 'integer', (c) => c.notNull().references('regions.id').onDelete('cascade'))
    .addColumn('parameters', 'jsonb', (c) => c.notNull())
    .addColumn('counts', 'jsonb', (c) => c.notNull())
    .addColumn('report', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('compliance_reports_region').on('compliance_reports').columns(['region_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('compliance_reports').ifExists().execute();
}

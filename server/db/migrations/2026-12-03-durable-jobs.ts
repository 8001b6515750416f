import { type Kysely } from 'kysely';

/** Jobs become data a worker in any process can run: the engine op, its arguments, attempts, who ran it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs')
    .addColumn('op', 'text')
    .addColumn('args', 'jsonb')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('worker', 'text')
    .addColumn('queue_job', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('op').dropColumn('args').dropColumn('attempts').dropColumn('worker').dropColumn('queue_job').execute();
}

import type { ColumnType, Generated } from 'kysely';

/** jsonb read back as T; written as a JSON string, since pg would turn JS arrays into PostgreSQL arrays. */
export type Json<T> = ColumnType<T, string, string>;

/** Same, for nullable jsonb columns. */
export type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

/** Set by the database on insert, never written by us. */
export type CreatedAt = ColumnType<Date, never, never>;

/** Set by the database on insert; repositories set it to now() on every update. */
export type UpdatedAt = ColumnType<Date, never, Date>;

/** Serial primary key. */
export type Id = Generated<number>;

/**
 * A value for a jsonb column.
 *
 * @example db.insertInto('regions').values({ metadata: toJson({ source: 'demo' }) })
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

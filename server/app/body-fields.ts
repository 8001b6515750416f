import { foundValue } from '../../analysis/errors/found-value.ts';
import { AppError } from './app-error.ts';

/** A JSON request body as a plain object, or a 400 saying what came instead. */
export function objectBody(body: unknown, what = 'request body'): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('validation_failed', `${what}: expected a JSON object, found ${foundValue(body)}`, { expected: 'object', found: foundValue(body) });
  }
  return body as Record<string, unknown>;
}

function fail(field: string, expected: string, value: unknown): never {
  throw new AppError('validation_failed', `field '${field}': expected ${expected}, found ${foundValue(value)}`, { field, expected, found: foundValue(value) });
}

/** Optional string field; empty strings allowed unless `nonEmpty`. */
export function stringField(body: Record<string, unknown>, field: string, options: { required?: boolean; nonEmpty?: boolean; max?: number } = {}): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return options.required ? fail(field, 'a string', v) : undefined;
  if (typeof v !== 'string' || (options.nonEmpty && v.trim() === '') || v.length > (options.max ?? 10_000)) {
    return fail(field, `a${options.nonEmpty ? ' non-empty' : ''} string${options.max ? ` of at most ${options.max} characters` : ''}`, v);
  }
  return v;
}

/** Optional number field within [min, max]. */
export function numberField(body: Record<string, unknown>, field: string, options: { required?: boolean; min?: number; max?: number; positive?: boolean } = {}): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return options.required ? fail(field, 'a number', v) : undefined;
  const min = options.min ?? -Infinity, max = options.max ?? Infinity;
  const range = options.positive ? 'a number > 0' : Number.isFinite(min) || Number.isFinite(max) ? `a number in [${min}, ${max}]` : 'a number';
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (options.positive && v <= 0)) return fail(field, range, v);
  return v;
}

/** Optional id field in a body: a positive integer that fits the database's integer ids. */
export function idField(body: Record<string, unknown>, field: string, options: { required?: boolean } = {}): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return options.required ? fail(field, 'a positive integer id', v) : undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 2_147_483_647) return fail(field, 'a positive integer id (1 to 2147483647)', v);
  return v;
}

/** Optional field that must be one of `values`. */
export function enumField<T extends string>(body: Record<string, unknown>, field: string, values: readonly T[], options: { required?: boolean } = {}): T | undefined {
  const v = body[field];
  if (v === undefined || v === null) return options.required ? fail(field, `one of ${values.join(', ')}`, v) : undefined;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) return fail(field, `one of ${values.join(', ')}`, v);
  return v as T;
}

/** Optional array of non-empty strings. */
export function stringListField(body: Record<string, unknown>, field: string): string[] | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string' && s.trim() !== '')) return fail(field, 'a non-empty array of strings', v);
  return v as string[];
}

/** Optional plain-object field. */
export function objectField(body: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return fail(field, 'a JSON object', v);
  if (jsonDepth(v, MAX_PROPERTY_DEPTH) > MAX_PROPERTY_DEPTH) return fail(field, `a JSON object at most ${MAX_PROPERTY_DEPTH} levels deep`, 'deeper nesting');
  return v as Record<string, unknown>;
}

/** Deepest nesting stored properties may have: stored as JSON, they must stay printable without recursion limits. */
export const MAX_PROPERTY_DEPTH = 32;

/** Depth of nested arrays and objects, counted without recursion (a hostile file may nest thousands deep); stops past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > deepest) deepest = d;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return deepest;
}

/** Rejects fields the endpoint does not know, so typos ("minute") do not pass silently. */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[], what = 'request body'): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw new AppError('validation_failed', `${what}: unknown field '${extra[0]}'; expected only ${allowed.join(', ')}`, { field: extra[0], expected: allowed.join(', ') });
}

/** A positive integer route or query parameter. */
export function idParam(raw: unknown, name: string): number {
  const n = typeof raw === 'string' && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n > 2_147_483_647) throw new AppError('validation_failed', `${name}: expected a positive integer id, found ${foundValue(raw)}`, { field: name, expected: 'a positive integer', found: foundValue(raw) });
  return n;
}

import { RURAL, UNKNOWN_CLASS, URBAN } from './population-grid.ts';

const URBAN_WORDS = new Set(['1', 'true', 'urban', 'u', 'yes', '城镇', '城市']);
const RURAL_WORDS = new Set(['0', 'false', 'rural', 'r', 'no', '乡村', '农村']);

/**
 * URBAN, RURAL or UNKNOWN_CLASS (blank, null) for an `urban` value as sources write it (1/0, true/false,
 * urban/rural, 城镇/乡村); undefined when the value means none of these, so the caller can name the row.
 *
 * @example urbanClassOf('1') // URBAN
 */
export function urbanClassOf(value: unknown): number | undefined {
  if (value === null || value === undefined) return UNKNOWN_CLASS;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const word = String(value).trim().toLowerCase();
  if (word === '') return UNKNOWN_CLASS;
  if (URBAN_WORDS.has(word)) return URBAN;
  if (RURAL_WORDS.has(word)) return RURAL;
  return undefined;
}

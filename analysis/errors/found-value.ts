/**
 * How a bad input value is quoted in an error message: strings in single quotes, numbers as they are,
 * anything else as short JSON, so "found 'abc'" and "found -3" read naturally.
 *
 * @example foundValue('abc') // "'abc'"
 */
export function foundValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

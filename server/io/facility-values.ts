import { foundValue } from '../../analysis/errors/found-value.ts';
import { AppError } from '../app/app-error.ts';
import type { RowProblem } from './row-problem.ts';

/** Longest text each facility field may hold; a longer one is refused, never cut (it would change the meaning). */
export const TEXT_LIMITS = { category: 100, name: 500, capacityUnit: 50, externalId: 200, propertyText: 10_000 } as const;

/** One facility's fields as both the API and the CLI read them, before they are stored or analysed. */
export interface FacilityValues {
  category: string;
  name: string;
  capacityUnit: string | null;
  externalId: string | null;
  properties: Record<string, unknown>;
}

/** Where a row is, for messages: "line 12" or "feature 3". */
export type RowPlace = { text: string; line?: number; feature?: number };

/**
 * Checks what a file's coordinates checks cannot: text lengths and known categories. `known` is null where
 * any category goes (a CLI file analysed with --where); else an unknown one is a 422 that lists the known ones
 * and names the explicit step that adds it. With `problems`, every bad row is listed there instead of thrown.
 *
 * @example checkFacilityValues(rows, 'schools.csv', (i) => ({ text: `line ${i + 2}` }), known, 'newCategories');
 */
export function checkFacilityValues(rows: FacilityValues[], fileName: string, place: (i: number) => RowPlace, known: ReadonlySet<string> | null, addStep: string, problems?: RowProblem[]): void {
  const report = (w: RowPlace, message: string, d: { field: string; expected: string; found: string; addCategory?: string }) => {
    if (!problems) throw new AppError('invalid_file', `${fileName} ${w.text}: ${message}`, { line: w.line, feature: w.feature, ...d });
    problems.push({ line: w.line, feature: w.feature, field: d.field, expected: d.expected, found: d.found, message });
  };
  rows.forEach((r, i) => {
    const tooLong = (field: string, value: string | null, max: number) => {
      if (value === null || value.length <= max) return;
      const w = place(i);
      report(w, `field '${field}' must be at most ${max} characters, found ${value.length}`, { field, expected: `at most ${max} characters`, found: `${value.length} characters` });
    };
    tooLong('category', r.category, TEXT_LIMITS.category);
    tooLong('name', r.name, TEXT_LIMITS.name);
    tooLong('capacity_unit', r.capacityUnit, TEXT_LIMITS.capacityUnit);
    tooLong('id', r.externalId, TEXT_LIMITS.externalId);
    for (const [k, v] of Object.entries(r.properties)) {
      tooLong(k, k.length > TEXT_LIMITS.category ? k : null, TEXT_LIMITS.category);
      if (typeof v === 'string') tooLong(k, v, TEXT_LIMITS.propertyText);
    }
    if (known && r.category !== '' && !known.has(r.category)) {
      const w = place(i);
      const list = [...known].sort();
      report(w, `category ${foundValue(r.category)} is not one the circles know (${list.slice(0, 12).join(', ')}${list.length > 12 ? `, … ${list.length} in all` : ''}); to add it, name it in ${addStep}`, { field: 'category', expected: list.join(', '), found: r.category, addCategory: addStep });
    }
  });
}

/** Categories named in a comma list (the `newCategories` field, `--new-category`), checked for length. */
export function categoryList(raw: string | undefined, field: string): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((c) => c.length > TEXT_LIMITS.category);
  if (bad) throw new AppError('validation_failed', `field '${field}': expected categories of at most ${TEXT_LIMITS.category} characters, found one of ${bad.length}`, { field, expected: `at most ${TEXT_LIMITS.category} characters`, found: `${bad.length} characters` });
  return list;
}

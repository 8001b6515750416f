/**
 * Many row problems as one line: the first in full, then how many more and where.
 *
 * @example summariseProblems(['a.csv line 3: ...', 'a.csv line 9: ...']) // "a.csv line 3: ... (and 1 more: line 9)"
 */
export function summariseProblems(problems: string[]): string {
  if (problems.length === 1) return problems[0];
  const more = problems.slice(1, 6).map((p) => p.replace(/^.*? (line|feature) (\d+):.*$/, '$1 $2')).join(', ');
  return `${problems[0]} (and ${problems.length - 1} more: ${more}${problems.length > 6 ? ', ...' : ''})`;
}

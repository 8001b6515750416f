/**
 * The maximal covering location problem written for an exact MILP solver (HiGHS, GLPK): choose at most k
 * candidates (or within a budget) to maximise the value of the cells covered. Cells covered by the same
 * candidates are merged into one row first, which is what keeps a county-sized case small.
 * The engine stays solver-free: the caller passes the solver's `solve(lpText)`.
 */

/** A solver's answer, in the shape of the npm `highs` package's `solve()`. */
export interface LpSolution {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, { Primal: number }>;
}

export interface ExactSitesRequest {
  /** per cell: the objective value of covering it */
  value: Float64Array;
  /** per candidate: the cells it would cover */
  sets: ReadonlyArray<Int32Array>;
  /** most candidates chosen */
  k?: number;
  /** per candidate cost and the budget, for goal (b) */
  cost?: Float64Array;
  budget?: number;
  /** pairs of candidates that may not both be chosen (closer than the spacing: `spacingConflicts`) */
  conflicts?: ReadonlyArray<readonly [number, number]>;
}

export interface ExactSitesResult {
  /** chosen candidate indices, ascending */
  chosen: number[];
  /** the value covered by them (recounted from the sets, not the solver's float) */
  objective: number;
  status: string;
  /** merged demand rows and the candidates that cover anyone */
  rows: number;
  columns: number;
}

/** The LP-format model and what its rows stand for. */
export function mclpModel(req: ExactSitesRequest): { lp: string; rows: number; columns: number } {
  if (req.k === undefined && req.budget === undefined) throw new Error('exact sites: give k, a budget, or both');
  if (req.budget !== undefined && (!req.cost || req.cost.length !== req.sets.length)) throw new Error(`exact sites: a budget needs one cost per candidate (${req.sets.length}), found ${req.cost?.length ?? 'none'}`);
  // cell → the candidates covering it, then cells grouped by that list
  const coveredBy = new Map<number, number[]>();
  req.sets.forEach((set, j) => { for (const i of set) { if (!(req.value[i] > 0)) continue; let l = coveredBy.get(i); if (!l) coveredBy.set(i, (l = [])); l.push(j); } });
  const groups = new Map<string, { candidates: number[]; value: number }>();
  for (const [i, list] of coveredBy) {
    const key = list.join(',');
    const g = groups.get(key);
    if (g) g.value += req.value[i]; else groups.set(key, { candidates: list, value: req.value[i] });
  }
  const used = new Set<number>();
  for (const g of groups.values()) for (const j of g.candidates) used.add(j);
  const columns = [...used].sort((a, b) => a - b);
  const lines: string[] = ['Maximize', ' obj:'];
  const rows = [...groups.values()];
  const objective = rows.map((g, r) => `${g.value.toPrecision(15)} y${r}`);
  // LP format wants lines of bounded length: one term per line
  for (let q = 0; q < objective.length; q++) lines.push(`  ${q === 0 ? '' : '+ '}${objective[q]}`);
  if (objective.length === 0) lines.push('  0 y_none');
  lines.push('Subject To');
  rows.forEach((g, r) => lines.push(` r${r}: y${r}${g.candidates.map((j) => ` - x${j}`).join('')} <= 0`));
  if (req.k !== undefined && columns.length > 0) lines.push(` k: ${columns.map((j) => `x${j}`).join(' + ')} <= ${req.k}`);
  if (req.budget !== undefined && columns.length > 0) lines.push(` budget: ${columns.map((j) => `${req.cost![j]} x${j}`).join(' + ')} <= ${req.budget}`);
  // a conflict only binds between candidates that cover someone: the others are never chosen
  let q = 0;
  for (const [a, b] of req.conflicts ?? []) if (used.has(a) && used.has(b)) lines.push(` s${q++}: x${a} + x${b} <= 1`);
  lines.push('Bounds');
  rows.forEach((_, r) => lines.push(` 0 <= y${r} <= 1`));
  if (objective.length === 0) lines.push(' y_none = 0');
  if (columns.length > 0) { lines.push('Binary'); lines.push(` ${columns.map((j) => `x${j}`).join(' ')}`); }
  lines.push('End');
  return { lp: lines.join('\n') + '\n', rows: rows.length, columns: columns.length };
}

/**
 * Solves the problem exactly with the given solver; the objective is recounted from the sets.
 *
 * @example const highs = await (await import('highs')).default(); exactSites({ value, sets, k: 3 }, (lp) => highs.solve(lp));
 */
export function exactSites(req: ExactSitesRequest, solve: (lp: string) => LpSolution): ExactSitesResult {
  const model = mclpModel(req);
  const s = solve(model.lp);
  if (s.Status !== 'Optimal') throw new Error(`exact sites: the solver stopped with status ${s.Status}`);
  const chosen = Object.entries(s.Columns).filter(([name, c]) => name.startsWith('x') && c.Primal > 0.5).map(([name]) => Number(name.slice(1))).sort((a, b) => a - b);
  const seen = new Uint8Array(req.value.length);
  let objective = 0;
  for (const j of chosen) for (const i of req.sets[j]) if (!seen[i]) { seen[i] = 1; if (req.value[i] > 0) objective += req.value[i]; }
  return { chosen, objective, status: s.Status, rows: model.rows, columns: model.columns };
}

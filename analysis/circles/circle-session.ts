import { filterFacilities, type FacilitySet } from '../facilities/facility-set.ts';
import { walkCostPerMeter, defaultSpeedTable } from '../network/speed-table.ts';
import { applyEdits } from '../scenario/apply-edits.ts';
import { createScenarioEngine, type ScenarioEdit, type ScenarioEngine } from '../scenario/scenario-engine.ts';
import { serviceTakes, type Circle } from './circle.ts';
import {
  assembleCircle, circleCosts, planCircle, preparedFor, serviceMembers,
  type CircleInputs, type CircleOptions, type CirclePlan, type CircleResult, type GroupCosts,
} from './run-circle.ts';

/** A circle kept warm for what-if questions: its baseline and an incremental engine per service and search. */
export interface CircleSession {
  readonly circle: Circle;
  readonly plan: CirclePlan;
  /** the run on the facilities as they are */
  readonly base: CircleResult;
  /**
   * The whole result with `edits` applied to the facilities (totals, per township, gaps), equal to
   * `runCircle` on the edited set; only the services an edit touches are searched again, incrementally.
   */
  apply(edits: ScenarioEdit[]): CircleResult;
}

/**
 * Runs the circle once and answers scenarios from it: an edit of a category goes to the engines of the
 * services that take it (one per mode searched), every other service keeps its baseline costs, and the
 * result is assembled by the same code as a full run.
 *
 * @example
 * const session = createCircleSession(inputs, circleOfPreset(basic, standards));
 * const r = session.apply([{ op: 'add', id: 'n1', lon: 106.43, lat: 30.55, category: 'health_center' }]);
 * r.summary.groupCount?.covered - session.base.summary.groupCount!.covered;
 */
export function createCircleSession(inputs: CircleInputs, circle: Circle, options: CircleOptions = {}): CircleSession {
  const t0 = performance.now();
  const plan = planCircle(circle, inputs.grid, options);
  const baseCosts = circleCosts(inputs, plan);
  const base = assembleCircle(inputs, plan, inputs.facilities, baseCosts, options, t0);
  const members = plan.services.map((s) => serviceMembers(inputs.facilities, s));
  const engines = new Map<string, ScenarioEngine>();
  const speeds = inputs.speeds ?? inputs.network?.speeds ?? defaultSpeedTable();

  const engineFor = (g: number, k: number): ScenarioEngine => {
    const key = `${g}|${k}`;
    let engine = engines.get(key);
    if (!engine) {
      const search = plan.searches[k];
      const set = new Set(members[g]);
      const own = filterFacilities(inputs.facilities, (i) => set.has(i));
      const prepared = search.mode === 'straight' ? null : preparedFor(inputs, search);
      engine = createScenarioEngine(prepared, inputs.grid, own, {
        threshold: search.cutoff, costPerMeter: search.mode === 'straight' ? walkCostPerMeter(speeds, 'straight', search.costKind) : 1,
      });
      engines.set(key, engine);
    }
    return engine;
  };

  return {
    circle, plan, base,
    apply(edits) {
      const started = performance.now();
      const edited = applyEdits(inputs.facilities, edits);
      const indexOf = new Map(edited.id.map((id, i) => [id, i]));
      // each edit goes to the services whose categories take the facility's category
      const categoryOf = new Map(inputs.facilities.id.map((id, i) => [id, inputs.facilities.category[i]]));
      const editCategory = edits.map((e) => {
        const id = String(e.id);
        if (e.op === 'add') categoryOf.set(id, e.category ?? '');
        return categoryOf.get(id) ?? '';
      });
      const baseRemap = remapOf(inputs.facilities, indexOf);
      const changed = new Uint8Array(inputs.grid.count);
      const touched = plan.services.map(() => false);
      const costs: GroupCosts[][] = plan.services.map((service, g) => {
        const mine = edits.filter((_, i) => serviceTakes(service, editCategory[i]));
        return plan.searches.map((_, k): GroupCosts => {
          const b = baseCosts[g][k];
          if (mine.length === 0) return { ...b, remap: composeRemap(b.remap, baseRemap) };
          touched[g] = true;
          const r = engineFor(g, k).applyCells(mine);
          // a cell judged by another search does not read these costs
          for (const c of r.changedCells) if (plan.search[c] === k) changed[c] = 1;
          const gone = new Set(mine.filter((e) => e.op !== 'add').map((e) => String(e.id)));
          const unsnapped = [...b.unsnapped.filter((id) => !gone.has(id) && indexOf.has(id)), ...r.unsnapped];
          return { cost: r.cost, facility: r.facility, remap: remapOf(r.facilities, indexOf), unsnapped };
        });
      });
      const cells: number[] = [];
      for (let c = 0; c < changed.length; c++) if (changed[c]) cells.push(c);
      // progress belongs to the first run: a scenario answers in milliseconds
      return assembleCircle({ ...inputs, onProgress: undefined }, plan, edited, costs, options, started, { base, cells: Int32Array.from(cells), remap: baseRemap, services: touched, baseCosts });
    },
  };
}

// index of each facility of `set` in the edited run's facilities (by id), -1 where it is gone
function remapOf(set: FacilitySet, indexOf: Map<string, number>): Int32Array {
  return Int32Array.from(set.id, (id) => indexOf.get(id) ?? -1);
}

function composeRemap(first: Int32Array | undefined, then: Int32Array): Int32Array {
  return first === undefined ? then : Int32Array.from(first, (i) => (i >= 0 ? then[i] : -1));
}

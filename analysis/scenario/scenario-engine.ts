import KDBush from 'kdbush';
import type { PreparedNetwork } from '../accessibility/analyze-access.ts';
import { summarizeCoverage, type CoverageSummary } from '../coverage/coverage-summary.ts';
import { createFacilitySet, type FacilitySet } from '../facilities/facility-set.ts';
import { EARTH_RADIUS_M } from '../geo/local-projection.ts';
import type { PopulationGrid } from '../grid/population-grid.ts';
import { backwardCost, forwardCost, type ModeGraph } from '../network/mode-graph.ts';
import { snapPoints } from '../network/snap-points.ts';
import { multiSourceDijkstra } from '../traveltime/multi-source-dijkstra.ts';
import { facilitySeeds, originCosts } from '../traveltime/network-access.ts';
import { straightLineAccess } from '../traveltime/straight-line-access.ts';
import { BoundedSearch } from './bounded-search.ts';
import { cellsByNode, type CellsByNode } from './cells-by-node.ts';
import { alongSegmentCost, pointSeeds } from '../traveltime/snapped-point-costs.ts';
import { coverageDelta, type ScenarioDelta } from './coverage-delta.ts';

export type { CoverageChange, ScenarioDelta, UnitChange } from './coverage-delta.ts';

/** One change to the facility set; edits apply in order, so `add` then `move` of the same id is fine. */
export type ScenarioEdit =
  | { op: 'add'; id: string | number; lon: number; lat: number; name?: string; category?: string; capacity?: number; properties?: Record<string, unknown> }
  | { op: 'remove'; id: string | number }
  | { op: 'move'; id: string | number; lon: number; lat: number };

export interface ScenarioEngineOptions {
  /** search cut-off in the graph's cost unit (seconds or metres); with `thresholdFor`, the largest per-cell threshold */
  threshold: number;
  /** per-cell threshold (urban 15 min, rural 90 min in one run); must not exceed `threshold` */
  thresholdFor?: (cell: number) => number;
  /** how far a new or moved facility may be from a road; default the prepared network's limit */
  maxSnapMeters?: number;
  /** straight-line only: cost per metre, 1 for metres (default) or 3.6 / walk km/h for seconds, as analyzeAccess */
  costPerMeter?: number;
}

/** A scenario's costs per cell, without the coverage summary (a circle run tallies its own). */
export interface ScenarioCells {
  /** the edited facility set: baseline order with removals dropped, moves in place, additions appended */
  facilities: FacilitySet;
  /** per cell, as `analyzeAccess` on `facilities`: cost to the nearest facility, Infinity beyond the threshold */
  cost: Float64Array;
  /** per cell: index into `facilities`, -1 where none within the threshold */
  facility: Int32Array;
  /** cells whose cost or nearest facility differ from the baseline's */
  changedCells: Int32Array;
  /** ids of added or moved facilities too far from any road to join the network */
  unsnapped: string[];
  ms: number;
}

export interface ScenarioResult extends ScenarioCells {
  summary: CoverageSummary;
  delta: ScenarioDelta;
}

export interface ScenarioBaseline {
  facilities: FacilitySet;
  cost: Float64Array;
  facility: Int32Array;
  summary: CoverageSummary;
}

export interface ScenarioEngine {
  readonly threshold: number;
  /** the current baseline (copies) */
  baseline(): ScenarioBaseline;
  /** the baseline with `edits` applied; the baseline itself is left as it was */
  apply(edits: ScenarioEdit[]): ScenarioResult;
  /** the same costs without the summary, for callers that count coverage themselves */
  applyCells(edits: ScenarioEdit[]): ScenarioCells;
  /** makes the last applied scenario the baseline; returns its facility set */
  commit(): FacilitySet;
}

// a facility as the engine tracks it: slots only grow, so slot order is the facility order of every scenario
interface Slot {
  id: string;
  lon: number;
  lat: number;
  name: string;
  category: string;
  capacity: number;
  properties: Record<string, unknown>;
  segment: number;
  fraction: number;
  offMeters: number;
}

interface Pending {
  removed: Uint8Array;
  placed: Slot[];
  placedSlot: number[];
  nodes: Int32Array;
  nodeCost: Float64Array;
  nodeSource: Int32Array;
  cells: Int32Array;
  cellCost: Float64Array;
  cellSlot: Int32Array;
  facilities: FacilitySet;
  /** set by apply; applyCells leaves the summary to its caller */
  result: ScenarioResult | null;
}

/**
 * A what-if engine that keeps the baseline's per-node and per-cell costs and answers each scenario by
 * repairing only what it touches:
 * - an added (or moved-to) facility runs one Dijkstra from its own snap, bounded by the threshold, and
 *   wins a node where it is nearer (ties to the lower facility index, as the full run);
 * - a removed (or moved-from) facility frees the nodes whose nearest it was; those are re-labelled by a
 *   Dijkstra confined to them, seeded from every arc entering them from a node that kept its label
 *   (whose label is final, being still the nearest of a subset) and from the remaining facilities
 *   that snap onto them;
 * - cells are recomputed only where an end of their segment changed or a facility sits on their segment.
 * Straight-line mode recomputes only the cells near an added facility or served by a removed one.
 * `apply` equals `analyzeAccess` on the edited set, cell by cell (tests/scenario-engine.test.ts).
 *
 * @example
 * const engine = createScenarioEngine(prepared, grid, clinics, { threshold: 900 });
 * const r = engine.apply([{ op: 'add', id: 'new-1', lon: 106.43, lat: 30.55 }, { op: 'remove', id: 'C12' }]);
 * r.delta.byUnit[0].population.change;
 */
export function createScenarioEngine(
  prepared: PreparedNetwork | null, grid: PopulationGrid, facilities: FacilitySet, options: ScenarioEngineOptions,
): ScenarioEngine {
  const threshold = options.threshold;
  if (!(threshold > 0)) throw new Error(`scenario: threshold must be a positive number, found ${threshold}`);
  if (prepared !== null && prepared.origins.count !== grid.count) {
    throw new Error(`scenario: the prepared network snapped ${prepared.origins.count} cells, the grid has ${grid.count}`);
  }
  const costPerMeter = options.costPerMeter ?? 1;
  if (!(costPerMeter > 0)) throw new Error(`scenario: costPerMeter must be a positive number, found ${costPerMeter}`);
  const maxSnapMeters = options.maxSnapMeters ?? prepared?.maxSnapMeters ?? 500;
  return new Engine(prepared, grid, facilities, threshold, options.thresholdFor, maxSnapMeters, costPerMeter);
}

class Engine implements ScenarioEngine {
  readonly threshold: number;
  private readonly grid: PopulationGrid;
  private readonly prepared: PreparedNetwork | null;
  private readonly graph: ModeGraph | null;
  private readonly thresholdFor: ((cell: number) => number) | undefined;
  private readonly limit: Float64Array;
  private readonly unreachable: Uint8Array;
  private readonly maxSnapMeters: number;
  private readonly costPerMeter: number;
  private readonly slots: Slot[] = [];
  private alive: boolean[] = [];
  private readonly idToSlot = new Map<string, number>();
  private segSlots = new Map<number, number[]>();
  private readonly cellCost: Float64Array;
  private readonly cellSlot: Int32Array;
  private summary: CoverageSummary;
  private facilitySet: FacilitySet;
  private pending: Pending | null = null;
  // network mode
  private readonly nodeCost: Float64Array;
  private readonly nodeSource: Int32Array;
  private readonly search: BoundedSearch | null;
  private readonly byNode: CellsByNode | null;
  private readonly revFirst: Int32Array;
  private readonly revTail: Int32Array;
  private readonly revCost: Float64Array;
  private readonly ovStamp: Uint32Array;
  private readonly ovCost: Float64Array;
  private readonly ovSource: Int32Array;
  private readonly ovList: Int32Array;
  private readonly affected: Uint32Array;
  private run = 0;
  // straight-line mode
  private readonly cellIndex: KDBush | null;
  private readonly cellStamp: Uint32Array;
  private cellRun = 0;
  // seed scratch, grown on demand
  private seedNode = new Int32Array(256);
  private seedCost = new Float64Array(256);
  private seedSource = new Int32Array(256);

  constructor(
    prepared: PreparedNetwork | null, grid: PopulationGrid, facilities: FacilitySet, threshold: number,
    thresholdFor: ((cell: number) => number) | undefined, maxSnapMeters: number, costPerMeter: number,
  ) {
    this.threshold = threshold;
    this.grid = grid;
    this.prepared = prepared;
    this.graph = prepared?.graph ?? null;
    this.thresholdFor = thresholdFor;
    this.maxSnapMeters = maxSnapMeters;
    this.costPerMeter = costPerMeter;
    this.limit = new Float64Array(grid.count).fill(threshold);
    if (thresholdFor !== undefined) {
      for (let i = 0; i < grid.count; i++) {
        const t = thresholdFor(i);
        // the search stops at `threshold`, so a larger per-cell threshold could never be met
        if (!(t <= threshold) || Number.isNaN(t)) {
          throw new Error(`scenario: thresholdFor(cell ${i}) is ${t}, expected a number <= threshold ${threshold}; pass the largest per-cell threshold as threshold`);
        }
        this.limit[i] = t;
      }
    }
    this.unreachable = new Uint8Array(grid.count);
    if (prepared !== null) for (let i = 0; i < grid.count; i++) if (prepared.origins.segment[i] < 0) this.unreachable[i] = 1;
    this.cellStamp = new Uint32Array(grid.count);

    const snaps = prepared !== null ? snapPoints(prepared.graph, facilities.lon, facilities.lat, maxSnapMeters) : null;
    for (let f = 0; f < facilities.count; f++) {
      this.slots.push({
        id: facilities.id[f], lon: facilities.lon[f], lat: facilities.lat[f], name: facilities.name[f], category: facilities.category[f],
        capacity: facilities.capacity[f], properties: facilities.properties[f],
        segment: snaps ? snaps.segment[f] : -1, fraction: snaps ? snaps.fraction[f] : 0, offMeters: snaps ? snaps.offMeters[f] : Infinity,
      });
      this.alive.push(true);
      this.idToSlot.set(facilities.id[f], f);
    }
    this.facilitySet = facilities;

    if (prepared !== null && snaps !== null) {
      const graph = prepared.graph;
      const n = graph.network.nodeCount;
      // the baseline exactly as analyzeAccess computes it; slots start as facility indices
      const nodes = multiSourceDijkstra(graph, facilitySeeds(graph, snaps), threshold);
      const cells = originCosts(graph, nodes, prepared.origins, snaps, threshold);
      this.nodeCost = nodes.cost;
      this.nodeSource = nodes.source;
      this.cellCost = cells.cost;
      this.cellSlot = cells.facility;
      this.search = new BoundedSearch(graph);
      this.byNode = cellsByNode(n, graph.network.segA, graph.network.segB, prepared.origins);
      // arcs by head node, for the arcs entering a region being repaired
      const { firstArc, arcHead, arcCost } = graph;
      this.revFirst = new Int32Array(n + 1);
      for (let k = 0; k < arcHead.length; k++) this.revFirst[arcHead[k] + 1]++;
      for (let v = 0; v < n; v++) this.revFirst[v + 1] += this.revFirst[v];
      const fill = this.revFirst.slice(0, n);
      this.revTail = new Int32Array(arcHead.length);
      this.revCost = new Float64Array(arcHead.length);
      for (let v = 0; v < n; v++) {
        for (let k = firstArc[v]; k < firstArc[v + 1]; k++) {
          const at = fill[arcHead[k]]++;
          this.revTail[at] = v;
          this.revCost[at] = arcCost[k];
        }
      }
      this.ovStamp = new Uint32Array(n);
      this.ovCost = new Float64Array(n);
      this.ovSource = new Int32Array(n);
      this.ovList = new Int32Array(n);
      this.affected = new Uint32Array(n);
      this.cellIndex = null;
    } else {
      const maxMeters = threshold / costPerMeter;
      const r = straightLineAccess(facilities.lon, facilities.lat, grid.originLon, grid.originLat, maxMeters);
      if (costPerMeter !== 1) for (let i = 0; i < r.cost.length; i++) r.cost[i] *= costPerMeter;
      this.cellCost = r.cost;
      this.cellSlot = r.facility;
      this.cellIndex = new KDBush(Math.max(1, grid.count));
      for (let i = 0; i < grid.count; i++) this.cellIndex.add(grid.originLon[i], grid.originLat[i]);
      if (grid.count === 0) this.cellIndex.add(0, 0);
      this.cellIndex.finish();
      this.nodeCost = this.ovCost = new Float64Array(0);
      this.nodeSource = this.ovSource = this.ovList = new Int32Array(0);
      this.ovStamp = this.affected = new Uint32Array(0);
      this.revFirst = this.revTail = new Int32Array(0);
      this.revCost = new Float64Array(0);
      this.search = null;
      this.byNode = null;
    }
    this.rebuildSegSlots();
    this.summary = this.summarize(this.cellCost);
  }

  baseline(): ScenarioBaseline {
    const index = this.slotIndex(this.slotOrder(null, []));
    const facility = new Int32Array(this.grid.count);
    for (let i = 0; i < facility.length; i++) facility[i] = this.cellSlot[i] < 0 ? -1 : index[this.cellSlot[i]];
    return { facilities: this.facilitySet, cost: this.cellCost.slice(), facility, summary: this.summary };
  }

  apply(edits: ScenarioEdit[]): ScenarioResult {
    const t0 = performance.now();
    const r = this.applyCells(edits);
    const summary = this.summarize(r.cost);
    const p = this.pending!;
    const delta = coverageDelta(this.grid, this.summary, summary, this.limit, this.cellCost, p.cells, p.cellCost);
    const result: ScenarioResult = { ...r, summary, delta, ms: 0 };
    p.result = result;
    result.ms = performance.now() - t0;
    return result;
  }

  applyCells(edits: ScenarioEdit[]): ScenarioCells {
    const t0 = performance.now();
    if (!Array.isArray(edits)) throw new Error(`scenario: edits must be an array, found ${typeof edits}`);
    const { removed, placed } = this.plan(edits);
    const placedSlot = placed.map((p) => p.slotNumber);
    const placedSlots: Slot[] = placed.map((p) => p.slot);
    const unsnapped: string[] = [];
    if (this.graph !== null && placedSlots.length > 0) {
      const snaps = snapPoints(this.graph, placedSlots.map((p) => p.lon), placedSlots.map((p) => p.lat), this.maxSnapMeters);
      placedSlots.forEach((p, j) => {
        p.segment = snaps.segment[j];
        p.fraction = snaps.fraction[j];
        p.offMeters = snaps.offMeters[j];
        if (p.segment < 0) unsnapped.push(p.id);
      });
    }
    const changes = this.graph !== null
      ? this.applyNetwork(removed, placedSlots, placedSlot)
      : this.applyStraight(removed, placedSlots, placedSlot);

    // outputs in the edited set's numbering
    const order = this.slotOrder(removed, placedSlot);
    const index = this.slotIndex(order);
    // a placed slot (new, or moved) reads its new record, any other its baseline one
    const slotOf = (s: number): Slot => {
      const j = placedSlot.indexOf(s);
      return j >= 0 ? placedSlots[j] : this.slots[s];
    };
    const edited = createFacilitySet(order.map((s) => {
      const f = slotOf(s);
      return {
        lon: f.lon, lat: f.lat, id: f.id, name: f.name, category: f.category,
        capacity: Number.isNaN(f.capacity) ? undefined : f.capacity, properties: f.properties,
      };
    }), 'scenario');
    const cost = this.cellCost.slice();
    const facility = new Int32Array(this.grid.count);
    for (let i = 0; i < facility.length; i++) facility[i] = this.cellSlot[i] < 0 ? -1 : index[this.cellSlot[i]];
    for (let k = 0; k < changes.cells.length; k++) {
      const i = changes.cells[k];
      cost[i] = changes.cellCost[k];
      facility[i] = changes.cellSlot[k] < 0 ? -1 : index[changes.cellSlot[k]];
    }
    const result: ScenarioCells = { facilities: edited, cost, facility, changedCells: changes.cells, unsnapped, ms: 0 };
    this.pending = { removed, placed: placedSlots, placedSlot, ...changes, facilities: edited, result: null };
    result.ms = performance.now() - t0;
    return result;
  }

  commit(): FacilitySet {
    const p = this.pending;
    if (p === null) throw new Error('scenario: nothing to commit; call apply(edits) first (each apply can be committed once)');
    for (let k = 0; k < p.nodes.length; k++) {
      this.nodeCost[p.nodes[k]] = p.nodeCost[k];
      this.nodeSource[p.nodes[k]] = p.nodeSource[k];
    }
    for (let k = 0; k < p.cells.length; k++) {
      this.cellCost[p.cells[k]] = p.cellCost[k];
      this.cellSlot[p.cells[k]] = p.cellSlot[k];
    }
    for (let s = 0; s < p.removed.length; s++) {
      if (!p.removed[s]) continue;
      this.alive[s] = false;
      if (this.idToSlot.get(this.slots[s].id) === s) this.idToSlot.delete(this.slots[s].id);
    }
    // placed slots are either moved baseline slots or new ones numbered from slots.length upwards
    const order = p.placedSlot.map((s, j) => [s, j]).sort((a, b) => a[0] - b[0]);
    for (const [s, j] of order) {
      if (s < this.slots.length) this.slots[s] = p.placed[j];
      else this.slots.push(p.placed[j]);
      this.alive[s] = true;
      this.idToSlot.set(p.placed[j].id, s);
    }
    this.rebuildSegSlots();
    this.summary = p.result?.summary ?? this.summarize(this.cellCost);
    this.facilitySet = p.facilities;
    this.pending = null;
    return this.facilitySet;
  }

  // resolves the edit list into baseline slots that leave their place and slots placed anew
  private plan(edits: ScenarioEdit[]): { removed: Uint8Array; placed: Array<{ slotNumber: number; slot: Slot }> } {
    const gone = new Set<string>();
    const placed = new Map<string, { slotNumber: number; slot: Slot }>();
    let next = this.slots.length;
    const exists = (id: string) => placed.has(id) || (this.idToSlot.has(id) && !gone.has(id));
    edits.forEach((e, k) => {
      const where = `scenario edit ${k} (${foundOp(e)})`;
      if (e === null || typeof e !== 'object') throw new Error(`${where}: expected an object with op add, remove or move, found ${String(e)}`);
      if (e.id === undefined || e.id === null || String(e.id) === '') throw new Error(`${where}: expected an id, found none`);
      const id = String(e.id);
      if (e.op === 'add' || e.op === 'move') {
        if (!Number.isFinite(e.lon) || !Number.isFinite(e.lat) || e.lon < -180 || e.lon > 180 || e.lat < -90 || e.lat > 90) {
          throw new Error(`${where}: expected lon in [-180,180] and lat in [-90,90], found (${e.lon}, ${e.lat})`);
        }
      }
      if (e.op === 'add') {
        if (exists(id)) throw new Error(`${where}: facility id '${id}' already exists; ids must be unique (use move to relocate it)`);
        placed.set(id, {
          slotNumber: next++,
          slot: {
            id, lon: e.lon, lat: e.lat, name: e.name ?? '', category: e.category ?? '', capacity: e.capacity ?? NaN,
            properties: e.properties ?? {}, segment: -1, fraction: 0, offMeters: Infinity,
          },
        });
      } else if (e.op === 'remove' || e.op === 'move') {
        if (!exists(id)) throw new Error(`${where}: no facility with id '${id}' in the scenario`);
        const p = placed.get(id);
        if (e.op === 'remove') {
          placed.delete(id);
          gone.add(id);
        } else if (p !== undefined) {
          p.slot.lon = e.lon;
          p.slot.lat = e.lat;
        } else {
          const s = this.idToSlot.get(id)!;
          placed.set(id, { slotNumber: s, slot: { ...this.slots[s], lon: e.lon, lat: e.lat, segment: -1, fraction: 0, offMeters: Infinity } });
        }
      } else {
        throw new Error(`${where}: op must be 'add', 'remove' or 'move', found '${String((e as { op: unknown }).op)}'`);
      }
    });
    const removed = new Uint8Array(next);
    for (const id of gone) {
      const s = this.idToSlot.get(id);
      if (s !== undefined) removed[s] = 1;
    }
    const list = [...placed.values()].sort((a, b) => a.slotNumber - b.slotNumber);
    // a moved baseline facility leaves its old place too
    for (const p of list) if (p.slotNumber < this.slots.length) removed[p.slotNumber] = 1;
    return { removed, placed: list };
  }

  private applyNetwork(removed: Uint8Array, placed: Slot[], placedSlot: number[]) {
    const graph = this.graph!, search = this.search!, byNode = this.byNode!, origins = this.prepared!.origins;
    const { nodeCost, nodeSource, ovStamp, ovCost, ovSource, ovList, affected, threshold } = this;
    const n = graph.network.nodeCount;
    // a fresh run number invalidates the overlay at once; wrap-around clears the stamps
    if (this.run === 0xffffffff) { ovStamp.fill(0); affected.fill(0); this.run = 0; }
    const run = ++this.run;
    let ovCount = 0;
    let anyRemoved = false;
    for (let s = 0; s < this.slots.length; s++) if (removed[s]) { anyRemoved = true; break; }

    if (anyRemoved) {
      // nodes whose nearest facility left, and the arcs entering them from nodes that keep their label
      const list: number[] = [];
      for (let v = 0; v < n; v++) {
        const src = nodeSource[v];
        if (src >= 0 && removed[src]) { affected[v] = run; list.push(v); }
      }
      let m = 0;
      for (const w of list) {
        for (let k = this.revFirst[w]; k < this.revFirst[w + 1]; k++) {
          const v = this.revTail[k];
          if (affected[v] === run || nodeCost[v] === Infinity) continue;
          this.ensureSeeds(m + 1);
          this.seedNode[m] = w;
          this.seedCost[m] = nodeCost[v] + this.revCost[k];
          this.seedSource[m++] = nodeSource[v];
        }
      }
      for (let s = 0; s < this.slots.length; s++) {
        if (!this.alive[s] || removed[s]) continue;
        const f = this.slots[s];
        this.ensureSeeds(m + 2);
        m = pointSeeds(graph, f.segment, f.fraction, f.offMeters, s, this.seedNode, this.seedCost, this.seedSource, m);
      }
      search.run(this.seedNode, this.seedCost, this.seedSource, m, threshold, affected, run);
      for (const w of list) {
        ovStamp[w] = run;
        ovCost[w] = search.cost(w);
        ovSource[w] = search.source(w);
        ovList[ovCount++] = w;
      }
    }

    // a placed site only explores where it beats the labels so far: exact, and as cheap as what it improves
    const labels = { stamp: ovStamp, run, overCost: ovCost, overSource: ovSource, baseCost: nodeCost, baseSource: nodeSource };
    for (let j = 0; j < placed.length; j++) {
      const f = placed[j], slot = placedSlot[j];
      this.ensureSeeds(2);
      const m = pointSeeds(graph, f.segment, f.fraction, f.offMeters, slot, this.seedNode, this.seedCost, this.seedSource, 0);
      if (m === 0) continue;
      search.run(this.seedNode, this.seedCost, this.seedSource, m, threshold, null, 0, labels);
      for (let k = 0; k < search.settledCount; k++) {
        const v = search.settled[k];
        const d = search.cost(v);
        const over = ovStamp[v] === run;
        const cur = over ? ovCost[v] : nodeCost[v], curSrc = over ? ovSource[v] : nodeSource[v];
        if (d < cur || (d === cur && slot < curSrc)) {
          if (!over) { ovStamp[v] = run; ovList[ovCount++] = v; }
          ovCost[v] = d;
          ovSource[v] = slot;
        }
      }
    }

    // cells on a segment with a relabelled end, or sharing a segment with a facility that came or went
    const cellRun = this.nextCellRun();
    const stamp = this.cellStamp;
    const touched: number[] = [];
    const visitNode = (v: number) => {
      for (let k = byNode.first[v]; k < byNode.first[v + 1]; k++) {
        const i = byNode.cell[k];
        if (stamp[i] !== cellRun) { stamp[i] = cellRun; touched.push(i); }
      }
    };
    for (let k = 0; k < ovCount; k++) visitNode(ovList[k]);
    const { segA, segB } = graph.network;
    const placedBySeg = new Map<number, number[]>();
    for (let j = 0; j < placed.length; j++) {
      const s = placed[j].segment;
      if (s < 0) continue;
      visitNode(segA[s]);
      const l = placedBySeg.get(s);
      if (l) l.push(j); else placedBySeg.set(s, [j]);
    }
    for (let s = 0; s < this.slots.length; s++) if (removed[s] && this.slots[s].segment >= 0) visitNode(segA[this.slots[s].segment]);

    const perMeter = graph.offNetworkCostPerMeter;
    const cells: number[] = [], cellCost: number[] = [], cellSlot: number[] = [];
    for (const i of touched) {
      const s = origins.segment[i];
      const t = origins.fraction[i];
      const a = segA[s], b = segB[s];
      // the same comparisons, in the same order, as originCosts
      let best = Infinity, bestF = -1;
      const ca = ovStamp[a] === run ? ovCost[a] : nodeCost[a], sa = ovStamp[a] === run ? ovSource[a] : nodeSource[a];
      const cb = ovStamp[b] === run ? ovCost[b] : nodeCost[b], sb = ovStamp[b] === run ? ovSource[b] : nodeSource[b];
      const fwd = forwardCost(graph, s), bwd = backwardCost(graph, s);
      if (fwd < Infinity && ca < Infinity) {
        const c = ca + t * fwd;
        if (c < best || (c === best && sa < bestF)) { best = c; bestF = sa; }
      }
      if (bwd < Infinity && cb < Infinity) {
        const c = cb + (1 - t) * bwd;
        if (c < best || (c === best && sb < bestF)) { best = c; bestF = sb; }
      }
      const same = this.segSlots.get(s);
      if (same) {
        for (const f of same) {
          if (removed[f]) continue;
          const c = alongSegmentCost(graph, s, t, this.slots[f].fraction, this.slots[f].offMeters);
          if (c < best || (c === best && f < bestF)) { best = c; bestF = f; }
        }
      }
      const mine = placedBySeg.get(s);
      if (mine) {
        for (const j of mine) {
          const f = placedSlot[j];
          const c = alongSegmentCost(graph, s, t, placed[j].fraction, placed[j].offMeters);
          if (c < best || (c === best && f < bestF)) { best = c; bestF = f; }
        }
      }
      best += origins.offMeters[i] * perMeter;
      const newCost = best <= threshold ? best : Infinity, newSlot = best <= threshold ? bestF : -1;
      if (newCost !== this.cellCost[i] || newSlot !== this.cellSlot[i]) {
        cells.push(i); cellCost.push(newCost); cellSlot.push(newSlot);
      }
    }
    const nodes = ovList.slice(0, ovCount);
    const nodeCostOut = new Float64Array(ovCount), nodeSourceOut = new Int32Array(ovCount);
    for (let k = 0; k < ovCount; k++) { nodeCostOut[k] = ovCost[nodes[k]]; nodeSourceOut[k] = ovSource[nodes[k]]; }
    return {
      nodes, nodeCost: nodeCostOut, nodeSource: nodeSourceOut,
      cells: Int32Array.from(cells), cellCost: Float64Array.from(cellCost), cellSlot: Int32Array.from(cellSlot),
    };
  }

  private applyStraight(removed: Uint8Array, placed: Slot[], placedSlot: number[]) {
    const grid = this.grid, index = this.cellIndex!;
    const maxMeters = this.threshold / this.costPerMeter;
    const cellRun = this.nextCellRun();
    const stamp = this.cellStamp;
    const touched: number[] = [];
    for (let i = 0; i < grid.count; i++) {
      const s = this.cellSlot[i];
      if (s >= 0 && removed[s]) { stamp[i] = cellRun; touched.push(i); }
    }
    // a box a little wider than the radius holds every cell the new site could serve
    const r = maxMeters * 1.001 + 1;
    const dLat = (r / EARTH_RADIUS_M) * (180 / Math.PI);
    for (const f of placed) {
      const cos = Math.cos((Math.min(89, Math.abs(f.lat) + dLat) * Math.PI) / 180);
      const dLon = dLat / Math.max(cos, 1e-6);
      for (const i of index.range(f.lon - dLon, f.lat - dLat, f.lon + dLon, f.lat + dLat)) {
        if (i < grid.count && stamp[i] !== cellRun) { stamp[i] = cellRun; touched.push(i); }
      }
    }
    // the touched cells are recomputed with the full run's own function over the edited set
    const order = this.slotOrder(removed, placedSlot);
    const lon = new Float64Array(order.length), lat = new Float64Array(order.length);
    order.forEach((s, k) => {
      const j = placedSlot.indexOf(s);
      const f = j >= 0 ? placed[j] : this.slots[s];
      lon[k] = f.lon;
      lat[k] = f.lat;
    });
    const subLon = new Float64Array(touched.length), subLat = new Float64Array(touched.length);
    touched.forEach((i, k) => { subLon[k] = grid.originLon[i]; subLat[k] = grid.originLat[i]; });
    const sub = straightLineAccess(lon, lat, subLon, subLat, maxMeters);
    const cells: number[] = [], cellCost: number[] = [], cellSlot: number[] = [];
    touched.forEach((i, k) => {
      const c = this.costPerMeter !== 1 ? sub.cost[k] * this.costPerMeter : sub.cost[k];
      const s = sub.facility[k] < 0 ? -1 : order[sub.facility[k]];
      if (c !== this.cellCost[i] || s !== this.cellSlot[i]) { cells.push(i); cellCost.push(c); cellSlot.push(s); }
    });
    return {
      nodes: new Int32Array(0), nodeCost: new Float64Array(0), nodeSource: new Int32Array(0),
      cells: Int32Array.from(cells), cellCost: Float64Array.from(cellCost), cellSlot: Int32Array.from(cellSlot),
    };
  }

  // slots of a scenario in facility order: alive baseline slots that stay, plus the placed ones
  private slotOrder(removed: Uint8Array | null, placedSlot: number[]): number[] {
    const order: number[] = [];
    for (let s = 0; s < this.slots.length; s++) if (this.alive[s] && (removed === null || !removed[s])) order.push(s);
    for (const s of placedSlot) order.push(s);
    return order.sort((a, b) => a - b);
  }

  private slotIndex(order: number[]): Int32Array {
    const top = order.length > 0 ? Math.max(this.slots.length, order[order.length - 1] + 1) : this.slots.length;
    const index = new Int32Array(top).fill(-1);
    order.forEach((s, k) => { index[s] = k; });
    return index;
  }

  private summarize(cost: Float64Array): CoverageSummary {
    const limit = this.limit;
    return summarizeCoverage(this.grid, cost, this.threshold, {
      unreachable: this.graph !== null ? this.unreachable : undefined,
      thresholdFor: this.thresholdFor !== undefined ? (i) => limit[i] : undefined,
    });
  }

  private rebuildSegSlots(): void {
    this.segSlots = new Map();
    for (let s = 0; s < this.slots.length; s++) {
      if (!this.alive[s] || this.slots[s].segment < 0) continue;
      const seg = this.slots[s].segment;
      const l = this.segSlots.get(seg);
      if (l) l.push(s); else this.segSlots.set(seg, [s]);
    }
  }

  private nextCellRun(): number {
    if (this.cellRun === 0xffffffff) { this.cellStamp.fill(0); this.cellRun = 0; }
    return ++this.cellRun;
  }

  private ensureSeeds(size: number): void {
    if (size <= this.seedNode.length) return;
    const cap = Math.max(size, this.seedNode.length * 2);
    const node = new Int32Array(cap), cost = new Float64Array(cap), source = new Int32Array(cap);
    node.set(this.seedNode); cost.set(this.seedCost); source.set(this.seedSource);
    this.seedNode = node; this.seedCost = cost; this.seedSource = source;
  }
}

function foundOp(e: unknown): string {
  const op = e !== null && typeof e === 'object' ? (e as { op?: unknown }).op : undefined;
  return typeof op === 'string' ? op : 'no op';
}

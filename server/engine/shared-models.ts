import type { MessagePort } from 'node:worker_threads';
import { createLocalProjection } from '../../analysis/geo/local-projection.ts';
import type { AdminUnits } from '../../analysis/grid/assign-units.ts';
import type { PopulationGrid } from '../../analysis/grid/population-grid.ts';
import type { RoadNetwork } from '../../analysis/network/road-network.ts';
import type { UrbanRuleName } from '../../analysis/standards/urban-rural.ts';

/** The immutable, heavy part of a region model: what every engine thread would otherwise load and decode itself. */
export interface SharedModelParts {
  readonly grid: PopulationGrid;
  readonly units: AdminUnits;
  readonly network: RoadNetwork | null;
  readonly urbanRule: UrbanRuleName;
  readonly synthetic: boolean;
}

/**
 * Where an engine thread finds a region another thread loaded. `get` answers the parts, or null to say "load
 * it yourself and `put` it" (to one asker at a time: the others wait for that put); `drop` says the load failed.
 */
export interface SharedModelStore {
  get(key: string): Promise<SharedModelParts | null>;
  put(key: string, parts: SharedModelParts): void;
  drop(key: string): void;
}

type Typed = Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

function shared<T extends Typed>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

/**
 * The parts with every typed array in a SharedArrayBuffer (one per array), so posting them to another thread
 * shares the memory instead of copying it; the projection travels as its centre.
 *
 * @example const parts = toSharedParts({ grid, units, network, urbanRule, synthetic });
 */
export function toSharedParts(p: SharedModelParts): SharedModelParts {
  const g = p.grid;
  const grid: PopulationGrid = {
    ...g, cellIndex: shared(g.cellIndex), originLon: shared(g.originLon), originLat: shared(g.originLat),
    population: shared(g.population), aged60: shared(g.aged60), urbanClass: shared(g.urbanClass), unit: shared(g.unit),
  };
  const n = p.network;
  const network: RoadNetwork | null = n && {
    ...n, nodeLon: shared(n.nodeLon), nodeLat: shared(n.nodeLat), nodeX: shared(n.nodeX), nodeY: shared(n.nodeY),
    segA: shared(n.segA), segB: shared(n.segB), segLength: shared(n.segLength), segClass: shared(n.segClass),
    segWay: shared(n.segWay), segForward: shared(n.segForward), segBackward: shared(n.segBackward),
  };
  return { ...p, grid, network };
}

/** What crosses between threads: the projection as its centre, numeric way ids as one shared array. */
type PlainNetwork = Omit<RoadNetwork, 'proj' | 'wayIds'> & { proj: { lon0: number; lat0: number }; wayIds: (string | number)[] | Float64Array };

/** Parts made whole again after the crossing: projection rebuilt, way ids a plain array. */
function revived(p: SharedModelParts): SharedModelParts {
  const n = p.network as unknown as PlainNetwork | null;
  if (!n) return p;
  const wayIds = n.wayIds instanceof Float64Array ? Array.from(n.wayIds) : n.wayIds;
  return { ...p, network: { ...n, wayIds, proj: createLocalProjection(n.proj.lon0, n.proj.lat0) } };
}

// a province's 350 k way ids as a JS array would be cloned on the main thread at every hand-over: as numbers
// in a SharedArrayBuffer they cross for nothing
function plain(p: SharedModelParts): SharedModelParts {
  const n = p.network;
  if (!n) return p;
  const numeric = n.wayIds.every((w) => typeof w === 'number');
  const wayIds = numeric ? shared(Float64Array.from(n.wayIds as number[])) : n.wayIds;
  return { ...p, network: { ...n, wayIds, proj: { lon0: n.proj.lon0, lat0: n.proj.lat0 } } as unknown as RoadNetwork };
}

/** Messages between an engine thread and the hub, on the task's port beside its database queries. */
export type ModelAsk =
  | { t: 'model-get'; id: number; key: string }
  | { t: 'model-put'; key: string; parts: SharedModelParts }
  | { t: 'model-drop'; key: string };
export type ModelAnswer = { t: 'model'; id: number; parts: SharedModelParts | null };

/** An engine thread's store, asking the hub over the current task's port. */
export function modelStoreOverPort(port: MessagePort): SharedModelStore {
  let next = 0;
  const waiting = new Map<number, (p: SharedModelParts | null) => void>();
  port.on('message', (m: ModelAnswer) => {
    if (m.t !== 'model') return;
    waiting.get(m.id)?.(m.parts && revived(m.parts));
    waiting.delete(m.id);
  });
  return {
    get: (key) => new Promise((ok) => { const id = ++next; waiting.set(id, ok); port.postMessage({ t: 'model-get', id, key } satisfies ModelAsk); }),
    put: (key, parts) => port.postMessage({ t: 'model-put', key, parts: plain(parts) } satisfies ModelAsk),
    drop: (key) => port.postMessage({ t: 'model-drop', key } satisfies ModelAsk),
  };
}

/** The main thread's side: regions loaded by one engine thread, handed to the others; the newest few kept. */
export interface ModelHub {
  /** answers one message of a task's port; `owner` names the task, so a task that dies is not waited on */
  handle(owner: object, m: ModelAsk, reply: (a: ModelAnswer) => void): void;
  /** a task ended: loads it claimed and never put are given up, and whoever waited on them loads itself */
  release(owner: object): void;
}

export function createModelHub(max = 4): ModelHub {
  const held = new Map<string, SharedModelParts>();
  const loading = new Map<string, { owner: object; waiters: Array<(p: SharedModelParts | null) => void> }>();
  const giveUp = (key: string) => {
    const l = loading.get(key);
    loading.delete(key);
    if (!l || l.waiters.length === 0) return;
    // the first waiter loads next (and becomes the owner); the rest wait on it
    const first = l.waiters.shift()!;
    loading.set(key, l);
    first(null);
  };
  return {
    handle(owner, m, reply) {
      if (m.t === 'model-get') {
        const have = held.get(m.key);
        if (have) { held.delete(m.key); held.set(m.key, have); return reply({ t: 'model', id: m.id, parts: have }); }
        const l = loading.get(m.key);
        if (l) { l.waiters.push((parts) => { if (parts === null) l.owner = owner; reply({ t: 'model', id: m.id, parts }); }); return; }
        loading.set(m.key, { owner, waiters: [] });
        return reply({ t: 'model', id: m.id, parts: null });
      }
      if (m.t === 'model-put') {
        held.set(m.key, m.parts);
        if (held.size > max) held.delete(held.keys().next().value!);
        const l = loading.get(m.key);
        loading.delete(m.key);
        for (const w of l?.waiters ?? []) w(m.parts);
        return;
      }
      giveUp(m.key);
    },
    release(owner) {
      for (const [key, l] of [...loading]) if (l.owner === owner) giveUp(key);
    },
  };
}

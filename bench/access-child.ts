// One access run in a process of its own, so its peak memory is its own: reads an AccessRequest from the directory
// writeRequest filled, writes the AccessResult v8-serialized, prints memory, time and the run's phases.
// Run by bench/tiles-bench.ts: node --import tsx bench/access-child.ts request-dir result.bin
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { analyzeAccess, type AccessRequest } from '../analysis/accessibility/analyze-access.ts';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';
import type { RoadNetwork } from '../analysis/network/road-network.ts';

const TYPED = { Float64Array, Float32Array, Int32Array, Uint32Array, Uint16Array, Uint8Array } as const;
type TypedName = keyof typeof TYPED;
// arrays above this go to a file of their own, read straight into their buffer: the inputs are never held twice
const RAW_BYTES = 1 << 16;

/**
 * Writes a request into `dir`: its big typed arrays as raw files, the rest (and their places) v8-serialized.
 * The network's projection travels as its centre and is rebuilt (bit-identical) on arrival.
 */
export function writeRequest(dir: string, request: AccessRequest): void {
  mkdirSync(dir, { recursive: true });
  const { network } = request;
  let files = 0;
  const strip = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v) && v.byteLength > RAW_BYTES) {
      const name = v.constructor.name as TypedName;
      if (!(name in TYPED)) throw new Error(`writeRequest: no reader for ${name}`);
      const file = `${files++}.bin`;
      writeFileSync(join(dir, file), new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return { rawFile: file, type: name, length: (v as Float64Array).length };
    }
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
    if (Array.isArray(v)) return v.map(strip);
    return Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x !== 'function').map(([k, x]) => [k, strip(x)]));
  };
  const plain = { ...request, onProgress: undefined, prepared: undefined, network: network && { ...network, proj: { lon0: network.proj.lon0, lat0: network.proj.lat0 } } };
  writeFileSync(join(dir, 'request.v8'), serialize(strip(plain)));
}

/** The request `writeRequest` wrote, each array read into a buffer of its own and the projection rebuilt. */
export function readRequest(dir: string): AccessRequest {
  const fill = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
    if (Array.isArray(v)) return v.map(fill);
    const raw = v as { rawFile?: string; type?: TypedName; length?: number };
    if (typeof raw.rawFile === 'string') {
      const array = new TYPED[raw.type!](raw.length!);
      const fd = openSync(join(dir, raw.rawFile), 'r');
      try { readSync(fd, new Uint8Array(array.buffer), 0, array.byteLength, 0); } finally { closeSync(fd); }
      return array;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
  };
  const request = fill(deserialize(readFileSync(join(dir, 'request.v8')))) as AccessRequest;
  const network = request.network as (Omit<RoadNetwork, 'proj'> & { proj: { lon0: number; lat0: number } }) | undefined;
  return { ...request, network: network && { ...network, proj: createLocalProjection(network.proj.lon0, network.proj.lat0) } };
}

/** Peak resident memory of this process in MB: Linux's VmHWM, which starts afresh at exec (getrusage's maxRSS keeps the forking parent's). */
export function peakMB(): number {
  const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
  const kb = /VmHWM:\s+(\d+) kB/.exec(status);
  return kb ? Math.round(Number(kb[1]) / 1024) : Math.round(process.resourceUsage().maxRSS / 1024);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output] = process.argv.slice(2);
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  if (input === undefined) {
    // nothing to run: the bare process, to tell the runtime's own memory from the run's
    console.log(JSON.stringify({ loadedMB: mb(process.memoryUsage().rss), peakMB: peakMB(), ms: 0 }));
  } else {
    const request = readRequest(input);
    const loadedMB = mb(process.memoryUsage().rss);
    // the time from each progress step to the next: where the run's time goes
    const phases: Record<string, number> = {}, peaks: Record<string, number> = {};
    let step = '', since = performance.now();
    const t = since;
    const result = analyzeAccess({
      ...request,
      onProgress: (next) => {
        if (next === step) return;
        const now = performance.now();
        if (step !== '') { phases[step] = (phases[step] ?? 0) + now - since; peaks[step] = peakMB(); }
        step = next; since = now;
      },
    });
    const ms = performance.now() - t;
    if (step !== '') { phases[step] = (phases[step] ?? 0) + performance.now() - since; peaks[step] = peakMB(); }
    // the peak before the result is written: writing it is the bench's cost, not the run's
    const peak = peakMB();
    writeFileSync(output, serialize(result));
    console.log(JSON.stringify({ loadedMB, peakMB: peak, ms, phases, peaks }));
  }
}

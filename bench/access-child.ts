// One access run in a process of its own, so its peak memory is its own: reads a v8-serialized AccessRequest
// (projection as its centre only: functions do not serialize), writes the AccessResult beside it, prints memory.
// Run by bench/tiles-bench.ts: node --import tsx bench/access-child.ts request.bin result.bin
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { analyzeAccess, type AccessRequest } from '../analysis/accessibility/analyze-access.ts';
import { createLocalProjection } from '../analysis/geo/local-projection.ts';
import type { RoadNetwork } from '../analysis/network/road-network.ts';

/** A request as bytes: the network's projection travels as its centre and is rebuilt (bit-identical) on arrival. */
export function requestBytes(request: AccessRequest): Buffer {
  const { network } = request;
  return serialize({ ...request, onProgress: undefined, prepared: undefined, network: network && { ...network, proj: { lon0: network.proj.lon0, lat0: network.proj.lat0 } } });
}

/** The request `requestBytes` wrote, its projection rebuilt. */
export function requestOf(bytes: Buffer): AccessRequest {
  const request = deserialize(bytes) as AccessRequest;
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
    const request = requestOf(readFileSync(input));
    const loadedMB = mb(process.memoryUsage().rss);
    const t = performance.now();
    const result = analyzeAccess(request);
    const ms = performance.now() - t;
    // the peak before the result is written: writing it is the bench's cost, not the run's
    const peak = peakMB();
    writeFileSync(output, serialize(result));
    console.log(JSON.stringify({ loadedMB, peakMB: peak, ms }));
  }
}

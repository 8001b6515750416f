import type { RoadSource, RoadWay } from '../../../analysis/network/road-network.ts';
import { packColumns, unpackColumns } from '../../db/binary-columns.ts';

/**
 * A road source (nodes and OSM-like ways) as one bytea value: node coordinates and way node lists as
 * columns, each distinct tag set stored once. The routable network is rebuilt from it on load.
 *
 * @example const buf = encodeRoads(source); const again = decodeRoads(buf);
 */
export function encodeRoads(source: RoadSource): Buffer {
  const tagSets: Record<string, string>[] = [];
  const tagIndex = new Map<string, number>();
  const n = source.ways.length;
  const wayTags = new Uint32Array(n), wayOffsets = new Uint32Array(n + 1);
  let total = 0;
  for (const w of source.ways) total += w.nodes.length;
  const wayNodes = new Uint32Array(total);
  const wayIds: (string | number | null)[] = [];
  let k = 0;
  source.ways.forEach((w, i) => {
    const key = JSON.stringify(Object.entries(w.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let t = tagIndex.get(key);
    if (t === undefined) { t = tagSets.length; tagSets.push(w.tags); tagIndex.set(key, t); }
    wayTags[i] = t;
    wayOffsets[i] = k;
    for (let j = 0; j < w.nodes.length; j++) wayNodes[k++] = w.nodes[j];
    wayIds.push(w.id ?? null);
  });
  wayOffsets[n] = k;
  return packColumns({ tagSets, wayIds }, { lon: source.lon, lat: source.lat, wayOffsets, wayNodes, wayTags });
}

export function decodeRoads(buf: Uint8Array): RoadSource {
  const u = unpackColumns(buf, 'road network');
  const tagSets = u.header.tagSets as Record<string, string>[];
  const wayIds = u.header.wayIds as (string | number | null)[];
  const offsets = u.column('wayOffsets', 'u32'), nodes = u.column('wayNodes', 'u32'), tags = u.column('wayTags', 'u32');
  const ways: RoadWay[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) {
    const id = wayIds[i];
    ways.push({ nodes: nodes.subarray(offsets[i], offsets[i + 1]), tags: tagSets[tags[i]], ...(id === null ? {} : { id }) });
  }
  return { lon: u.column('lon', 'f64'), lat: u.column('lat', 'f64'), ways };
}

import { createLocalProjection, haversineMeters, type LocalProjection } from '../geo/local-projection.ts';
import { MODES, type Mode } from './speed-table.ts';

/** One OSM-like way: node references into the source's coordinate arrays, and its tags. */
export interface RoadWay {
  nodes: ArrayLike<number>;
  tags: Record<string, string>;
  id?: string | number;
}

/** Roads as parsed from OSM PBF or GeoJSON, before any routing structure exists. */
export interface RoadSource {
  lon: Float64Array;
  lat: Float64Array;
  ways: RoadWay[];
}

/** Bit per mode in the access masks. */
export const MODE_BIT: Record<Mode, number> = { walk: 1, 'elderly-walk': 2, bike: 4, car: 8 };

/**
 * The road network as straight segments between consecutive way nodes (column arrays), with per-mode access
 * in each direction. Speeds are applied later, per mode, by `buildModeGraph`, so one network serves every mode.
 */
export interface RoadNetwork {
  readonly nodeCount: number;
  readonly nodeLon: Float64Array;
  readonly nodeLat: Float64Array;
  readonly segmentCount: number;
  readonly segA: Int32Array;
  readonly segB: Int32Array;
  /** metres, haversine */
  readonly segLength: Float64Array;
  /** index into classNames */
  readonly segClass: Uint16Array;
  /** index into the source's ways */
  readonly segWay: Int32Array;
  /** MODE_BIT mask of modes allowed a→b, and b→a */
  readonly segForward: Uint8Array;
  readonly segBackward: Uint8Array;
  readonly classNames: string[];
  readonly wayIds: (string | number)[];
  /** local projection centred on the network; segment ends in metres, for snapping */
  readonly proj: LocalProjection;
  readonly nodeX: Float64Array;
  readonly nodeY: Float64Array;
  /** ways dropped (not roads, or too short) by reason, for the report */
  readonly skipped: Record<string, number>;
}

// ways that are not (yet) usable roads
const NOT_ROADS = new Set(['proposed', 'construction', 'abandoned', 'disused', 'razed', 'platform', 'raceway', 'bus_guideway', 'escape', 'elevator', 'rest_area', 'services']);
const NO = new Set(['no', 'private']);
const YES = new Set(['yes', 'designated', 'permissive', 'destination', 'customers', 'delivery', 'official']);

function modeAllowed(tags: Record<string, string>, mode: Mode): boolean {
  const general = tags.access;
  const chain: string[] =
    mode === 'car' ? ['motorcar', 'motor_vehicle', 'vehicle'] : mode === 'bike' ? ['bicycle', 'vehicle'] : ['foot'];
  for (const key of chain) {
    const v = tags[key];
    if (v === undefined) continue;
    if (NO.has(v)) return false;
    if (YES.has(v)) return true;
  }
  return general === undefined || !NO.has(general);
}

/** +1 forward only, -1 backward only, 0 both ways, for vehicles. */
function onewayOf(tags: Record<string, string>): -1 | 0 | 1 {
  const v = tags.oneway;
  if (v === 'yes' || v === 'true' || v === '1') return 1;
  if (v === '-1' || v === 'reverse') return -1;
  if (v === 'no' || v === 'false' || v === '0') return 0;
  if (tags.junction === 'roundabout' || tags.junction === 'circular') return 1;
  if (tags.highway === 'motorway') return 1;
  return 0;
}

/**
 * Builds the segment network from OSM-like ways: one-way rules for car and bike, access tags per mode
 * (foot=no, access=private…); classes that no mode may use are closed later by the speed table.
 *
 * @example
 * const net = buildRoadNetwork({ lon, lat, ways: [{ nodes: [0, 1, 2], tags: { highway: 'residential' } }] });
 */
export function buildRoadNetwork(source: RoadSource): RoadNetwork {
  const { lon, lat, ways } = source;
  if (lon.length !== lat.length) throw new Error(`roads: ${lon.length} longitudes but ${lat.length} latitudes`);
  const skipped: Record<string, number> = {};
  const skip = (why: string) => { skipped[why] = (skipped[why] ?? 0) + 1; };
  const classIndex = new Map<string, number>();
  const classNames: string[] = [];
  const wayIds: (string | number)[] = new Array(ways.length);
  // pass 1, per way: its class and directions, or -1 where it is skipped; and how many segments at most
  const wayClass = new Int32Array(ways.length).fill(-1), wayF = new Uint8Array(ways.length), wayB = new Uint8Array(ways.length);
  let bound = 0;
  for (let w = 0; w < ways.length; w++) {
    const way = ways[w];
    wayIds[w] = way.id ?? w;
    const hw = way.tags.highway;
    if (hw === undefined) { skip('no highway tag'); continue; }
    if (NOT_ROADS.has(hw)) { skip(`highway=${hw}`); continue; }
    if (way.nodes.length < 2) { skip('fewer than 2 nodes'); continue; }
    let cls = classIndex.get(hw);
    if (cls === undefined) {
      cls = classNames.length;
      classNames.push(hw);
      classIndex.set(hw, cls);
    }
    const oneway = onewayOf(way.tags);
    const bikeBothWays = way.tags['oneway:bicycle'] === 'no' || (way.tags.cycleway ?? '').startsWith('opposite');
    let fwd = 0, bwd = 0;
    for (const mode of MODES) {
      if (!modeAllowed(way.tags, mode)) continue;
      const bit = MODE_BIT[mode];
      const vehicle = mode === 'car' || (mode === 'bike' && !bikeBothWays);
      const dir = vehicle ? oneway : 0;
      if (dir >= 0) fwd |= bit;
      if (dir <= 0) bwd |= bit;
    }
    if (fwd === 0 && bwd === 0) { skip('closed to every mode by access tags'); continue; }
    wayClass[w] = cls; wayF[w] = fwd; wayB[w] = bwd;
    bound += way.nodes.length - 1;
  }
  // pass 2 into typed arrays of that size (a province's 12 M segments in plain arrays cost seconds and GBs)
  const nodeMap = new Int32Array(lon.length).fill(-1);
  const usedNodes = new Int32Array(lon.length);
  let nodeCount = 0, segmentCount = 0;
  const segA = new Int32Array(bound), segB = new Int32Array(bound), segClass = new Uint16Array(bound), segWay = new Int32Array(bound);
  const segF = new Uint8Array(bound), segBk = new Uint8Array(bound);
  for (let w = 0; w < ways.length; w++) {
    const cls = wayClass[w];
    if (cls < 0) continue;
    const nodes = ways[w].nodes;
    for (let k = 0; k + 1 < nodes.length; k++) {
      const a = nodes[k], b = nodes[k + 1];
      if (a === b) continue;
      if (a < 0 || a >= lon.length || b < 0 || b >= lon.length) {
        throw new Error(`roads: way ${ways[w].id ?? w} refers to node index ${a < 0 || a >= lon.length ? a : b}, but only ${lon.length} nodes exist`);
      }
      if (nodeMap[a] < 0) { nodeMap[a] = nodeCount; usedNodes[nodeCount++] = a; }
      if (nodeMap[b] < 0) { nodeMap[b] = nodeCount; usedNodes[nodeCount++] = b; }
      segA[segmentCount] = nodeMap[a];
      segB[segmentCount] = nodeMap[b];
      segClass[segmentCount] = cls;
      segWay[segmentCount] = w;
      segF[segmentCount] = wayF[w];
      segBk[segmentCount] = wayB[w];
      segmentCount++;
    }
  }
  if (nodeCount === 0) throw new Error('roads: no usable road segments (no ways with a highway tag and two or more nodes)');
  const nodeLon = new Float64Array(nodeCount), nodeLat = new Float64Array(nodeCount);
  let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
  for (let i = 0; i < nodeCount; i++) {
    const x = lon[usedNodes[i]], y = lat[usedNodes[i]];
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90) {
      throw new Error(`roads: node ${usedNodes[i]} has coordinates (${x}, ${y}); expected lon in [-180,180], lat in [-90,90]`);
    }
    nodeLon[i] = x;
    nodeLat[i] = y;
    if (x < minLon) minLon = x;
    if (x > maxLon) maxLon = x;
    if (y < minLat) minLat = y;
    if (y > maxLat) maxLat = y;
  }
  const proj = createLocalProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);
  const nodeX = new Float64Array(nodeCount), nodeY = new Float64Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) {
    nodeX[i] = (nodeLon[i] - proj.lon0) * proj.kx;
    nodeY[i] = (nodeLat[i] - proj.lat0) * proj.ky;
  }
  const segLength = new Float64Array(segmentCount);
  for (let s = 0; s < segmentCount; s++) {
    segLength[s] = haversineMeters(nodeLon[segA[s]], nodeLat[segA[s]], nodeLon[segB[s]], nodeLat[segB[s]]);
  }
  return {
    nodeCount, nodeLon, nodeLat, segmentCount,
    segA: segA.slice(0, segmentCount), segB: segB.slice(0, segmentCount), segLength,
    segClass: segClass.slice(0, segmentCount), segWay: segWay.slice(0, segmentCount),
    segForward: segF.slice(0, segmentCount), segBackward: segBk.slice(0, segmentCount),
    classNames, wayIds, proj, nodeX, nodeY, skipped,
  };
}

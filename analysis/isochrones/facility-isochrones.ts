import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { ModeGraph } from '../network/mode-graph.ts';
import { snapPoints, type SnappedPoints } from '../network/snap-points.ts';
import { multiSourceDijkstra } from '../traveltime/multi-source-dijkstra.ts';
import { facilitySeeds, originCosts } from '../traveltime/network-access.ts';
import { isochroneBands, type IsochroneProperties } from './isochrone-bands.ts';
import { rasterFrame, rasterSamples, travelTimeSurface, type BBox } from './travel-time-surface.ts';

/** What both isochrone calls need: the graph, snapped facilities, bands and the raster. */
export interface IsochroneRequest {
  graph: ModeGraph;
  /** facilities snapped to `graph` */
  facilities: SnappedPoints;
  /** one id per facility, copied to its polygons */
  facilityIds: string[];
  /** band limits in the graph's unit: seconds, or metres for a distance graph */
  thresholds: number[];
  /** raster extent; default the network's extent grown by maxSnapMeters and a cell */
  bbox?: BBox;
  /** raster cell; default 50 m */
  cellMeters?: number;
  /** farthest a raster sample may be from a road and still be reached; default 500 m, as for population cells */
  maxSnapMeters?: number;
  /** default true, see `isochroneBands` */
  cumulative?: boolean;
}

/**
 * Isochrones of all facilities together, from one multi-source search: band k covers every place within
 * thresholds[k] of its nearest facility.
 *
 * @example
 * const fc = mergedIsochrones({ graph: walk, facilities: fSnaps, facilityIds: set.id, thresholds: [300, 600, 900] });
 */
export function mergedIsochrones(req: IsochroneRequest): FeatureCollection<MultiPolygon, IsochroneProperties> {
  const { levels, cellMeters, maxSnapMeters, bbox } = settle(req);
  const surface = travelTimeSurface(req.graph, req.facilities, bbox, cellMeters, levels[levels.length - 1], maxSnapMeters);
  return isochroneBands(surface, levels, { cumulative: req.cumulative });
}

/**
 * Isochrones of each facility on its own (they overlap), one Dijkstra per facility cut off at the largest
 * threshold; the raster is snapped once and each facility contours only the window its search reached.
 * Facilities that could not join the network give no polygons.
 *
 * @example
 * const fc = isochronesPerFacility({ graph: walk, facilities: fSnaps, facilityIds: set.id, thresholds: [600] });
 * fc.features.filter((f) => f.properties.facility_id === 'H1');
 */
export function isochronesPerFacility(req: IsochroneRequest): FeatureCollection<MultiPolygon, IsochroneProperties> {
  const { levels, cellMeters, maxSnapMeters, bbox } = settle(req);
  const { graph, facilities } = req;
  const cutoff = levels[levels.length - 1];
  const frame = rasterFrame(bbox, cellMeters);
  const { lon, lat } = rasterSamples(frame);
  const samples = snapPoints(graph, lon, lat, maxSnapMeters);
  const { nodeLon, nodeLat, segA, segB, segmentCount, proj } = graph.network;
  // a reached sample lies within maxSnapMeters of a segment with a reached end (or the facility's own)
  const marginLon = (maxSnapMeters + cellMeters) / proj.kx, marginLat = (maxSnapMeters + cellMeters) / proj.ky;
  const out: FeatureCollection<MultiPolygon, IsochroneProperties> = { type: 'FeatureCollection', features: [] };
  for (let f = 0; f < facilities.count; f++) {
    const seg = facilities.segment[f];
    if (seg < 0) continue;
    const one: SnappedPoints = {
      count: 1, segment: Int32Array.of(seg), fraction: Float64Array.of(facilities.fraction[f]),
      offMeters: Float64Array.of(facilities.offMeters[f]), unsnapped: 0,
    };
    const nodes = multiSourceDijkstra(graph, facilitySeeds(graph, one), cutoff);
    let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
    for (let s = 0; s < segmentCount; s++) {
      const a = segA[s], b = segB[s];
      if (s !== seg && nodes.cost[a] === Infinity && nodes.cost[b] === Infinity) continue;
      minLon = Math.min(minLon, nodeLon[a], nodeLon[b]); maxLon = Math.max(maxLon, nodeLon[a], nodeLon[b]);
      minLat = Math.min(minLat, nodeLat[a], nodeLat[b]); maxLat = Math.max(maxLat, nodeLat[a], nodeLat[b]);
    }
    const i0 = clamp(Math.floor((minLon - marginLon - frame.lon0) / frame.dLon), frame.width);
    const i1 = clamp(Math.ceil((maxLon + marginLon - frame.lon0) / frame.dLon), frame.width);
    const j0 = clamp(Math.floor((minLat - marginLat - frame.lat0) / frame.dLat), frame.height);
    const j1 = clamp(Math.ceil((maxLat + marginLat - frame.lat0) / frame.dLat), frame.height);
    const w = i1 - i0, h = j1 - j0;
    if (w <= 0 || h <= 0) continue;
    const window: SnappedPoints = {
      count: w * h, segment: new Int32Array(w * h), fraction: new Float64Array(w * h), offMeters: new Float64Array(w * h), unsnapped: 0,
    };
    for (let j = 0; j < h; j++) {
      const from = (j0 + j) * frame.width + i0;
      window.segment.set(samples.segment.subarray(from, from + w), j * w);
      window.fraction.set(samples.fraction.subarray(from, from + w), j * w);
      window.offMeters.set(samples.offMeters.subarray(from, from + w), j * w);
    }
    const { cost, facility } = originCosts(graph, nodes, window, one, cutoff);
    for (let k = 0; k < facility.length; k++) if (facility[k] === 0) facility[k] = f;
    const surface = {
      width: w, height: h, lon0: frame.lon0 + i0 * frame.dLon, lat0: frame.lat0 + j0 * frame.dLat, dLon: frame.dLon, dLat: frame.dLat,
      values: cost, facility, unit: graph.costKind === 'time' ? 'seconds' as const : 'meters' as const,
    };
    const bands = isochroneBands(surface, levels, { cumulative: req.cumulative, facilityId: req.facilityIds[f] });
    out.features.push(...bands.features);
  }
  return out;
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}

function settle(req: IsochroneRequest): { levels: number[]; cellMeters: number; maxSnapMeters: number; bbox: BBox } {
  if (req.facilityIds.length !== req.facilities.count) {
    throw new Error(`isochrones: ${req.facilityIds.length} facility ids for ${req.facilities.count} snapped facilities`);
  }
  if (!Array.isArray(req.thresholds) || req.thresholds.length === 0 || !req.thresholds.every((t) => t > 0 && Number.isFinite(t))) {
    throw new Error(`isochrones: thresholds must be positive numbers, found ${JSON.stringify(req.thresholds)}`);
  }
  const levels = [...req.thresholds].sort((a, b) => a - b);
  const cellMeters = req.cellMeters ?? 50;
  const maxSnapMeters = req.maxSnapMeters ?? 500;
  let bbox = req.bbox;
  if (bbox === undefined) {
    const { nodeLon, nodeLat, nodeCount, proj } = req.graph.network;
    if (nodeCount === 0) throw new Error('isochrones: the network has no nodes; give a bbox');
    let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
    for (let v = 0; v < nodeCount; v++) {
      a = Math.min(a, nodeLon[v]); c = Math.max(c, nodeLon[v]);
      b = Math.min(b, nodeLat[v]); d = Math.max(d, nodeLat[v]);
    }
    const mx = (maxSnapMeters + cellMeters) / proj.kx, my = (maxSnapMeters + cellMeters) / proj.ky;
    bbox = [a - mx, b - my, c + mx, d + my];
  }
  return { levels, cellMeters, maxSnapMeters, bbox };
}

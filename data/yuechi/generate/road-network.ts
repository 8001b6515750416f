/**
 * The whole road layer, in order: candidate graph → rural routes → city and town streets → expressway →
 * noding → output rounding → keep what joins the county seat → farm tracks to uncovered cells → noding again.
 */
import { exitPoint, buildRoadGraph } from './road-graph.ts';
import { buildRuralRoads, PRIMARY_EXITS, TRUNK_EXITS, type RoadLine } from './roads.ts';
import { buildUrbanStreets } from './urban-streets.ts';
import { buildMotorway } from './motorway.ts';
import { countUnnodedCrossings, nodeLines } from './noding.ts';
import { addTracks, components, isMotorway, keepConnected, roundLines } from './coverage.ts';
import type { MultiRings } from './frame.ts';
import type { Township } from './townships.ts';
import type { Settlements } from './settlements.ts';
import type { PopulationCells } from './population.ts';

export interface RoadNetwork {
  lines: RoadLine[];
  tracks: number;
  droppedDisconnected: number;
  unnodedCrossings: number;
  interchanges: number;
}

/**
 * Builds the road layer in the metre frame, every vertex already on the 6-decimal output grid.
 *
 * @example const { lines } = buildRoadNetwork(outlineXY, zones, settlements, cells, 20240601);
 */
export function buildRoadNetwork(outline: MultiRings, zones: Township[], s: Settlements, cells: PopulationCells, seed: number): RoadNetwork {
  const bearings = [...TRUNK_EXITS.flat(), ...PRIMARY_EXITS];
  const exits = bearings.map((b) => exitPoint(outline, (b * Math.PI) / 180, 60));
  const g = buildRoadGraph(outline, zones, s, exits, seed);
  const firstExit = g.kind.indexOf('exit');
  const rural = buildRuralRoads(g, zones, s, exits.map((_, k) => firstExit + k), seed);
  const urban = buildUrbanStreets(zones, s, g, seed);
  const onRural = new Set<string>();
  for (const l of rural) for (let k = 0; k < l.coords.length; k += 2) onRural.add(`${l.coords[k]},${l.coords[k + 1]}`);
  const mw = buildMotorway(outline, g, (v) => onRural.has(`${g.x[v]},${g.y[v]}`));
  let lines: RoadLine[] = [...mw.lines, ...rural, ...urban];
  nodeLines(lines, isMotorway);
  roundLines(lines);
  const kept = keepConnected(lines, zones[0].seat[0], zones[0].seat[1]);
  lines = kept.kept;
  const tracks = addTracks(lines, cells);
  nodeLines(lines, isMotorway);
  roundLines(lines);
  lines = lines.filter((l) => l.coords.length >= 4);
  const comp = components(lines);
  if (new Set(comp).size !== 1) throw new Error(`roads: expected one connected network, found ${new Set(comp).size} components`);
  const unnoded = countUnnodedCrossings(lines, isMotorway);
  if (unnoded > 0) throw new Error(`roads: ${unnoded} crossings without a shared vertex remain after noding`);
  return { lines, tracks, droppedDisconnected: kept.dropped, unnodedCrossings: unnoded, interchanges: mw.rampNodes.length };
}

import { prepareNetwork, type PreparedNetwork } from '../accessibility/analyze-access.ts';
import type { PopulationGrid } from '../grid/population-grid.ts';
import type { CostKind } from '../network/mode-graph.ts';
import type { RoadNetwork } from '../network/road-network.ts';
import { defaultSpeedTable, type Mode, type SpeedTable } from '../network/speed-table.ts';

/** Mode graphs with a grid's cells snapped, built once per mode and cost kind and kept. */
export interface NetworkPreparer {
  prepared(mode: Mode, costKind: CostKind): PreparedNetwork;
  readonly speeds: SpeedTable;
}

/**
 * Builds graphs on first use over one road network and grid; a region's cache (the service) or a CLI run
 * each keep one, so circles of one report share their graphs and snaps.
 *
 * @example const network = networkPreparer(roads, grid, { speeds, maxSnapMeters: 500 });
 */
export function networkPreparer(
  network: RoadNetwork, grid: PopulationGrid,
  options: { speeds?: SpeedTable; maxSnapMeters?: number; minIslandNodes?: number; onProgress?: (step: string, fraction?: number) => void } = {},
): NetworkPreparer {
  const speeds = options.speeds ?? defaultSpeedTable();
  const built = new Map<string, PreparedNetwork>();
  return {
    speeds,
    prepared(mode, costKind) {
      const key = `${mode}:${costKind}`;
      let p = built.get(key);
      if (!p) {
        options.onProgress?.(`preparing the ${mode} network`);
        p = prepareNetwork(network, grid, mode, costKind, { speeds, maxSnapMeters: options.maxSnapMeters, minIslandNodes: options.minIslandNodes, onProgress: options.onProgress });
        built.set(key, p);
      }
      return p;
    },
  };
}
